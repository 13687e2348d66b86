"""Issue 14, bulk actions (item 2), assignment and labels (item 5): partial failures per dossier, a confirmation that
writes nothing, jobs that are their user's only, assignment within the scope, labels per team."""

import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from tests.directory.factories import HubFactory
from tests.personas import user_with_role
from tests.territories.factories import department
from tests.workflows.helpers import application_at_hub, confirmed_application, work_item
from tests.workflows.steps import prefecture_review, structure_hub
from workflows import services
from workflows.audiences import MESSAGE_TO_BOTH_HELP, MESSAGE_TO_STRUCTURE_HELP
from workflows.enums import BulkAction, BulkOutcome, BulkStatus, Kind, NotificationEvent, Step, Verdict
from workflows.forms.bulk import BulkActionForm
from workflows.models import BulkJob, Decision, DossierLabel, Label, PendingNotification, WorkItem
from workflows.services import bulk as bulk_service
from workflows.services import bulk_run
from workflows.services.assignment import work_item_assign
from workflows.services.bulk import bulk_job_create, bulk_job_run
from workflows.services.labels import MAX_LABELS_PER_TEAM, dossier_label_add, dossier_label_remove

pytestmark = pytest.mark.django_db

GRANT = f"{Step.STRUCTURE_HUB}:attribuer"
NOTE = "Validation groupée du comité de sélection."


def hub_item(application) -> WorkItem:
    return work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)


def marseille_at_hub(prefecture_marseille):
    application = confirmed_application(in_marseille=True)
    prefecture_review(application, prefecture_marseille)
    return application


def grant_params():
    return {"decision": GRANT, "internal_note": NOTE, "message_to_applicant": ""}


@pytest.fixture
def hub_colleague(hub_idf):
    return user_with_role(Role.HUB, "helene.hub@hub.test", hub=hub_idf)


@pytest.fixture
def marseille_hub_agent(db):
    hub = HubFactory(name="Hub Sud", slug="hub-sud", departments=[department("13")])
    return user_with_role(Role.HUB, "sam.sud@hub.test", hub=hub)


# --- Bulk decisions -----------------------------------------------------------------------------------------------


class TestBulkDecision:
    def test_each_dossier_is_decided_on_its_own_and_failures_are_listed_per_dossier(
        self,
        hub_agent,
        prefecture_paris,
        prefecture_marseille,
        national_admin,
        monkeypatch,
        django_capture_on_commit_callbacks,
    ):
        applications = [application_at_hub(prefecture_paris, advisors_wanted=n) for n in (1, 2, 3)]
        other_step = confirmed_application()  # still waiting for the prefecture's opinion
        marseille = marseille_at_hub(prefecture_marseille)
        ids = [hub_item(a).pk for a in applications]
        ids += [work_item(Kind.STRUCTURE, other_step, Step.STRUCTURE_PREFECTURE).pk, hub_item(marseille).pk]
        monkeypatch.setattr(bulk_service, "INLINE_LIMIT", 0)  # recorded now, run below (the task waits for commit)
        job = bulk_job_create(user=hub_agent, action=BulkAction.DECIDE, params=grant_params(), work_item_ids=ids)
        assert job.total == 4 and job.params["dropped"] == 1  # the Marseille dossier, posted by hand, is dropped
        structure_hub(applications[0], national_admin, "attribuer")  # decided elsewhere meanwhile

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            job = bulk_job_run(job.pk)

        assert (job.status, job.done_count, job.failed_count) == (BulkStatus.DONE, 2, 2)
        outcomes = {item.subject_id: (item.outcome, item.message) for item in job.items.all()}
        assert outcomes[applications[0].pk] == (BulkOutcome.FAILED, "Déjà traité par ailleurs.")
        assert outcomes[other_step.pk] == (BulkOutcome.FAILED, "Pas possible à cette étape.")
        assert marseille.pk not in outcomes
        for application, posts in ((applications[1], 2), (applications[2], 3)):
            assert outcomes[application.pk] == (BulkOutcome.DONE, "")
            decision = Decision.objects.get(subject_id=application.pk, kind=Kind.STRUCTURE, verdict=Verdict.GRANTED)
            assert decision.actor == hub_agent and decision.internal_note == NOTE
            assert decision.reason == f"{posts} poste(s)"
            assert AuditEvent.objects.filter(
                action=AuditAction.WORKFLOW_DECISION, target_id=str(application.pk), actor=hub_agent
            ).exists()
            assert any(application.contact_email in message.to for message in mail.outbox)
            application.refresh_from_db()
            assert application.structure.posts_granted == posts
        # Nothing else lost: the dossier decided elsewhere kept that decision only, the other step is untouched.
        assert Decision.objects.filter(subject_id=applications[0].pk, verdict=Verdict.GRANTED).get().actor == (
            national_admin
        )
        assert WorkItem.objects.get(kind=Kind.STRUCTURE, subject_id=other_step.pk, is_open=True).owner is None
        assert Decision.objects.filter(subject_id=marseille.pk, verdict=Verdict.GRANTED).count() == 0
        # The user is told the job is finished (at once by default).
        assert any(hub_agent.email in m.to and "Un traitement groupé" in m.subject for m in mail.outbox)

    def test_a_rerun_is_idempotent(self, hub_agent, prefecture_paris):
        applications = [application_at_hub(prefecture_paris) for _ in range(2)]
        job = bulk_job_create(
            user=hub_agent,
            action=BulkAction.DECIDE,
            params=grant_params(),
            work_item_ids=[hub_item(a).pk for a in applications],
        )
        assert job.done_count == 2
        BulkJob.objects.filter(pk=job.pk).update(status=BulkStatus.RUNNING)  # as if the worker died at the end
        decisions = Decision.objects.count()
        job = bulk_job_run(job.pk)
        assert Decision.objects.count() == decisions
        assert (job.status, job.done_count, job.failed_count) == (BulkStatus.DONE, 2, 0)

    def test_an_unexpected_error_on_one_dossier_leaves_it_untouched_and_the_others_go_on(
        self, hub_agent, prefecture_paris, monkeypatch
    ):
        applications = [application_at_hub(prefecture_paris) for _ in range(3)]
        broken = hub_item(applications[1]).pk
        perform = bulk_run._perform

        def fragile(job, item, user):
            perform(job, item, user)
            if item.work_item_id == broken:
                raise RuntimeError("disk full")  # after the decision: its transaction must roll it back

        monkeypatch.setattr(bulk_run, "_perform", fragile)
        job = bulk_job_create(
            user=hub_agent,
            action=BulkAction.DECIDE,
            params=grant_params(),
            work_item_ids=[hub_item(a).pk for a in applications],
        )
        assert (job.status, job.done_count, job.failed_count) == (BulkStatus.DONE, 2, 1)
        failed = job.items.get(outcome=BulkOutcome.FAILED)
        assert failed.work_item_id == broken and failed.message == bulk_run.UNEXPECTED_FAILURE
        assert WorkItem.objects.get(pk=broken).is_open  # nothing of its decision was kept
        assert not Decision.objects.filter(subject_id=applications[1].pk, verdict=Verdict.GRANTED).exists()

    def test_a_job_in_parts_is_closed_once_by_the_last_part(
        self, hub_agent, prefecture_paris, monkeypatch, django_capture_on_commit_callbacks
    ):
        applications = [application_at_hub(prefecture_paris) for _ in range(3)]
        monkeypatch.setattr(bulk_service, "INLINE_LIMIT", 0)
        job = bulk_job_create(
            user=hub_agent,
            action=BulkAction.LABEL,
            params={"name": "Comité"},
            work_item_ids=[hub_item(a).pk for a in applications],
        )
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            first = bulk_job_run(job.pk, part=0, parts=2)
            assert first.status == BulkStatus.RUNNING and mail.outbox == []
            last = bulk_job_run(job.pk, part=1, parts=2)
            bulk_job_run(job.pk)  # a late re-run changes nothing
        assert (last.status, last.done_count) == (BulkStatus.DONE, 3)
        assert len([m for m in mail.outbox if hub_agent.email in m.to]) == 1

    def test_only_favourable_opinions_get_the_posts_asked(self, hub_agent, prefecture_paris):
        favourable = application_at_hub(prefecture_paris)
        unfavourable = confirmed_application()
        prefecture_review(unfavourable, prefecture_paris, opinion="defavorable")
        items = [hub_item(favourable), hub_item(unfavourable)]
        preview = bulk_service.bulk_preview(
            user=hub_agent, action=BulkAction.DECIDE, params=grant_params(), work_items=items
        )
        assert [row.outcome for row in preview.eligible] == ["2 postes (nombre demandé)"]
        assert "Pas d'avis favorable" in preview.ineligible[0].outcome
        assert Decision.objects.filter(verdict=Verdict.GRANTED).count() == 0  # a preview writes nothing
        job = bulk_job_create(
            user=hub_agent, action=BulkAction.DECIDE, params=grant_params(), work_item_ids=[i.pk for i in items]
        )
        failed = job.items.get(outcome=BulkOutcome.FAILED)
        assert failed.subject_id == unfavourable.pk and "Pas d'avis favorable" in failed.message

    def test_prefecture_opinion_in_bulk_needs_the_common_note(self, prefecture_paris):
        application = confirmed_application()
        params = {"decision": f"{Step.STRUCTURE_PREFECTURE}:favorable", "internal_note": "court"}
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        with pytest.raises(ValidationError):
            bulk_job_create(user=prefecture_paris, action=BulkAction.DECIDE, params=params, work_item_ids=[item.pk])
        params["internal_note"] = NOTE
        job = bulk_job_create(user=prefecture_paris, action=BulkAction.DECIDE, params=params, work_item_ids=[item.pk])
        assert job.done_count == 1
        assert Decision.objects.get(subject_id=application.pk, verdict=Verdict.FAVORABLE).internal_note == NOTE

    def test_a_decision_of_another_role_is_refused(self, prefecture_paris, hub_agent):
        application = application_at_hub(prefecture_paris)
        with pytest.raises(ValidationError):
            bulk_job_create(
                user=prefecture_paris,
                action=BulkAction.DECIDE,
                params=grant_params(),
                work_item_ids=[hub_item(application).pk],
            )
        assert not BulkJob.objects.exists()

    def test_a_large_selection_runs_as_a_background_task(
        self, hub_agent, prefecture_paris, monkeypatch, django_capture_on_commit_callbacks
    ):
        applications = [application_at_hub(prefecture_paris) for _ in range(3)]
        monkeypatch.setattr(bulk_service, "INLINE_LIMIT", 1)
        with django_capture_on_commit_callbacks(execute=True):
            job = bulk_job_create(
                user=hub_agent,
                action=BulkAction.DECIDE,
                params=grant_params(),
                work_item_ids=[hub_item(a).pk for a in applications],
            )
        job.refresh_from_db()
        assert (job.status, job.done_count) == (BulkStatus.DONE, 3)

    def test_a_structure_manager_cannot_create_a_job(self, structure_manager):
        with pytest.raises(PermissionDenied):
            bulk_job_create(user=structure_manager, action=BulkAction.LABEL, params={"name": "x"}, work_item_ids=[1])


class TestBulkForm:
    def test_the_message_says_who_reads_it_for_the_dossiers_selected(self):
        structures = BulkActionForm(steps={Step.STRUCTURE_HUB}, colleagues=WorkItem.objects.none())
        assert MESSAGE_TO_STRUCTURE_HELP in structures.fields["message_to_applicant"].help_text
        mixed = BulkActionForm(steps={Step.STRUCTURE_HUB, Step.RECRUITMENT_HUB}, colleagues=WorkItem.objects.none())
        assert MESSAGE_TO_BOTH_HELP in mixed.fields["message_to_applicant"].help_text


class TestBulkPages:
    def test_the_confirmation_writes_nothing_and_keeps_the_selection_in_the_page(
        self, client, hub_agent, prefecture_paris
    ):
        applications = [application_at_hub(prefecture_paris, advisors_wanted=3) for _ in range(2)]
        ids = [str(hub_item(a).pk) for a in applications]
        client.force_login(hub_agent)
        url = reverse("workflows:bulk_new")
        page = client.post(url, {"items": ids})
        assert page.status_code == 200
        assert "Attribuer les postes demandés" in page.text
        for pk in ids:
            assert f'name="items" value="{pk}"' in page.text

        decisions = Decision.objects.count()
        confirm = client.post(url, {"items": ids, "stage": "preview", "action": GRANT, "internal_note": NOTE})
        assert confirm.status_code == 200
        assert "Rien n&#x27;est encore enregistré" in confirm.text or "Rien n'est encore enregistré" in confirm.text
        assert "3 postes (nombre demandé)" in confirm.text
        assert Decision.objects.count() == decisions and not BulkJob.objects.exists()

        done = client.post(url, {"items": ids, "stage": "confirm", "action": GRANT, "internal_note": NOTE})
        job = BulkJob.objects.get()
        assert done.status_code == 302 and done.url == reverse("workflows:bulk_job", args=[job.pk])
        assert job.done_count == 2
        page = client.get(done.url)
        assert page.status_code == 200 and "Résultat par dossier" in page.text
        assert client.get(reverse("workflows:bulk_job_status", args=[job.pk])).json()["finished"] is True

    def test_the_confirmation_page_costs_the_same_whatever_the_selection(
        self, client, hub_agent, prefecture_paris, django_assert_max_num_queries
    ):
        ids = [hub_item(application_at_hub(prefecture_paris)).pk for _ in range(12)]
        client.force_login(hub_agent)
        data = {"items": ids, "stage": "preview", "action": GRANT, "internal_note": NOTE}
        with django_assert_max_num_queries(15):
            page = client.post(reverse("workflows:bulk_new"), data)
        assert page.status_code == 200 and "12 dossiers concernés" in page.text

    def test_all_rows_of_the_filtered_list(self, client, hub_agent, prefecture_paris):
        at_hub = application_at_hub(prefecture_paris)
        confirmed_application()  # prefecture step: not in the hub's queue
        client.force_login(hub_agent)
        page = client.post(
            reverse("workflows:bulk_new"), {"scope": "all", "list": "queue", "query": f"step={Step.STRUCTURE_HUB}"}
        )
        assert page.status_code == 200
        assert "1 dossier sélectionné" in page.text
        assert f'name="items" value="{hub_item(at_hub).pk}"' in page.text

    def test_bad_input_is_sent_back_with_what_was_typed(self, client, hub_agent, prefecture_paris):
        item = hub_item(application_at_hub(prefecture_paris))
        client.force_login(hub_agent)
        url = reverse("workflows:bulk_new")
        page = client.post(url, {"items": [item.pk], "stage": "preview", "internal_note": "Ma note à garder"})
        assert page.status_code == 400 and "Ma note à garder" in page.text
        page = client.post(url, {"items": [item.pk], "stage": "preview", "action": "etiquette"})
        assert page.status_code == 400 and "Saisissez le nom de l" in page.text
        assert client.post(url, {"items": ["abc"]}).status_code == 400
        assert not BulkJob.objects.exists()

    def test_another_users_job_is_not_found(self, client, hub_agent, hub_colleague, prefecture_paris):
        item = hub_item(application_at_hub(prefecture_paris))
        job = bulk_job_create(
            user=hub_agent, action=BulkAction.LABEL, params={"name": "Comité"}, work_item_ids=[item.pk]
        )
        client.force_login(hub_colleague)
        assert client.get(reverse("workflows:bulk_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("workflows:bulk_job_status", args=[job.pk])).status_code == 404
        assert job.summary not in client.get(reverse("workflows:bulk_jobs")).text

    def test_a_structure_manager_cannot_reach_bulk_pages(self, client, structure_manager, hub_agent, prefecture_paris):
        item = hub_item(application_at_hub(prefecture_paris))
        job = bulk_job_create(
            user=hub_agent, action=BulkAction.LABEL, params={"name": "Comité"}, work_item_ids=[item.pk]
        )
        client.force_login(structure_manager)
        assert client.get(reverse("workflows:bulk_jobs")).status_code == 403
        assert client.post(reverse("workflows:bulk_new"), {"items": [item.pk]}).status_code == 403
        assert client.get(reverse("workflows:bulk_job", args=[job.pk])).status_code == 403
        assert "Traitements groupés" not in client.get(reverse("workflows:home")).text

    def test_the_job_page_and_list_cost_a_bounded_number_of_queries(
        self, client, hub_agent, prefecture_paris, django_assert_max_num_queries, django_capture_on_commit_callbacks
    ):
        items = [hub_item(application_at_hub(prefecture_paris)) for _ in range(25)]
        with django_capture_on_commit_callbacks(execute=True):  # more than the inline limit: the task runs it
            job = bulk_job_create(
                user=hub_agent, action=BulkAction.LABEL, params={"name": "Comité"}, work_item_ids=[i.pk for i in items]
            )
        job.refresh_from_db()
        assert job.done_count == 25
        client.force_login(hub_agent)
        with django_assert_max_num_queries(20):
            assert client.get(reverse("workflows:bulk_job", args=[job.pk])).status_code == 200
        with django_assert_max_num_queries(20):
            assert client.get(reverse("workflows:bulk_jobs")).status_code == 200


# --- Assignment ---------------------------------------------------------------------------------------------------


class TestAssignment:
    def test_assigning_to_a_colleague_notifies_her(
        self, hub_agent, hub_colleague, prefecture_paris, django_capture_on_commit_callbacks
    ):
        item = hub_item(application_at_hub(prefecture_paris))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            work_item_assign(work_item=item, assignee=hub_colleague, user=hub_agent)
        item.refresh_from_db()
        assert (item.owner, item.assigned_by) == (hub_colleague, hub_agent)
        assert item.task.__class__.objects.get(pk=item.task_id).owner == hub_colleague
        assert Decision.objects.get(subject_id=item.subject_id, verdict=Verdict.ASSIGNED).reason == (
            hub_colleague.get_full_name() or hub_colleague.email
        )
        assert [m.to for m in mail.outbox] == [[hub_colleague.email]]
        assert NOTE not in mail.outbox[0].body

    def test_assigning_to_oneself_sends_nothing(self, hub_agent, prefecture_paris, django_capture_on_commit_callbacks):
        item = hub_item(application_at_hub(prefecture_paris))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            work_item_assign(work_item=item, assignee=hub_agent, user=hub_agent)
        assert mail.outbox == [] and not PendingNotification.objects.exists()

    def test_an_agent_of_another_territory_or_role_is_refused(
        self, hub_agent, marseille_hub_agent, prefecture_paris, prefecture_marseille
    ):
        item = hub_item(application_at_hub(prefecture_paris))
        for other in (marseille_hub_agent, prefecture_paris):
            with pytest.raises(ValidationError):
                work_item_assign(work_item=item, assignee=other, user=hub_agent)
        item.refresh_from_db()
        assert item.owner is None

    def test_a_task_taken_by_a_colleague_is_hers_to_give(self, hub_agent, hub_colleague, prefecture_paris):
        item = hub_item(application_at_hub(prefecture_paris))
        work_item_assign(work_item=item, assignee=hub_colleague, user=hub_colleague)
        with pytest.raises(PermissionDenied):
            work_item_assign(work_item=hub_item(item.task.process.artifact), assignee=hub_agent, user=hub_agent)

    def test_a_national_admin_may_assign_to_an_agent_able_to_act(self, national_admin, hub_agent, prefecture_paris):
        item = hub_item(application_at_hub(prefecture_paris))
        work_item_assign(work_item=item, assignee=hub_agent, user=national_admin)
        item.refresh_from_db()
        assert item.owner == hub_agent
        with pytest.raises(ValidationError):  # the prefecture does not act at the hub's step
            work_item_assign(
                work_item=hub_item(item.task.process.artifact), assignee=prefecture_paris, user=national_admin
            )

    def test_the_dossier_page_offers_the_colleagues_and_the_form_reports_errors(
        self, client, hub_agent, hub_colleague, marseille_hub_agent, prefecture_paris
    ):
        application = application_at_hub(prefecture_paris)
        item = hub_item(application)
        client.force_login(hub_agent)
        page = client.get(reverse("workflows:structure_application", args=[application.pk]))
        assert "Confier à" in page.text and hub_colleague.email in page.text or hub_colleague.last_name in page.text
        assert marseille_hub_agent.email not in page.text
        url = reverse("workflows:follow_up_assign", args=[item.pk])
        assert client.post(url, {"assignee": marseille_hub_agent.pk}).status_code == 400
        answer = client.post(url, {"assignee": hub_colleague.pk})
        assert answer.status_code == 302
        item.refresh_from_db()
        assert item.owner == hub_colleague

    def test_bulk_assignment(self, hub_agent, hub_colleague, prefecture_paris):
        items = [hub_item(application_at_hub(prefecture_paris)) for _ in range(2)]
        job = bulk_job_create(
            user=hub_agent,
            action=BulkAction.ASSIGN,
            params={"assignee": hub_colleague.pk},
            work_item_ids=[i.pk for i in items],
        )
        assert job.done_count == 2
        assert set(WorkItem.objects.filter(pk__in=[i.pk for i in items]).values_list("owner", flat=True)) == {
            hub_colleague.pk
        }

    def test_assignment_notification_may_wait_for_the_digest(self, hub_agent, hub_colleague, prefecture_paris):
        from workflows.models import NotificationPreference

        NotificationPreference.objects.create(user=hub_colleague, event=NotificationEvent.ASSIGNED, mode="synthese")
        item = hub_item(application_at_hub(prefecture_paris))
        mail.outbox.clear()
        work_item_assign(work_item=item, assignee=hub_colleague, user=hub_agent)
        assert mail.outbox == []
        assert PendingNotification.objects.get(user=hub_colleague).title == item.title


# --- Labels -------------------------------------------------------------------------------------------------------


class TestLabels:
    def test_labels_are_per_team_and_deduplicated_without_case(self, hub_agent, hub_colleague, prefecture_paris):
        application = application_at_hub(prefecture_paris)
        first = dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="Comité  juin", user=hub_agent)
        again = dossier_label_add(
            kind=Kind.STRUCTURE, subject_id=application.pk, name="comité juin", user=hub_colleague
        )
        assert (
            first == again
            and first.name == "Comité juin"
            and first.team == f"hub:{hub_agent.memberships.get().hub_id}"
        )
        assert DossierLabel.objects.count() == 1
        theirs = dossier_label_add(
            kind=Kind.STRUCTURE, subject_id=application.pk, name="Comité juin", user=prefecture_paris
        )
        assert theirs != first and Label.objects.count() == 2
        dossier_label_remove(kind=Kind.STRUCTURE, subject_id=application.pk, name="COMITÉ JUIN", user=hub_agent)
        assert list(DossierLabel.objects.values_list("label", flat=True)) == [theirs.pk]

    def test_limits(self, hub_agent, prefecture_paris):
        application = application_at_hub(prefecture_paris)
        with pytest.raises(ValidationError):
            dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="x" * 41, user=hub_agent)
        with pytest.raises(ValidationError):
            dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="   ", user=hub_agent)
        team = "hub:" + str(hub_agent.memberships.get().hub_id)
        Label.objects.bulk_create(Label(team=team, name=f"L{n}") for n in range(MAX_LABELS_PER_TEAM))
        with pytest.raises(ValidationError):
            dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="Une de trop", user=hub_agent)
        dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="l3", user=hub_agent)  # reused

    def test_the_dossier_page_shows_my_teams_labels_only(self, client, hub_agent, prefecture_paris):
        application = application_at_hub(prefecture_paris)
        dossier_label_add(
            kind=Kind.STRUCTURE, subject_id=application.pk, name="Étiquette du préfet", user=prefecture_paris
        )
        client.force_login(hub_agent)
        url = reverse("workflows:structure_application", args=[application.pk])
        assert "Étiquette du préfet" not in client.get(url).text
        add = reverse("workflows:follow_up_label_add", args=[Kind.STRUCTURE, application.pk])
        assert client.post(add, {"name": "À revoir"}).status_code == 302
        assert "À revoir" in client.get(url).text
        page = client.post(add, {"name": "y" * 60})
        assert page.status_code == 400 and "y" * 40 in page.text

    def test_a_structure_manager_never_sees_labels(self, client, structure_manager, hub_agent, paris_structure):
        from tests.workflows.helpers import confirmed_application as applied

        application = applied(siret=paris_structure.siret)
        dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="Secret agents", user=hub_agent)
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:structure_application", args=[application.pk]))
        assert page.status_code == 200
        assert "Secret agents" not in page.text and "Suivi interne" not in page.text
        add = reverse("workflows:follow_up_label_add", args=[Kind.STRUCTURE, application.pk])
        assert client.post(add, {"name": "x"}).status_code == 403
        with pytest.raises(PermissionDenied):
            dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="x", user=structure_manager)

    def test_out_of_scope_dossiers_are_not_found(self, client, prefecture_marseille, prefecture_paris):
        application = application_at_hub(prefecture_paris)
        client.force_login(prefecture_marseille)
        add = reverse("workflows:follow_up_label_add", args=[Kind.STRUCTURE, application.pk])
        assert client.post(add, {"name": "x"}).status_code == 404
        assert (
            client.post(reverse("workflows:follow_up_label_add", args=["nope", 1]), {"name": "x"}).status_code == 404
        )
        assert client.post(reverse("workflows:follow_up_assign", args=[hub_item(application).pk])).status_code == 404
        with pytest.raises(PermissionDenied):
            dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="x", user=prefecture_marseille)

    def test_bulk_label(self, hub_agent, prefecture_paris):
        items = [hub_item(application_at_hub(prefecture_paris)) for _ in range(3)]
        job = bulk_job_create(
            user=hub_agent, action=BulkAction.LABEL, params={"name": "Comité"}, work_item_ids=[i.pk for i in items]
        )
        assert job.done_count == 3 and DossierLabel.objects.filter(label__name="Comité").count() == 3


# --- PostgreSQL: a bulk job and a single decision on the same dossier at once -------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
class TestBulkJobAgainstASingleDecision:
    def test_the_dossier_is_decided_once_and_the_job_reports_it(
        self, hub_agent, national_admin, prefecture_paris, monkeypatch
    ):
        application = application_at_hub(prefecture_paris)
        item = hub_item(application)
        original = services.DecisionLog.record

        def slow_record(self, *args, **kwargs):
            time.sleep(1)  # the single decision holds the dossier's lock while the job reaches it
            return original(self, *args, **kwargs)

        monkeypatch.setattr(services.DecisionLog, "record", slow_record)
        barrier = threading.Barrier(2)
        results = {}

        def single():
            try:
                client = Client()
                client.force_login(national_admin)
                barrier.wait()
                data = {"decision": "attribuer", "posts_granted": 2}
                results["single"] = client.post(reverse("workflows:decide", args=[item.pk]), data, follow=True)
            finally:
                connections.close_all()

        def bulk():
            try:
                barrier.wait()
                time.sleep(0.3)
                results["job"] = bulk_job_create(
                    user=hub_agent, action=BulkAction.DECIDE, params=grant_params(), work_item_ids=[item.pk]
                )
            finally:
                connections.close_all()

        threads = [threading.Thread(target=single), threading.Thread(target=bulk)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not any(thread.is_alive() for thread in threads)

        assert "Votre décision est enregistrée." in results["single"].text
        job = BulkJob.objects.get(pk=results["job"].pk)
        assert (job.status, job.done_count, job.failed_count) == (BulkStatus.DONE, 0, 1)
        assert job.items.get().message == "Déjà traité par ailleurs."
        granted = Decision.objects.filter(subject_id=application.pk, kind=Kind.STRUCTURE, verdict=Verdict.GRANTED)
        assert granted.count() == 1 and granted.get().actor == national_admin
        assert WorkItem.objects.filter(kind=Kind.STRUCTURE, subject_id=application.pk, is_open=True).count() == 0
