"""Issue 14 in a real browser: a hub agent filters her list on the prefecture's favourable opinions, sorts it, selects
20 dossiers and grants them in one go; a prefecture agent asks a structure to complete its avenant and the structure
answers with a PDF, which resumes the step's deadline. axe-core checks each of these pages."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.directory.factories import convention_for
from tests.workflows.helpers import application_at_hub, confirmed_application, pdf_bytes
from tests.workflows.steps import prefecture_review
from workflows import services
from workflows.enums import Kind, Step, StructureApplicationStatus
from workflows.models import Attachment, CorrectionRequest, StructureApplication, WorkItem

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_item14_a_hub_agent_grants_twenty_dossiers_in_one_go(new_page, hub_agent, prefecture_paris, password):
    favourable = [application_at_hub(prefecture_paris, name=f"Médiathèque n° {n:02d}") for n in range(22)]
    unfavourable = confirmed_application(name="Régie sans avis favorable")
    prefecture_review(unfavourable, prefecture_paris, opinion="defavorable")

    page = new_page()
    log_in(page, hub_agent.email, password)
    page.goto("/espace/a-traiter/")
    page.get_by_label("Avis du préfet").select_option("favorable")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("caption")).to_have_text("22 demandes")
    # Oldest first: the dossiers received first are granted first.
    page.get_by_role("link", name=re.compile(r"^Reçue le")).click()
    expect(page).to_have_url(re.compile(r"tri=recue"))
    expect(page.locator("tbody tr").first).to_contain_text("Médiathèque n° 00")
    assert_no_serious_axe_violations(page)
    boxes = page.locator("input[name=items]")
    for index in range(20):
        boxes.nth(index).check(force=True)  # DSFR draws the box over the input
    page.get_by_role("button", name="Traiter la sélection").click()

    expect(page.get_by_role("heading", name="Traitement groupé")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.locator("label").filter(has_text="Attribuer les postes demandés").click()
    page.get_by_role("button", name="Voir le récapitulatif").click()
    expect(page.get_by_role("heading", name="Confirmer le traitement groupé")).to_be_visible()
    expect(page.get_by_text("Rien n'est encore enregistré")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert StructureApplication.objects.filter(status=StructureApplicationStatus.GRANTED).count() == 0
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_text(re.compile(r"Dossiers traités : 20 sur 20"))).to_be_visible(timeout=30_000)
    assert_no_serious_axe_violations(page)
    granted = StructureApplication.objects.filter(status=StructureApplicationStatus.GRANTED)
    assert set(granted.values_list("pk", flat=True)) == {application.pk for application in favourable[:20]}
    # The two left and the unfavourable one still wait for the hub.
    waiting = WorkItem.objects.open().filter(step=Step.STRUCTURE_HUB)
    assert set(waiting.values_list("subject_id", flat=True)) == {
        favourable[20].pk,
        favourable[21].pk,
        unfavourable.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_item14_a_structure_answers_a_correction_request_with_a_pdf(
    new_page, structure_manager, prefecture_paris, password, tmp_path
):
    structure = structure_manager.active_membership.structure
    convention_for(structure, posts=2, start=timezone.localdate() - datetime.timedelta(days=200))
    avenant = services.post_request_submit(
        user=structure_manager, type="ajout", posts_requested=1, motivation="Un poste de plus pour le soir."
    )
    item = WorkItem.objects.get(kind=Kind.POST_REQUEST, subject_id=avenant.pk, is_open=True)

    prefecture = new_page()
    log_in(prefecture, prefecture_paris.email, password)
    prefecture.goto(f"/espace/avenants/{avenant.pk}/")
    assert_no_serious_axe_violations(prefecture)  # the agents' page: labels, thread, annotations
    prefecture.get_by_label("Votre message").fill("Merci de joindre la délibération qui approuve ce poste.")
    prefecture.locator("#id_structure-correction").check(force=True)  # the box of the label « Demande de correction »
    prefecture.get_by_role("button", name="Envoyer le message").click()
    expect(prefecture.get_by_text("Votre demande de correction est envoyée.")).to_be_visible()
    item.refresh_from_db()
    assert item.paused_at is not None
    due_before = item.due_at

    manager = new_page()
    log_in(manager, structure_manager.email, password)
    manager.goto(f"/espace/avenants/{avenant.pk}/")
    expect(manager.get_by_text("Merci de joindre la délibération qui approuve ce poste.", exact=True)).to_be_visible()
    expect(manager.get_by_text(re.compile("une demande de correction du"))).to_be_visible()
    assert_no_serious_axe_violations(manager)
    pdf = tmp_path / "deliberation.pdf"
    pdf.write_bytes(pdf_bytes())
    manager.get_by_label("Votre message").fill("Voici la délibération du conseil d'administration.")
    manager.locator("#id_structure-files").set_input_files(str(pdf))  # « Pièces jointes (facultatif) »
    manager.get_by_role("button", name="Envoyer le message").click()
    expect(manager.get_by_text("Votre message est envoyé.")).to_be_visible()
    expect(manager.get_by_role("link", name=re.compile("deliberation.pdf"))).to_be_visible()
    assert_no_serious_axe_violations(manager)

    correction = CorrectionRequest.objects.get(kind=Kind.POST_REQUEST, subject_id=avenant.pk)
    assert correction.answered_at is not None
    item.refresh_from_db()
    assert item.paused_at is None and item.due_at > due_before  # the deadline moved by the pause
    attachment = Attachment.objects.get(kind=Kind.POST_REQUEST, subject_id=avenant.pk)
    assert attachment.original_name == "deliberation.pdf" and attachment.content_type == "application/pdf"
    # The prefecture reads the answer and opens the file.
    prefecture.reload()
    with prefecture.expect_download() as download:
        prefecture.get_by_role("link", name=re.compile("deliberation.pdf")).click()
    assert download.value.suggested_filename == "deliberation.pdf"
