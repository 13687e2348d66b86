"""The whole advisor journey in a real browser: apply, confirm, preselect, propose, approve, train, deploy, log in."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_serious_axe_violations, log_in
from tests.directory.factories import PlaceFactory
from tests.territories.factories import commune

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BROWSER_SHOTS")  # a folder: keep screenshots of each step to look at them


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def last_link(subject_start: str, to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.subject.startswith(subject_start) and to in m.to)
    return re.search(r"http://[^/\s]+(/\S+)", message.body).group(1)


def tick(page, label):
    """Check a DSFR radio button or checkbox by its label (the input itself is visually replaced)."""
    page.get_by_label(label, exact=True).check(force=True)


def decide(page, button="Enregistrer la décision"):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Votre décision est enregistrée.")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_candidate_becomes_an_active_advisor_who_can_log_in(
    new_page, live_server, structure_manager, prefecture_paris, hub_agent, password
):
    commune("75056")
    PlaceFactory(structure=structure_manager.active_membership.structure, name="Médiathèque Voltaire")
    start = timezone.localdate() + datetime.timedelta(days=15)

    # 1. The candidate applies (with the commune autocompletion) and confirms their address.
    candidate = new_page()
    candidate.goto("/candidature/conseiller/")
    candidate.get_by_label("Prénom").fill("Awa")
    candidate.locator("#id_last_name").fill("Diallo")
    candidate.get_by_label("Adresse e-mail").fill("awa.diallo@perso.test")
    candidate.get_by_label("Commune").fill("Paris")
    candidate.get_by_role("button", name=re.compile("^Paris")).first.click()
    tick(candidate, "Demandeur d'emploi")
    tick(candidate, "Oui")
    candidate.get_by_label("À quel moment").fill(timezone.localdate().isoformat())
    candidate.get_by_label("Jusqu'à quelle distance").select_option("20")
    candidate.get_by_role("textbox", name=re.compile("^Votre motivation")).fill(
        "J'anime déjà des ateliers numériques bénévoles."
    )
    assert_no_serious_axe_violations(candidate)
    shot(candidate, "01-candidature")
    candidate.get_by_role("button", name="Envoyer ma candidature").click()
    expect(candidate.get_by_role("heading", name="Merci, votre demande a été envoyée.")).to_be_visible()
    candidate.goto(last_link("Confirmation de votre adresse e-mail", "awa.diallo@perso.test"))
    expect(candidate.get_by_text("inscription est maintenant active")).to_be_visible()

    # 2. The structure finds her in the pool, preselects her and proposes a contract.
    structure = new_page()
    log_in(structure, structure_manager.email, password)
    structure.goto("/espace/recruter/")
    structure.get_by_role("link", name="Awa Diallo").click()
    structure.get_by_role("button", name="Présélectionner ce candidat").click()
    tick(structure, "CDI")
    structure.get_by_label("Date de début du contrat").fill(start.isoformat())
    structure.get_by_label("Salaire brut mensuel (€)").fill("2100")
    assert_no_serious_axe_violations(structure)
    shot(structure, "02-contrat")
    decide(structure)

    # 3. The prefecture gives a favorable opinion, from its "À traiter" list.
    prefecture = new_page()
    log_in(prefecture, prefecture_paris.email, password)
    prefecture.goto("/espace/a-traiter/")
    shot(prefecture, "03-a-traiter")
    prefecture.get_by_role("link", name=re.compile("Awa Diallo")).click()
    tick(prefecture, "Avis favorable")
    prefecture.get_by_label("Note interne pour le hub").fill("Profil adapté, contrat conforme.")
    assert_no_serious_axe_violations(prefecture)
    decide(prefecture)

    # 4. The hub validates, then records the completed, certified training.
    hub = new_page()
    log_in(hub, hub_agent.email, password)
    hub.goto("/espace/a-traiter/")
    hub.get_by_role("link", name=re.compile("Awa Diallo")).click()
    tick(hub, "Valider le recrutement")
    decide(hub)
    hub.get_by_label("Début de la formation").fill(timezone.localdate().isoformat())  # not before the validation
    hub.get_by_label("Fin de la formation").fill(timezone.localdate().isoformat())
    hub.get_by_label("Formation terminée").check(force=True)
    tick(hub, "Certification obtenue")
    shot(hub, "04-formation")
    decide(hub)

    # 5. The structure records the deployment: the advisor record and account are created.
    structure.goto("/espace/")
    structure.goto("/espace/mes-conseillers/")
    structure.get_by_role("link", name="Awa Diallo").click()
    structure.get_by_label("Date de prise de poste").fill(start.isoformat())
    structure.get_by_label("Lieu d'activité principal").select_option(label="Médiathèque Voltaire")
    decide(structure)
    expect(structure.get_by_text("Candidat recruté").first).to_be_visible()
    shot(structure, "05-dossier")
    assert_no_serious_axe_violations(structure)

    # 6. The new advisor chooses a password from the invitation and is logged in with her role.
    advisor = new_page()
    advisor.goto(last_link("Créer votre compte utilisateur", "awa.diallo@perso.test"))
    advisor.locator("#id_new_password1").fill("Un-mot-de-passe-tres-solide-2026")
    advisor.locator("#id_new_password2").fill("Un-mot-de-passe-tres-solide-2026")
    advisor.get_by_role("button", name="Activer mon compte").click()
    advisor.wait_for_load_state()
    header = advisor.locator(".fr-header__tools")
    expect(header.get_by_text("Awa Diallo")).to_be_visible()
    expect(header.get_by_text(re.compile("Conseiller numérique"))).to_be_visible()
    shot(advisor, "06-conseillere")
