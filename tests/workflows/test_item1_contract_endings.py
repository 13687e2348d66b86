"""Issue 11 item 1: an end of contract takes effect on its date, not on its validation.

Validating a rupture dated in the future leaves the advisor in post (role, Coop, places, counts) until the scheduled
command `apply_contract_endings` applies it on its date; the advisor is told at each step; a rupture not yet
applied can be cancelled.
"""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import services as account_services
from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Membership
from directory.enums import AdvisorStatus
from directory.models import PlaceAssignment
from tests.accounts.factories import UserFactory
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, RecruitmentStatus, RuptureStatus, Step, Verdict
from workflows.models import Decision, Recruitment

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TODAY = timezone.localdate


def _active_recruitment(structure, advisor):
    return Recruitment.objects.create(
        structure=structure,
        candidate=CandidateFactory(),
        status=RecruitmentStatus.ACTIVE,
        contract_type="cdd",
        contract_start=TODAY() - datetime.timedelta(days=200),
        contract_end=TODAY() + datetime.timedelta(days=300),
        salary=2000,
        advisor=advisor,
    )


def _notify(manager, advisor, end_date):
    return services.rupture_notify(advisor=advisor, user=manager, end_date=end_date, motive="demission")


def _validate(client, hub_agent, rupture):
    client.force_login(hub_agent)
    item = work_item(Kind.RUPTURE, rupture, Step.RUPTURE_VALIDATION)
    response = client.post(reverse("workflows:decide", args=[item.pk]), {"decision": "valider", "comment": ""})
    assert response.status_code == 302
    rupture.refresh_from_db()
    return rupture


def _at(day: datetime.date, hour=6, minute=0) -> str:
    """A `--now` value: that day at that (Paris) time."""
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def _coop_status(client, user) -> int:
    client.force_login(user)
    return client.get(reverse("coop:home")).status_code


def _sent_to(address: str, subject_start: str) -> list:
    return [m for m in mail.outbox if m.subject.startswith(subject_start) and address in m.to]


@pytest.fixture
def in_post(structure_manager, advisor_user, paris_advisor):
    """Camille, in post at Sophie's structure under a CDD ending in 300 days."""
    structure = structure_manager.active_membership.structure
    _active_recruitment(structure, paris_advisor)
    return structure


class TestItem1FutureRupture:
    def test_item1_a_validated_future_rupture_leaves_the_advisor_working_until_its_date(
        self,
        client,
        in_post,
        structure_manager,
        advisor_user,
        paris_advisor,
        hub_agent,
        django_capture_on_commit_callbacks,
    ):
        free_before = services.free_posts(in_post)
        end = TODAY() + datetime.timedelta(days=30)
        with django_capture_on_commit_callbacks(execute=True):
            rupture = _notify(structure_manager, paris_advisor, end)
            rupture = _validate(client, hub_agent, rupture)
        assert rupture.status == RuptureStatus.SCHEDULED and rupture.validated_at and rupture.applied_at is None
        paris_advisor.refresh_from_db()
        assert paris_advisor.status == AdvisorStatus.ACTIVE and paris_advisor.ended_at is None
        assert PlaceAssignment.objects.filter(advisor=paris_advisor).exists()
        assert Recruitment.objects.get(advisor=paris_advisor).status == RecruitmentStatus.ACTIVE
        assert Membership.objects.active().filter(user=advisor_user, role=Role.ADVISOR).exists()
        assert services.free_posts(in_post) == free_before  # still counted: the post is not free yet
        assert _coop_status(client, advisor_user) == 200
        # The structure is told the date it takes effect; the advisor at each step of her own end of contract.
        validated = next(m for m in mail.outbox if m.subject == "Demande de rupture de contrat avec votre CnFS")
        assert "prendra effet à cette date" in validated.body and "de nouveau disponible pour" not in validated.body
        assert _sent_to(advisor_user.email, "Votre structure a notifié la fin de votre contrat")
        scheduled = _sent_to(advisor_user.email, "Votre fin de contrat au")
        assert scheduled and "vous gardez votre rôle" in scheduled[0].body
        assert not _sent_to(advisor_user.email, "Votre contrat de conseiller numérique est terminé")
        # The dossier says when it takes effect.
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:rupture", args=[rupture.pk]))
        assert "prendra effet le" in page.text and "Annuler cette fin de contrat" in page.text

    def test_item1_a_scheduled_rupture_is_open_no_second_one(
        self, client, in_post, structure_manager, paris_advisor, hub_agent
    ):
        rupture = _validate(
            client, hub_agent, _notify(structure_manager, paris_advisor, TODAY() + datetime.timedelta(days=30))
        )
        assert rupture.status == RuptureStatus.SCHEDULED
        with pytest.raises(ValidationError, match="déjà en cours"):
            _notify(structure_manager, paris_advisor, TODAY() + datetime.timedelta(days=10))
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:my_advisors"))
        assert "Fin de contrat en cours" in page.text and "Validée, effective à la date de fin" in page.text

    def test_item1_a_rupture_dated_today_or_past_is_applied_at_validation(
        self,
        client,
        in_post,
        structure_manager,
        advisor_user,
        paris_advisor,
        hub_agent,
        django_capture_on_commit_callbacks,
    ):
        paris_advisor.started_at = TODAY() - datetime.timedelta(days=100)
        paris_advisor.save(update_fields=["started_at"])
        free_before = services.free_posts(in_post)
        past = TODAY() - datetime.timedelta(days=3)
        with django_capture_on_commit_callbacks(execute=True):
            rupture = _validate(client, hub_agent, _notify(structure_manager, paris_advisor, past))
        assert rupture.status == RuptureStatus.VALIDATED and rupture.applied_at is not None
        paris_advisor.refresh_from_db()
        assert paris_advisor.status == AdvisorStatus.ENDED and paris_advisor.ended_at == past
        assert services.free_posts(in_post) == free_before + 1
        assert _coop_status(client, advisor_user) == 403
        assert _sent_to(advisor_user.email, "Votre contrat de conseiller numérique est terminé")
        assert not _sent_to(advisor_user.email, "Votre fin de contrat au")
        verdicts = list(
            Decision.objects.filter(kind=Kind.RUPTURE, subject_id=rupture.pk).values_list("verdict", flat=True)
        )
        assert verdicts[-2:] == [Verdict.VALIDATED, Verdict.ENDED]


class TestItem1ScheduledCommand:
    def test_item1_the_command_applies_endings_on_their_date_once_and_audits_every_run(
        self,
        client,
        in_post,
        structure_manager,
        advisor_user,
        paris_advisor,
        hub_agent,
        django_capture_on_commit_callbacks,
        capsys,
    ):
        free_before = services.free_posts(in_post)
        end = TODAY() + datetime.timedelta(days=30)
        rupture = _validate(client, hub_agent, _notify(structure_manager, paris_advisor, end))
        audits = AuditEvent.objects.filter(action=AuditAction.CONTRACT_ENDINGS_APPLIED)

        # The evening before, Paris time: nothing due.
        call_command("apply_contract_endings", "--apply", "--now", _at(end - datetime.timedelta(days=1), 23, 30))
        assert "0 fin(s) de contrat appliquée(s)" in capsys.readouterr().out
        assert audits.count() == 1 and audits.get().details["count"] == 0  # audited even when nothing was due
        paris_advisor.refresh_from_db()
        assert paris_advisor.status == AdvisorStatus.ACTIVE

        # A dry run on the date counts it and changes nothing.
        call_command("apply_contract_endings", "--now", _at(end, 0, 5))
        assert "1 fin(s) de contrat à appliquer" in capsys.readouterr().out
        rupture.refresh_from_db()
        assert rupture.status == RuptureStatus.SCHEDULED and audits.count() == 1

        # On its date just after midnight in Paris (still the day before in UTC): the Paris date decides, applied.
        with django_capture_on_commit_callbacks(execute=True):
            call_command("apply_contract_endings", "--apply", "--now", _at(end, 0, 5))
        assert "1 fin(s) de contrat appliquée(s)" in capsys.readouterr().out
        rupture.refresh_from_db()
        paris_advisor.refresh_from_db()
        assert rupture.status == RuptureStatus.VALIDATED
        assert rupture.applied_at == datetime.datetime(end.year, end.month, end.day, 0, 5, tzinfo=PARIS)
        assert paris_advisor.status == AdvisorStatus.ENDED and paris_advisor.ended_at == end
        assert not PlaceAssignment.objects.filter(advisor=paris_advisor).exists()
        assert Recruitment.objects.get(advisor=paris_advisor).status == RecruitmentStatus.ENDED
        assert not Membership.objects.active().filter(user=advisor_user, role=Role.ADVISOR).exists()
        assert services.free_posts(in_post) == free_before + 1
        assert _coop_status(client, advisor_user) == 403
        assert audits.count() == 2 and audits.order_by("-pk").first().details["ruptures"] == [rupture.pk]
        assert len(_sent_to(advisor_user.email, "Votre contrat de conseiller numérique est terminé")) == 1
        ended = Decision.objects.get(kind=Kind.RUPTURE, subject_id=rupture.pk, verdict=Verdict.ENDED)
        assert ended.actor is None  # the scheduled job, not a person

        # Idempotent: a second run (or a later day) finds nothing, sends nothing, still leaves its audit trace.
        with django_capture_on_commit_callbacks(execute=True):
            call_command("apply_contract_endings", "--apply", "--now", _at(end + datetime.timedelta(days=2)))
        assert "0 fin(s) de contrat appliquée(s)" in capsys.readouterr().out
        assert audits.count() == 3
        assert len(_sent_to(advisor_user.email, "Votre contrat de conseiller numérique est terminé")) == 1
        assert Decision.objects.filter(kind=Kind.RUPTURE, subject_id=rupture.pk, verdict=Verdict.ENDED).count() == 1

    def test_item1_rupture_apply_twice_applies_once_and_refuses_a_rupture_not_due(
        self, client, in_post, structure_manager, paris_advisor, hub_agent
    ):
        end = TODAY() + datetime.timedelta(days=5)
        rupture = _validate(client, hub_agent, _notify(structure_manager, paris_advisor, end))
        now = timezone.now()
        assert services.rupture_apply(rupture=rupture, now=now) is False  # not due yet
        on_date = now + datetime.timedelta(days=5)
        assert services.rupture_apply(rupture=rupture, now=on_date) is True
        assert services.rupture_apply(rupture=rupture, now=on_date) is False

    def test_item1_a_bad_now_is_refused(self):
        with pytest.raises(CommandError, match="AAAA-MM-JJTHH:MM"):
            call_command("apply_contract_endings", "--apply", "--now", "demain")


class TestItem1Cancel:
    def test_item1_the_structure_cancels_a_scheduled_rupture_and_the_advisor_stays(
        self,
        client,
        in_post,
        structure_manager,
        advisor_user,
        paris_advisor,
        hub_agent,
        django_capture_on_commit_callbacks,
    ):
        end = TODAY() + datetime.timedelta(days=30)
        rupture = _validate(client, hub_agent, _notify(structure_manager, paris_advisor, end))
        url = reverse("workflows:rupture_cancel", args=[rupture.pk])
        client.force_login(structure_manager)
        assert client.get(url).url == reverse("workflows:rupture", args=[rupture.pk])  # a reload, not a 405
        short = client.post(url, {"comment": "Erreur"})
        assert short.status_code == 400
        assert "10 caractères au moins" in short.text and "Erreur</textarea>" in short.text  # nothing typed lost
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"comment": "La démission a été retirée par la conseillère."})
        assert response.status_code == 302
        rupture.refresh_from_db()
        assert rupture.status == RuptureStatus.CANCELLED
        cancelled = _sent_to(advisor_user.email, "La fin de votre contrat est annulée")
        assert cancelled and "démission a été retirée" in cancelled[0].body
        assert any(m.subject.endswith(": annulée") and hub_agent.email in m.to for m in mail.outbox)
        call_command("apply_contract_endings", "--apply", "--now", _at(end + datetime.timedelta(days=1)))
        paris_advisor.refresh_from_db()
        assert paris_advisor.status == AdvisorStatus.ACTIVE
        # Cancelled: the structure may notify a new end of contract.
        assert _notify(structure_manager, paris_advisor, end).status == RuptureStatus.NOTIFIED

    def test_item1_cancel_refusals_scope_and_an_applied_rupture(
        self, client, in_post, structure_manager, paris_advisor, hub_agent, national_admin, marseille_structure
    ):
        rupture = _validate(
            client, hub_agent, _notify(structure_manager, paris_advisor, TODAY() + datetime.timedelta(days=30))
        )
        url = reverse("workflows:rupture_cancel", args=[rupture.pk])
        data = {"comment": "Le contrat est finalement prolongé."}
        client.force_login(hub_agent)
        assert client.post(url, data).status_code == 403
        with pytest.raises(PermissionDenied):
            services.rupture_cancel(rupture=rupture, user=hub_agent, comment=data["comment"])
        other_manager = UserFactory()
        account_services.membership_grant(
            user=other_manager, role=Role.STRUCTURE_MANAGER, granted_by=None, structure=marseille_structure
        )
        client.force_login(other_manager)
        assert client.post(url, data).status_code == 404
        assert client.get(url).status_code == 404
        rupture.refresh_from_db()
        assert rupture.status == RuptureStatus.SCHEDULED
        # Once applied, it cannot be cancelled any more.
        services.rupture_apply(rupture=rupture, now=timezone.now() + datetime.timedelta(days=31))
        client.force_login(national_admin)
        response = client.post(url, data, follow=True)
        assert "déjà appliquée ou annulée" in response.text
        rupture.refresh_from_db()
        assert rupture.status == RuptureStatus.VALIDATED

    def test_item1_a_notified_rupture_can_be_withdrawn_its_task_closes(
        self, client, in_post, structure_manager, paris_advisor, hub_agent
    ):
        rupture = _notify(structure_manager, paris_advisor, TODAY() + datetime.timedelta(days=30))
        services.rupture_cancel(rupture=rupture, user=structure_manager, comment="Notification envoyée par erreur.")
        rupture.refresh_from_db()
        assert rupture.status == RuptureStatus.CANCELLED
        assert services.open_work_item(Kind.RUPTURE, rupture.pk) is None


class TestItem1Export:
    def test_item1_the_ruptures_spreadsheet_tells_scheduled_from_applied(
        self, client, in_post, structure_manager, paris_advisor, hub_agent
    ):
        end = TODAY() + datetime.timedelta(days=30)
        rupture = _validate(client, hub_agent, _notify(structure_manager, paris_advisor, end))
        url = reverse("workflows:export", args=["fins-de-contrat", "xlsx"])
        sheet = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content))).active
        row = dict(zip([cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]], strict=True))
        assert row["Statut"] == "Validée, effective à la date de fin" and row["Appliquée le"] in ("", None)
        services.rupture_apply(rupture=rupture, now=datetime.datetime.combine(end, datetime.time(12), tzinfo=PARIS))
        csv = b"".join(client.get(reverse("workflows:export", args=["fins-de-contrat", "csv"])).streaming_content)
        header, line = csv.decode("utf-8-sig").splitlines()[:2]
        row = dict(zip(header.split(";"), line.split(";"), strict=True))
        assert row["Statut"] == "Rupture validée" and row["Appliquée le"] == f"{end:%d/%m/%Y}"
