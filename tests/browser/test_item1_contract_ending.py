"""Issue 11 item 1 in a real browser: a rupture dated next month, validated today, leaves the advisor working in her
Coop; on its date the scheduled command ends it, and the structure's counts change."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.workflows.factories import CandidateFactory
from workflows import services
from workflows.enums import RecruitmentStatus
from workflows.models import Recruitment

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_item1_a_rupture_dated_next_month_takes_effect_on_its_date(
    new_page, live_server, structure_manager, advisor_user, paris_advisor, hub_agent, password
):
    structure = structure_manager.active_membership.structure
    today = timezone.localdate()
    Recruitment.objects.create(
        structure=structure,
        candidate=CandidateFactory(),
        status=RecruitmentStatus.ACTIVE,
        contract_type="cdd",
        contract_start=today - datetime.timedelta(days=200),
        contract_end=today + datetime.timedelta(days=300),
        salary=2000,
        advisor=paris_advisor,
    )
    end = today + datetime.timedelta(days=31)
    rupture = services.rupture_notify(advisor=paris_advisor, user=structure_manager, end_date=end, motive="demission")
    free = services.free_posts(structure)
    counts = f"{structure.posts_granted} postes attribués ; {free} disponible"

    # The hub validates it today, from the dossier.
    hub = new_page()
    log_in(hub, hub_agent.email, password)
    hub.goto(f"/espace/fins-de-contrat/{rupture.pk}/")
    hub.get_by_label("Valider la fin de contrat", exact=True).check(force=True)
    hub.get_by_role("button", name="Enregistrer la décision").click()
    expect(hub.get_by_text("Votre décision est enregistrée.")).to_be_visible()
    expect(hub.get_by_text(re.compile("prendra effet le"))).to_be_visible()

    # Today the advisor still works in her Coop, and the structure still counts her post as taken.
    advisor = new_page()
    log_in(advisor, advisor_user.email, password)
    advisor.goto("/coop/")
    expect(advisor.get_by_role("heading", level=1)).to_have_text(f"Bonjour {paris_advisor.first_name}")
    manager = new_page()
    log_in(manager, structure_manager.email, password)
    manager.goto("/espace/mes-conseillers/")
    expect(manager.get_by_text(counts)).to_be_visible()
    expect(manager.get_by_role("link", name=str(paris_advisor)).first).to_be_visible()
    expect(manager.get_by_text("Fin de contrat en cours")).to_be_visible()

    # The evening before its date, the nightly job leaves her in post.
    call_command("apply_contract_endings", "--apply", "--now", f"{end - datetime.timedelta(days=1)}T23:00")
    advisor.reload()
    expect(advisor.get_by_role("heading", level=1)).to_have_text(f"Bonjour {paris_advisor.first_name}")

    # On its date, the job ends the contract: Coop closed, post freed.
    call_command("apply_contract_endings", "--apply", "--now", f"{end}T06:00")
    advisor.reload()
    expect(advisor.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    manager.reload()
    expect(manager.get_by_text(f"{structure.posts_granted} postes attribués ; {free + 1} disponible")).to_be_visible()
    expect(manager.get_by_text("Aucun conseiller en poste.")).to_be_visible()
