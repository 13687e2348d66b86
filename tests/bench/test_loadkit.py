"""The load machinery of bench/: statistics, persona planning, and a few seconds of virtual users on a live server."""

import pytest

from bench.loadkit.client import ATTACHMENT_MESSAGE, acknowledged, error_label, small_pdf
from bench.loadkit.mix import (
    Action,
    attach_or_browse,
    decide_or_browse,
    page,
    parse_shares,
    persona_counts,
    plan_users,
)
from bench.loadkit.runner import run_load
from bench.loadkit.stats import Recorder, format_pairs, format_table, percentile
from reporting.models import Activity
from tests.workflows.helpers import confirmed_application
from workflows.enums import Kind, Step
from workflows.models import Decision, Message, WorkItem


class TestPercentile:
    def test_it_takes_the_nearest_rank(self):
        values = [float(n) for n in range(1, 101)]
        assert percentile(values, 0.50) == 50.0
        assert percentile(values, 0.95) == 95.0
        assert percentile(values, 0.99) == 99.0
        assert percentile(values, 1.0) == 100.0

    def test_it_handles_tiny_samples(self):
        assert percentile([], 0.95) == 0.0
        assert percentile([0.2], 0.5) == 0.2
        assert percentile([0.1, 0.9], 0.99) == 0.9


class TestRecorder:
    def test_it_groups_requests_per_endpoint_and_phase_with_a_total(self):
        recorder = Recorder()
        recorder.set_phase("avant")
        for latency in (0.010, 0.020, 0.030):
            recorder.add("accueil", latency)
        recorder.add("api", 0.5, error="HTTP 500")
        recorder.set_phase("après")
        recorder.add("api", 0.1)

        rows = {row["endpoint"]: row for row in recorder.rows(seconds=2.0)}
        assert rows["accueil"]["requests"] == 3 and rows["accueil"]["errors"] == 0
        assert rows["accueil"]["p50"] == pytest.approx(20.0)
        assert rows["api"]["requests"] == 2 and rows["api"]["errors"] == 1
        assert rows["TOTAL"]["requests"] == 5 and rows["TOTAL"]["rps"] == pytest.approx(2.5)
        assert [row["endpoint"] for row in recorder.rows(phase="après")] == ["api", "TOTAL"]
        assert recorder.rows(phase="après")[-1]["errors"] == 0
        assert recorder.error_kinds() == {"api": {"HTTP 500": 1}}
        assert recorder.phases == ["charge", "avant", "après"]

    def test_it_finds_the_first_success_after_a_moment(self):
        recorder = Recorder()
        recorder.add("api", 0.1, error="ConnectionError")
        assert recorder.last_failure() is not None
        assert recorder.first_success_after(0.0) is None
        recorder.add("api", 0.1)
        assert recorder.first_success_after(0.0) > 0

    def test_it_finds_the_first_success_of_given_endpoints(self):
        recorder = Recorder()
        recorder.add("api", 0.1)
        assert recorder.first_success_after(0.0, ("pièce jointe",)) is None
        recorder.add("pièce jointe", 0.1)
        assert recorder.first_success_after(0.0, ("pièce jointe",)) > 0

    def test_it_counts_the_failures_outside_the_fault_windows(self):
        recorder = Recorder()
        recorder.add("api", 0.1, error="HTTP 502")
        (failed_at, _, _) = recorder.outcomes[0]
        recorder.add("api", 0.1)
        assert recorder.failures_outside([]) == 1
        assert recorder.failures_outside([(failed_at - 1, failed_at + 1)]) == 0
        assert recorder.failures_outside([(failed_at + 1, failed_at + 2)]) == 1

    def test_the_tables_are_aligned_markdown(self):
        recorder = Recorder()
        recorder.add("public : accueil", 0.012)
        table = format_table(recorder.rows(seconds=1.0), "Titre")
        lines = [line for line in table.splitlines() if line]
        assert lines[0] == "Titre"
        assert "| Endpoint" in lines[1] and "p95 (ms)" in lines[1]
        assert len({len(line) for line in lines[1:]}) == 1
        assert "| TOTAL" in lines[-1]
        pairs = format_pairs(("A", "Bé"), [("x", 1), ("yy", 22)])
        assert pairs.splitlines()[2] == "| x  | 1  |"


class Redirect:
    status_code = 302

    def __init__(self, location):
        self.headers = {"Location": location}


class TestClientHelpers:
    def test_only_the_success_redirect_acknowledges_a_submission(self):
        assert acknowledged(Redirect("/coop/activites/"), "/coop/activites/")
        assert acknowledged(Redirect("https://127.0.0.1:8000/espace/structures/3/"), "/espace/")
        assert not acknowledged(Redirect("/connexion/?next=/coop/activites/nouvelle/"), "/coop/activites/")
        assert not acknowledged(None, "/coop/activites/")
        rerendered = Redirect("/coop/activites/")
        rerendered.status_code = 200
        assert not acknowledged(rerendered, "/coop/activites/")

    def test_error_labels_name_the_innermost_cause(self):
        try:
            try:
                raise ConnectionResetError("reset")
            except ConnectionResetError as reset:
                raise RuntimeError("wrapped", reset) from reset
        except RuntimeError as error:
            assert error_label(error) == "RuntimeError/ConnectionResetError"
        assert error_label(ValueError("seul")) == "ValueError"


class TestPlanning:
    def test_it_splits_users_by_share_and_gives_each_logged_in_user_an_account(self):
        assert persona_counts(50, {"visitor": 40, "advisor": 50, "agent": 10}) == {
            "visitor": 20,
            "advisor": 25,
            "agent": 5,
        }
        assert sum(persona_counts(7, {"visitor": 40, "advisor": 50, "agent": 10}).values()) == 7
        accounts = {"advisor": [{"email": f"a{n}"} for n in range(3)]}
        plan = plan_users(5, {"visitor": 40, "advisor": 60}, accounts)
        assert [persona for persona, _ in plan] == ["visitor", "visitor", "advisor", "advisor", "advisor"]
        assert [account["email"] for persona, account in plan if persona == "advisor"] == ["a0", "a1", "a2"]

    def test_it_refuses_more_users_than_accounts(self):
        with pytest.raises(SystemExit, match="comptes préparés"):
            plan_users(10, {"advisor": 100}, {"advisor": [{"email": "seul"}]})

    def test_it_refuses_a_malformed_share(self):
        assert parse_shares("visitor=30,advisor=70") == {"visitor": 30, "advisor": 70}
        for text in ("visiteur=30", "advisor=beaucoup", "advisor"):
            with pytest.raises(ValueError, match="part invalide"):
                parse_shares(text)


class TestLiveRun:
    """A few seconds of the real clients: logins with CSRF, report submissions and a decision, then integrity."""

    def test_every_acknowledged_submission_is_stored_exactly_once(
        self, live_server, advisor_user, paris_advisor, prefecture_paris, password
    ):
        application = confirmed_application()
        item = WorkItem.objects.get(kind=Kind.STRUCTURE, subject_id=application.pk, step=Step.STRUCTURE_PREFECTURE)
        accounts = {
            "advisor": [{"email": advisor_user.email, "password": password, "place": paris_advisor.places.first().pk}],
            "agent": [
                {
                    "email": prefecture_paris.email,
                    "password": password,
                    "work_items": [item.pk],
                    "dossiers": [application.pk],
                }
            ],
        }
        actions = [
            Action("report", "advisor", 2, lambda user: user.submit_report()),
            Action("relogin", "advisor", 1, lambda user: user.relogin()),
            Action("decision", "agent", 1, decide_or_browse),
            Action("attachment", "agent", 1, attach_or_browse),
            Action("api", "visitor", 1, page("api : thématiques", "/api/thematiques/")),
        ]
        recorder, reports, decisions, attachments = Recorder(), [], [], []
        # One persona at a time, over kept-alive connections (behind_proxy=False): on SQLite the live server shares the
        # test's single in-memory connection, so two of its request threads must never overlap.
        for persona in ("advisor", "agent", "visitor"):
            ledger, _ = run_load(
                live_server.url,
                recorder=recorder,
                accounts=accounts,
                users=1,
                duration=1.5,
                shares={persona: 1},
                think=0.05,
                spawn_rate=0,
                actions=actions,
                behind_proxy=False,
            )
            reports += ledger.reports
            decisions += ledger.decisions
            attachments += ledger.attachments

        total = recorder.rows()[-1]
        assert total["errors"] == 0, recorder.error_kinds()
        endpoints = {row["endpoint"] for row in recorder.rows()}
        assert {
            "connexion (POST)",
            "déconnexion (POST)",
            "coop : envoi CRA (POST)",
            "espace : décision (POST)",
            "espace : pièce jointe (POST)",
            "espace : pièce jointe (GET)",
            "api : thématiques",
        } <= endpoints
        assert reports and all(entry["acknowledged"] for entry in reports)
        for entry in reports:
            assert Activity.objects.filter(idempotency_token=entry["token"]).count() == 1
        assert Activity.objects.filter(advisor=paris_advisor).count() == len(reports)
        assert len(decisions) == 1 and decisions[0]["acknowledged"]
        assert Decision.objects.filter(internal_note__contains=decisions[0]["token"]).count() == 1
        item.refresh_from_db()
        assert not item.is_open
        assert attachments and all(entry["acknowledged"] for entry in attachments)
        for entry in attachments:
            message = Message.objects.get(body=ATTACHMENT_MESSAGE.format(token=entry["token"]))
            (stored,) = message.attachments.all()
            assert stored.file.read() == small_pdf()
