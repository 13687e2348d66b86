"""Issue 11 item 4: everyone who must act is told.

Walks the README table « Qui est prévenu, à chaque étape » row by row: each row's step is performed through the
services, then each audience of the row must have received an immediate e-mail (sent by that step) or, for the
daily digest, see the dossier in the digest `send_digests` sends. A row without a scenario, or a scenario without a
row, fails: the table and the code cannot drift apart.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from directory import conventions
from tests.workflows import steps
from tests.workflows.factories import CandidateFactory, StructureApplicationFactory
from tests.workflows.helpers import application_at_hub, confirmed_application, work_item
from tests.workflows.test_public_forms import candidate_data, structure_data
from workflows import notifications, services
from workflows.enums import Kind, Step

pytestmark = pytest.mark.django_db

IMMEDIATE, DIGEST = "e-mail immédiat", "synthèse quotidienne"


def readme_rows() -> list[tuple[str, str, str, str]]:
    """(parcours, étape, audience, channel), one per audience, from the README table."""
    text = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = text.split("### Qui est prévenu, à chaque étape", 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("| Parcours") and not line.startswith("|---"):
            flow, step, who, how = (cell.strip() for cell in line.strip("|").split("|"))
            rows += [(flow, step, audience.strip(), how) for audience in who.split(",")]
        elif rows and not line.startswith("|"):
            break
    return rows


ROWS = readme_rows()


@dataclass
class World:
    """The personas of Paris, and what the step under test sent."""

    manager: object
    prefecture: object
    hub: object
    national: object
    capture: object
    who: dict = field(default_factory=dict)
    sent: list = field(default_factory=list)
    title: str = ""

    def step(self, action):
        self.sent = steps.during(self.capture, action)


def _application_contact(world, application):
    world.who["structure"] = [application.contact_email]
    world.title = application.name


def _recruitment(world, until=None):
    candidate = CandidateFactory()
    world.who["candidat"] = world.who["conseiller"] = [candidate.email]
    world.title = candidate.full_name
    recruitment = services.recruitment_preselect(candidate=candidate, user=world.manager)
    chain = [
        ("contract", lambda: steps.propose_contract(recruitment, world.manager)),
        ("prefecture", lambda: steps.recruitment_prefecture(recruitment, world.prefecture)),
        ("hub", lambda: steps.recruitment_hub(recruitment, world.hub, "valider")),
        ("training", lambda: steps.training_done(recruitment, world.hub)),
    ]
    for name, action in chain:
        if name == until:
            break
        action()
    return recruitment


def _rupture(world, paris_advisor):
    world.title = paris_advisor.full_name
    world.who["conseiller"] = notifications.advisor_address(paris_advisor)
    return services.rupture_notify(
        advisor=paris_advisor,
        user=world.manager,
        end_date=timezone.localdate() + datetime.timedelta(days=30),
        motive="demission",
    )


def _rupture_item(rupture, step=Step.RUPTURE_VALIDATION):
    return work_item(Kind.RUPTURE, rupture, step)


def _move_time(process, days):
    horizon = timezone.now() + datetime.timedelta(days=days)
    Task.objects.filter(process=process, status=STATUS.SCHEDULED, scheduled__lte=horizon).update(
        scheduled=timezone.now() - datetime.timedelta(seconds=1)
    )


def s_structure_submitted(world, client, **_):
    world.who["structure"] = ["nadia@amandiers.test"]
    world.step(lambda: client.post(reverse("candidature:structure"), structure_data()))


def s_structure_confirmed(world, **_):
    application = StructureApplicationFactory()
    _application_contact(world, application)
    world.step(lambda: services.structure_application_confirm(application_id=application.pk))


def s_structure_opinion(world, **_):
    application = confirmed_application()
    _application_contact(world, application)
    world.step(lambda: steps.prefecture_review(application, world.prefecture, "defavorable"))


def s_structure_granted(world, **_):
    application = application_at_hub(world.prefecture)
    _application_contact(world, application)
    world.step(lambda: steps.structure_hub(application, world.hub, "attribuer"))


def s_structure_refused(world, **_):
    application = application_at_hub(world.prefecture)
    _application_contact(world, application)
    world.step(lambda: steps.structure_hub(application, world.hub, "refuser", reason="besoin_non_justifie"))


def s_structure_sent_back(world, **_):
    application = application_at_hub(world.prefecture)
    _application_contact(world, application)
    world.step(lambda: steps.structure_hub(application, world.hub, "renvoyer", internal_note="Préciser le besoin."))


def s_structure_withdrawn(world, **_):
    application = confirmed_application()
    _application_contact(world, application)
    world.step(lambda: services.structure_application_withdraw(application_id=application.pk))


def s_candidate_submitted(world, client, **_):
    world.who["candidat"] = ["ines.traore@perso.test"]
    world.step(lambda: client.post(reverse("candidature:candidate"), candidate_data()))


def s_candidate_confirmed(world, **_):
    candidate = CandidateFactory(unconfirmed=True)
    world.who["candidat"] = [candidate.email]
    world.step(lambda: services.candidate_confirm(candidate_id=candidate.pk))


def s_candidate_withdrawn(world, **_):
    recruitment = _recruitment(world, until="contract")
    world.step(lambda: services.candidate_withdraw(candidate_id=recruitment.candidate_id))


def s_preselected(world, **_):
    candidate = CandidateFactory()
    world.who["candidat"] = [candidate.email]
    world.step(lambda: services.recruitment_preselect(candidate=candidate, user=world.manager))


def s_contract(world, **_):
    recruitment = _recruitment(world, until="contract")
    world.step(lambda: steps.propose_contract(recruitment, world.manager))


def s_recruitment_favorable(world, **_):
    recruitment = _recruitment(world, until="prefecture")
    world.step(lambda: steps.recruitment_prefecture(recruitment, world.prefecture))


def s_recruitment_unfavorable(world, **_):
    recruitment = _recruitment(world, until="prefecture")
    world.step(lambda: steps.recruitment_prefecture(recruitment, world.prefecture, "defavorable", reason="contrat"))


def s_recruitment_validated(world, **_):
    recruitment = _recruitment(world, until="hub")
    world.step(lambda: steps.recruitment_hub(recruitment, world.hub, "valider"))


def s_recruitment_refused(world, **_):
    recruitment = _recruitment(world, until="hub")
    world.step(lambda: steps.recruitment_hub(recruitment, world.hub, "refuser", reason="profil"))


def s_recruitment_sent_back(world, **_):
    recruitment = _recruitment(world, until="hub")
    world.step(lambda: steps.recruitment_hub(recruitment, world.hub, "renvoyer", internal_note="Vérifier la date."))


def s_training(world, **_):
    recruitment = _recruitment(world, until="training")
    world.step(lambda: steps.training_done(recruitment, world.hub))


def s_deployed(world, **_):
    recruitment = _recruitment(world)
    world.step(lambda: steps.deploy(recruitment, world.manager))


def s_cancelled(world, **_):
    recruitment = _recruitment(world, until="prefecture")
    world.step(lambda: services.recruitment_cancel(recruitment=recruitment, user=world.manager))


def s_rupture_notified(world, paris_advisor, **_):
    world.title = paris_advisor.full_name
    world.step(lambda: _rupture(world, paris_advisor))


def s_rupture_documents_requested(world, paris_advisor, **_):
    rupture = _rupture(world, paris_advisor)
    world.step(
        lambda: services.rupture_decide(
            work_item=_rupture_item(rupture), user=world.hub, decision="pieces", comment="La lettre de démission."
        )
    )


def s_rupture_documents_provided(world, paris_advisor, **_):
    rupture = _rupture(world, paris_advisor)
    services.rupture_decide(
        work_item=_rupture_item(rupture), user=world.hub, decision="pieces", comment="La lettre de démission."
    )
    item = _rupture_item(rupture, Step.RUPTURE_DOCUMENTS)
    world.step(lambda: services.rupture_provide_documents(work_item=item, user=world.manager, answer="Lettre jointe."))


def s_rupture_validated(world, paris_advisor, **_):
    rupture = _rupture(world, paris_advisor)
    world.step(lambda: services.rupture_decide(work_item=_rupture_item(rupture), user=world.hub, decision="valider"))


def s_rupture_applied(world, paris_advisor, **_):
    rupture = _rupture(world, paris_advisor)
    services.rupture_decide(work_item=_rupture_item(rupture), user=world.hub, decision="valider")
    on_the_date = f"{rupture.end_date.isoformat()}T00:30"
    world.step(lambda: call_command("apply_contract_endings", "--apply", "--now", on_the_date, stdout=io.StringIO()))


def s_rupture_cancelled(world, paris_advisor, **_):
    rupture = _rupture(world, paris_advisor)
    services.rupture_decide(work_item=_rupture_item(rupture), user=world.hub, decision="valider")
    world.step(
        lambda: services.rupture_cancel(rupture=rupture, user=world.manager, comment="Notifiée par erreur, annulée.")
    )


def s_reminder(world, **_):
    application = confirmed_application()
    _move_time(application.process, days=settings.WORKFLOW_TASK_DEADLINE_DAYS - 1)
    world.step(lambda: call_command("workflow_timers", verbosity=0))


def s_escalation(world, **_):
    application = confirmed_application()
    _move_time(application.process, days=settings.WORKFLOW_TASK_DEADLINE_DAYS - 1)
    call_command("workflow_timers", verbosity=0)
    _move_time(application.process, days=settings.WORKFLOW_TASK_DEADLINE_DAYS + 1)
    world.step(lambda: call_command("workflow_timers", verbosity=0))


SCENARIOS = {
    ("structure", "dépôt de la candidature"): s_structure_submitted,
    ("structure", "adresse e-mail confirmée"): s_structure_confirmed,
    ("structure", "avis du préfet"): s_structure_opinion,
    ("structure", "postes attribués"): s_structure_granted,
    ("structure", "refus ou doublon"): s_structure_refused,
    ("structure", "renvoi au préfet"): s_structure_sent_back,
    ("structure", "retrait par la structure"): s_structure_withdrawn,
    ("candidat", "dépôt de la candidature"): s_candidate_submitted,
    ("candidat", "adresse e-mail confirmée"): s_candidate_confirmed,
    ("candidat", "retrait ou effacement"): s_candidate_withdrawn,
    ("recrutement", "présélection"): s_preselected,
    ("recrutement", "contrat proposé"): s_contract,
    ("recrutement", "avis favorable du préfet"): s_recruitment_favorable,
    ("recrutement", "avis défavorable du préfet"): s_recruitment_unfavorable,
    ("recrutement", "validation du hub"): s_recruitment_validated,
    ("recrutement", "refus du hub"): s_recruitment_refused,
    ("recrutement", "renvoi au préfet"): s_recruitment_sent_back,
    ("recrutement", "formation terminée"): s_training,
    ("recrutement", "prise de poste"): s_deployed,
    ("recrutement", "annulation par la structure"): s_cancelled,
    ("fin de contrat", "demande de la structure"): s_rupture_notified,
    ("fin de contrat", "pièces demandées"): s_rupture_documents_requested,
    ("fin de contrat", "pièces fournies"): s_rupture_documents_provided,
    ("fin de contrat", "validation"): s_rupture_validated,
    ("fin de contrat", "date de fin atteinte (`apply_contract_endings`)"): s_rupture_applied,
    ("fin de contrat", "annulation avant la date de fin"): s_rupture_cancelled,
    ("toutes", "rappel avant l'échéance"): s_reminder,
    ("toutes", "échéance dépassée"): s_escalation,
}


# --- Contract changes (issue 13, item 5) --------------------------------------------------------------------------


def _contract_change(world, paris_advisor, **values):
    world.title = paris_advisor.full_name
    world.who["conseiller"] = notifications.advisor_address(paris_advisor)
    contract = conventions.contract_open(
        advisor=paris_advisor,
        structure=paris_advisor.structure,
        contract_type="cdd",
        start=timezone.localdate() - datetime.timedelta(days=200),
        end=timezone.localdate() + datetime.timedelta(days=30),
        salary=2000,
    )
    values = values or {"type": "prolongation", "new_end": contract.end + datetime.timedelta(days=90)}
    return contract, services.contract_change_request(
        advisor=paris_advisor, user=world.manager, motivation="Le projet se poursuit.", **values
    )


def _change_item(change):
    return work_item(Kind.CONTRACT_CHANGE, change, Step.CONTRACT_CHANGE_VALIDATION)


def s_contract_change_requested(world, paris_advisor, **_):
    world.step(lambda: _contract_change(world, paris_advisor))


def s_contract_change_validated(world, paris_advisor, **_):
    _, change = _contract_change(world, paris_advisor)
    world.step(
        lambda: services.contract_change_decide(work_item=_change_item(change), user=world.hub, decision="accorder")
    )


def s_contract_change_refused(world, paris_advisor, **_):
    _, change = _contract_change(world, paris_advisor)
    world.step(
        lambda: services.contract_change_decide(
            work_item=_change_item(change), user=world.hub, decision="refuser", reason="besoin_non_justifie"
        )
    )


def s_contract_renewed_on_its_date(world, paris_advisor, **_):
    contract, change = _contract_change(
        world,
        paris_advisor,
        **{"type": "renouvellement", "new_contract_type": "cdi", "new_salary": 2100},
    )
    services.contract_change_decide(work_item=_change_item(change), user=world.hub, decision="accorder")
    day = f"{(contract.end + datetime.timedelta(days=1)).isoformat()}T06:00"
    world.step(lambda: call_command("apply_programme_dates", "--apply", "--now", day, stdout=io.StringIO()))


def s_contract_at_term(world, paris_advisor, **_):
    world.title = paris_advisor.full_name
    world.who["conseiller"] = notifications.advisor_address(paris_advisor)
    contract = conventions.contract_open(
        advisor=paris_advisor,
        structure=paris_advisor.structure,
        contract_type="cdd",
        start=timezone.localdate() - datetime.timedelta(days=200),
        end=timezone.localdate() + datetime.timedelta(days=3),
        salary=2000,
    )
    day = f"{(contract.end + datetime.timedelta(days=1)).isoformat()}T06:00"
    world.step(lambda: call_command("apply_programme_dates", "--apply", "--now", day, stdout=io.StringIO()))


SCENARIOS.update(
    {
        ("modification de contrat", "demande de la structure"): s_contract_change_requested,
        ("modification de contrat", "validation"): s_contract_change_validated,
        ("modification de contrat", "refus"): s_contract_change_refused,
        (
            "modification de contrat",
            "renouvellement à sa date (`apply_programme_dates`)",
        ): s_contract_renewed_on_its_date,
        ("modification de contrat", "contrat arrivé à son terme (`apply_programme_dates`)"): s_contract_at_term,
    }
)


class TestItem4TableAndCodeAgree:
    def test_item4_every_row_has_a_scenario_and_every_scenario_a_row(self):
        assert len(ROWS) > 30
        assert {(flow, step) for flow, step, _who, _how in ROWS} == set(SCENARIOS)
        assert {how for *_rest, how in ROWS} == {IMMEDIATE, DIGEST}


@pytest.mark.parametrize(("flow", "step", "audience", "how"), ROWS, ids=[" / ".join(row[:3]) for row in ROWS])
def test_item4_each_audience_is_told_as_the_readme_says(
    flow,
    step,
    audience,
    how,
    client,
    structure_manager,
    prefecture_paris,
    hub_agent,
    national_admin,
    paris_advisor,
    django_capture_on_commit_callbacks,
):
    world = World(structure_manager, prefecture_paris, hub_agent, national_admin, django_capture_on_commit_callbacks)
    world.who.update(
        {
            "structure": [structure_manager.email],
            "préfecture": [prefecture_paris.email],
            "hub": [hub_agent.email],
            "équipe nationale": [national_admin.email],
            "agents de l'étape": [prefecture_paris.email],
        }
    )
    SCENARIOS[(flow, step)](world, client=client, paris_advisor=paris_advisor)
    expected = world.who[audience]
    if how == IMMEDIATE:
        assert set(expected) <= steps.recipients(world.sent), (audience, [m.subject for m in world.sent])
        return
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=io.StringIO())
    digests = [m for m in mail.outbox if set(expected) <= set(m.to)]
    assert digests, audience
    assert any(re.search(re.escape(world.title), steps.body(m)) for m in digests), world.title
