"""Issue 13 in a real browser: a structure asks for one more post, the prefecture gives its opinion, the hub grants
it and the structure recruits on it; then a reconventionnement keeps one advisor, and on the new convention's first
day the scheduled command links her contract to it and ends the other one."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from directory.enums import ContractEndReason, ContractStatus, ContractType
from directory.models import Contract
from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.directory.factories import AdvisorFactory, contract_for, convention_for
from tests.workflows.factories import CandidateFactory
from workflows.enums import RecruitmentStatus, RequestStatus
from workflows.models import PostRequest, Recruitment, RenewalRequest

pytestmark = pytest.mark.browser


def _decide(page, path: str, choice: str, **fields) -> None:
    """Open a dossier, pick the decision (or opinion), fill the other fields and record it."""
    page.goto(path)
    # Click the radio's label, as a person does: the form shows the fields of that choice.
    page.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(choice)}\s*$")).click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Votre décision est enregistrée.")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_item13_one_more_post_then_a_reconventionnement_keeping_one_advisor(
    new_page, structure_manager, paris_advisor, prefecture_paris, hub_agent, national_admin, password
):
    today = timezone.localdate()
    structure = structure_manager.active_membership.structure
    convention = convention_for(structure, posts=2, start=today - datetime.timedelta(days=400))
    kept = contract_for(paris_advisor, contract_type=ContractType.CDI)
    leaving_advisor = AdvisorFactory(structure=structure, last_name="Quipart")
    leaving = contract_for(leaving_advisor, contract_type=ContractType.CDI)
    candidate = CandidateFactory(first_name="Lina", last_name="Nouvelle")

    # Both posts are held: the structure asks for one more from its page.
    manager = new_page()
    log_in(manager, structure_manager.email, password)
    manager.goto("/espace/ma-structure/")
    expect(manager.get_by_text(convention.number).first).to_be_visible()
    assert_no_serious_axe_violations(manager)
    manager.get_by_role("link", name="Demander des postes supplémentaires").click()
    manager.get_by_label("Ajout de postes", exact=True).check(force=True)
    manager.get_by_label("Nombre de postes demandés").fill("1")
    manager.get_by_label("Motivation").fill("Un troisième poste pour ouvrir la permanence du soir.")
    manager.get_by_role("button", name="Déposer l'avenant").click()
    expect(manager.get_by_text("Votre avenant est enregistré")).to_be_visible()
    assert_no_serious_axe_violations(manager)  # the avenant's dossier
    avenant = PostRequest.objects.get(structure=structure)

    # The prefecture gives its opinion, the hub grants the post.
    prefecture = new_page()
    log_in(prefecture, prefecture_paris.email, password)
    _decide(
        prefecture,
        f"/espace/avenants/{avenant.pk}/",
        "Avis favorable",
        **{"Note interne": "Besoin confirmé par la sous-préfecture."},
    )
    hub = new_page()
    log_in(hub, hub_agent.email, password)
    _decide(hub, f"/espace/avenants/{avenant.pk}/", "Accorder", **{"Nombre de postes accordés": "1"})
    avenant.refresh_from_db()
    assert avenant.status == RequestStatus.GRANTED and avenant.posts_granted == 1

    # The structure sees three posts, one vacant, and recruits on it.
    manager.goto("/espace/ma-structure/")
    expect(manager.locator(".fr-tile__desc", has_text="attribués aujourd'hui")).to_be_visible()
    expect(manager.locator(".fr-tile__title").first).to_have_text("3")
    manager.goto(f"/espace/candidats/{candidate.pk}/")
    manager.get_by_role("button", name="Présélectionner ce candidat").click()
    recruitment = Recruitment.objects.get(candidate=candidate)
    manager.goto(f"/espace/recrutements/{recruitment.pk}/")
    manager.get_by_label("CDI", exact=True).check(force=True)
    manager.get_by_label("Date de début du contrat").fill(f"{today + datetime.timedelta(days=15)}")
    manager.get_by_label("Salaire brut mensuel").fill("2100")
    manager.get_by_role("button", name="Enregistrer la décision").click()
    expect(manager.get_by_text("Votre décision est enregistrée.")).to_be_visible()
    recruitment.refresh_from_db()
    assert recruitment.status == RecruitmentStatus.PREFECTURE_REVIEW

    # Reconventionnement: the structure keeps Camille, not the other advisor.
    manager.goto("/espace/ma-structure/")
    manager.get_by_role("link", name="Demander le reconventionnement").click()
    manager.get_by_label("Nombre de postes demandés").fill("2")
    manager.get_by_label(re.compile(paris_advisor.full_name)).check(force=True)
    manager.get_by_label("Motivation").fill("Poursuivre l'accompagnement avec Camille.")
    manager.get_by_role("button", name="Demander le reconventionnement").click()
    expect(manager.get_by_text("Votre demande de reconventionnement est enregistrée")).to_be_visible()
    renewal = RenewalRequest.objects.get(convention=convention)
    assert list(renewal.continuing_contracts.all()) == [kept]

    _decide(
        prefecture,
        f"/espace/reconventionnements/{renewal.pk}/",
        "Avis favorable",
        **{"Note interne": "Structure active, avis favorable."},
    )
    national = new_page()
    log_in(national, national_admin.email, password)
    _decide(national, f"/espace/reconventionnements/{renewal.pk}/", "Accorder", **{"Nombre de postes accordés": "2"})
    renewal.refresh_from_db()
    new_convention = renewal.new_convention
    assert new_convention.start == convention.end + datetime.timedelta(days=1)

    # Nothing changes before the new convention's first day; on it, Camille continues and the other contract ends.
    call_command("apply_programme_dates", "--apply", "--now", f"{convention.end}T23:00")
    assert Contract.objects.get(pk=kept.pk).convention == convention
    assert Contract.objects.get(pk=leaving.pk).status == ContractStatus.ACTIVE
    call_command("apply_programme_dates", "--apply", "--now", f"{new_convention.start}T06:00")
    assert Contract.objects.get(pk=kept.pk).convention == new_convention
    leaving.refresh_from_db()
    assert leaving.status == ContractStatus.ENDED and leaving.end_reason == ContractEndReason.CONVENTION_ENDED
    assert leaving.ended_on == convention.end
    manager.goto(f"/espace/reconventionnements/{renewal.pk}/")
    expect(manager.get_by_text(new_convention.number).first).to_be_visible()
    assert_no_serious_axe_violations(manager)

    # The national capacity view counts the new convention's posts from its first day.
    national.goto(f"/pilotage/capacite/?date={new_convention.start}")
    expect(national.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_axe_violations(national)
