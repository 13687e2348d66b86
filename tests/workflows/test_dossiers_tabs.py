"""The dossier archive has a tab per request of the programme's life after recruitment: each lists the requests of
the user's scope and links to their dossier page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.enums import ContractType
from tests.directory.factories import AdvisorFactory, contract_for, convention_for
from workflows.models import ContractChange, CoordinatorRequest, PostRequest, PostTransfer, RenewalRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests_of_paris(paris_structure, marseille_structure):
    """One request of each kind at the Paris structure (the transfer comes from Marseille)."""
    convention = convention_for(paris_structure, posts=3)
    convention_for(marseille_structure, posts=3)
    advisor = AdvisorFactory(structure=paris_structure)
    contract = contract_for(
        advisor, contract_type=ContractType.CDD, end=timezone.localdate() + datetime.timedelta(days=100)
    )
    return {
        "avenants": PostRequest.objects.create(
            structure=paris_structure, convention=convention, type="ajout", posts_requested=1, posts_before=3
        ),
        "reconventionnements": RenewalRequest.objects.create(
            structure=paris_structure, convention=convention, posts_requested=2, motivation="Poursuivre."
        ),
        "contrats": ContractChange.objects.create(
            structure=paris_structure, contract=contract, advisor=advisor, type="prolongation", motivation="Projet."
        ),
        "coordinateurs": CoordinatorRequest.objects.create(
            structure=paris_structure, coordination_type="FT", territory="Paris", motivation="Animer."
        ),
        "transferts": PostTransfer.objects.create(
            structure=paris_structure,
            from_structure=marseille_structure,
            posts=1,
            effective_on=timezone.localdate(),
            motivation="Rééquilibrage.",
        ),
    }


@pytest.mark.parametrize("tab", ["avenants", "reconventionnements", "contrats", "coordinateurs", "transferts"])
def test_each_tab_lists_the_requests_of_the_scope_with_their_dossier(
    client, tab, requests_of_paris, national_admin, prefecture_paris, prefecture_marseille
):
    subject = requests_of_paris[tab]
    url = reverse("workflows:dossiers")
    client.force_login(national_admin)
    page = client.get(url, {"type": tab}).text
    kind_url = {
        "avenants": "workflows:post_request",
        "reconventionnements": "workflows:renewal",
        "contrats": "workflows:contract_change",
        "coordinateurs": "workflows:coordinator_request",
        "transferts": "workflows:transfer",
    }[tab]
    assert f'href="{reverse(kind_url, args=[subject.pk])}"' in page and "1 dossier" in page
    client.force_login(prefecture_paris)
    assert "1 dossier" in client.get(url, {"type": tab}).text
    client.force_login(prefecture_marseille)
    # A transfer is seen by both territories (the giving and the receiving one); the others stay in Paris.
    expected = "1 dossier" if tab == "transferts" else "0 dossier"
    assert expected in client.get(url, {"type": tab}).text
