"""Issue 15 part 4: the monthly summary e-mailed to structure managers, its setting and its unsubscribe link."""

import html
from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.enums import Role
from reporting.models import MonthlySummaryLog, MonthlySummarySetting
from reporting.monthly_summary import (
    MonthError,
    parse_month,
    previous_month,
    send_monthly_summaries,
    unsubscribe_token,
)
from tests import personas
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory
from tests.reporting.factories import ActivityFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)
FEBRUARY = date(2026, 2, 1)
SETTING = reverse("pilotage:monthly_summary")


def unsubscribe_path(structure, user) -> str:
    return reverse("pilotage:monthly_summary_unsubscribe", kwargs={"token": unsubscribe_token(structure.pk, user.pk)})


@pytest.fixture
def february(paris_advisor, marseille_advisor):
    ActivityFactory(advisor=paris_advisor, date=date(2026, 2, 3), collective=True, participants=7)
    ActivityFactory(advisor=paris_advisor, date=date(2026, 2, 20), administrative=True)
    ActivityFactory(advisor=paris_advisor, date=date(2026, 3, 2))  # the current month: not summarised
    ActivityFactory(advisor=marseille_advisor, date=date(2026, 2, 5), notes="Mme Germaine Lambert")


@pytest.fixture
def marseille_manager(marseille_structure):
    return personas.create_user(personas.STRUCTURE_MARSEILLE, structure=marseille_structure)


def send(capture, **kwargs):
    with capture(execute=True):
        return send_monthly_summaries(today=TODAY, **kwargs)


def sent_to() -> list[tuple[str, ...]]:
    return sorted(tuple(message.to) for message in mail.outbox)


class TestMonths:
    def test_the_default_is_the_previous_month(self):
        assert previous_month(TODAY) == FEBRUARY
        assert previous_month(date(2026, 1, 1)) == date(2025, 12, 1)

    @pytest.mark.parametrize("value", ["2026-03", "2026-04", "2031-01", "2019-12", "2026-13", "mars", "2026"])
    def test_the_current_a_future_or_a_malformed_month_is_refused(self, value):
        with pytest.raises(MonthError):
            parse_month(value, today=TODAY)

    def test_a_past_month_is_accepted(self):
        assert parse_month("2025-11", today=TODAY) == date(2025, 11, 1)

    def test_the_service_refuses_the_current_month_too(self):
        with pytest.raises(MonthError):
            send_monthly_summaries(month=date(2026, 3, 1), today=TODAY)


class TestSending:
    def test_each_structure_s_managers_get_their_own_summary_once(
        self,
        february,
        structure_manager,
        marseille_manager,
        paris_advisor,
        paris_structure,
        django_capture_on_commit_callbacks,
    ):
        report = send(django_capture_on_commit_callbacks)
        assert (report.month, report.structures, report.emails) == (FEBRUARY, 2, 2)
        assert sent_to() == sorted([(structure_manager.email,), (marseille_manager.email,)])
        paris = next(message for message in mail.outbox if message.to == [structure_manager.email])
        assert "février 2026" in paris.subject and paris_structure.name in paris.subject
        assert paris_advisor.full_name in paris.body
        assert "8 accompagnements lors de 2 activités" in paris.body  # March is not counted
        assert "Aide aux démarches administratives" in paris.body  # top thématiques
        assert "/pilotage/?du=2026-02-01&au=2026-02-28" in paris.body
        html_part = paris.alternatives[0][0]
        assert paris_advisor.full_name in html_part and "<table" in html_part
        assert unsubscribe_path(paris_structure, structure_manager) in paris.body
        assert MonthlySummaryLog.objects.filter(month=FEBRUARY).count() == 2

    def test_no_beneficiary_name_and_no_other_structure_in_a_summary(
        self, february, structure_manager, marseille_manager, marseille_advisor, django_capture_on_commit_callbacks
    ):
        send(django_capture_on_commit_callbacks)
        paris = next(message for message in mail.outbox if message.to == [structure_manager.email])
        text = paris.body + paris.alternatives[0][0]
        assert "Lambert" not in text and marseille_advisor.last_name not in text
        marseille = next(message for message in mail.outbox if message.to == [marseille_manager.email])
        assert "Lambert" not in marseille.body + marseille.alternatives[0][0]

    def test_a_rerun_sends_nothing(self, february, structure_manager, django_capture_on_commit_callbacks):
        send(django_capture_on_commit_callbacks)
        mail.outbox.clear()
        report = send(django_capture_on_commit_callbacks)
        assert not mail.outbox and report.structures == 0 and report.skipped_already_sent == 1

    def test_an_opted_out_structure_gets_nothing(
        self, february, structure_manager, marseille_manager, paris_structure, django_capture_on_commit_callbacks
    ):
        MonthlySummarySetting.objects.create(structure=paris_structure, enabled=False)
        report = send(django_capture_on_commit_callbacks)
        assert sent_to() == [(marseille_manager.email,)] and report.skipped_opted_out == 1
        assert not MonthlySummaryLog.objects.filter(structure=paris_structure).exists()

    def test_revoked_managers_and_other_roles_are_not_mailed(
        self, february, structure_manager, advisor_user, prefecture_paris, django_capture_on_commit_callbacks
    ):
        structure_manager.memberships.update(revoked_at="2026-01-01T00:00:00Z")
        report = send(django_capture_on_commit_callbacks)
        assert not mail.outbox and report.skipped_without_manager == 2

    def test_advisors_without_reports_are_listed_by_count_of_silence(
        self, february, structure_manager, paris_structure, django_capture_on_commit_callbacks
    ):
        silent = AdvisorFactory(structure=paris_structure, first_name="Léa", last_name="Silencieuse")
        PlaceAssignmentFactory(advisor=silent, is_principal=True)
        send(django_capture_on_commit_callbacks)
        assert "Sans compte-rendu d'activité ce mois-ci : Léa Silencieuse." in mail.outbox[0].body

    def test_a_past_month_can_be_sent_explicitly(
        self, paris_advisor, structure_manager, django_capture_on_commit_callbacks
    ):
        ActivityFactory(advisor=paris_advisor, date=date(2025, 11, 14))
        report = send(django_capture_on_commit_callbacks, month=date(2025, 11, 1))
        assert report.structures == 1 and "novembre 2025" in mail.outbox[0].subject
        assert send(django_capture_on_commit_callbacks).structures == 0  # nothing in February

    def test_a_bounded_number_of_queries(
        self, february, structure_manager, marseille_manager, django_assert_max_num_queries
    ):
        for _ in range(5):
            advisor = AdvisorFactory(structure=structure_manager.memberships.get().structure)
            PlaceAssignmentFactory(advisor=advisor, is_principal=True)
            ActivityFactory(advisor=advisor, date=date(2026, 2, 10))
        with django_assert_max_num_queries(7 + 2 * 4):  # reads, then per structure: savepoint, log, release
            send_monthly_summaries(today=TODAY)


class TestCommand:
    def test_it_sends_the_previous_month_and_says_so(
        self, february, structure_manager, django_capture_on_commit_callbacks, capsys, monkeypatch
    ):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_monthly_summaries")
        assert "Bilan de février 2026" in capsys.readouterr().out and mail.outbox

    def test_dry_run_sends_nothing(self, february, structure_manager, monkeypatch):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
        call_command("send_monthly_summaries", "--dry-run")
        assert not mail.outbox and not MonthlySummaryLog.objects.exists()

    def test_the_current_month_is_refused(self):
        with pytest.raises(CommandError):
            call_command("send_monthly_summaries", "--month", "2999-01")


class TestSettingPage:
    def test_a_manager_opts_out_and_back_in(self, client, structure_manager, paris_structure):
        client.force_login(structure_manager)
        page = client.get(SETTING)
        assert page.status_code == 200 and "checked" in page.text and "Bilan mensuel" in page.text
        assert client.post(SETTING, {}).status_code == 302
        setting = MonthlySummarySetting.objects.get(structure=paris_structure)
        assert (setting.enabled, setting.changed_by) == (False, structure_manager)
        client.post(SETTING, {"enabled": "on"})
        setting.refresh_from_db()
        assert setting.enabled

    def test_the_menu_offers_it_to_structure_managers_only(self, client, structure_manager, prefecture_paris):
        client.force_login(structure_manager)
        assert SETTING in client.get(reverse("pilotage:dashboard")).text
        client.force_login(prefecture_paris)
        assert SETTING not in client.get(reverse("pilotage:dashboard")).text
        assert client.get(SETTING).status_code == 403


class TestUnsubscribeLink:
    def test_get_only_asks_and_post_unsubscribes(self, client, structure_manager, paris_structure):
        path = unsubscribe_path(paris_structure, structure_manager)
        response = client.get(path)
        assert response.status_code == 200 and "Ne plus recevoir le bilan mensuel" in html.unescape(response.text)
        assert not MonthlySummarySetting.objects.exists()  # e-mail scanners follow GETs
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert client.post(path).status_code == 200
        setting = MonthlySummarySetting.objects.get(structure=paris_structure)
        assert (setting.enabled, setting.changed_by) == (False, structure_manager)

    def test_a_forged_or_stale_link_is_a_404(self, client, structure_manager, paris_structure, marseille_structure):
        forged = reverse("pilotage:monthly_summary_unsubscribe", kwargs={"token": "abc:def"})
        assert client.get(forged).status_code == 404
        assert client.post(unsubscribe_path(marseille_structure, structure_manager)).status_code == 404
        structure_manager.memberships.filter(role=Role.STRUCTURE_MANAGER).update(revoked_at="2026-01-01T00:00:00Z")
        assert client.post(unsubscribe_path(paris_structure, structure_manager)).status_code == 404
        assert not MonthlySummarySetting.objects.exists()
