"""Issue 14, items 5 and 6: the agents' private annotations on a dossier, the notification preferences of each agent,
the daily digest (new tasks and the events kept for it) and the immediate e-mail of a new task."""

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from tests.personas import user_with_role
from tests.territories.factories import department
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import confirmed_application, work_item
from workflows import services, tokens
from workflows.enums import Kind, NotificationEvent, NotificationMode, Step
from workflows.models import Annotation, NotificationPreference, PendingNotification
from workflows.notifications.agents import agent_notify
from workflows.notifications.deadlines import new_task_opened
from workflows.services.annotations import annotation_add, annotation_delete
from workflows.services.preferences import notification_preferences_save

pytestmark = pytest.mark.django_db

SECRET = "Appel au maire : dossier fragile, vérifier les statuts"


@pytest.fixture
def recruitment(structure_manager):
    """A recruitment of the Paris structure (department 75)."""
    return services.recruitment_preselect(candidate=CandidateFactory(last_name="Annotée"), user=structure_manager)


def add_url(kind, pk):
    return reverse("workflows:annotation_add", args=[kind, pk])


def dossier(kind, pk):
    return reverse(
        "workflows:recruitment" if kind == Kind.RECRUITMENT else "workflows:structure_application", args=[pk]
    )


def prefer(user, event, mode):
    NotificationPreference.objects.update_or_create(user=user, event=event, defaults={"mode": mode})


def digest_run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=io.StringIO())


def _agent_75():
    """A colleague of Paul at the prefecture of Paris."""
    return user_with_role(Role.PREFECTURE, "collegue.75@paris.gouv.fr", department=department("75"))


# --- Annotations --------------------------------------------------------------------------------------------------


class TestAnnotations:
    def test_an_agent_annotates_and_other_agents_of_the_territory_read_it(
        self, client, recruitment, prefecture_paris, hub_agent
    ):
        client.force_login(prefecture_paris)
        page = client.get(dossier(Kind.RECRUITMENT, recruitment.pk))
        assert "Annotations privées des agents" in page.text and "jamais par la structure ni le candidat" in page.text
        response = client.post(add_url(Kind.RECRUITMENT, recruitment.pk), {"annotation-body": f"  {SECRET}  "})
        assert response.status_code == 302 and response.url.endswith("#annotations")
        note = Annotation.objects.get()
        assert note.body == SECRET and note.author == prefecture_paris
        assert note.author_label.startswith("Paul Agent (Agent de préfecture")
        client.force_login(hub_agent)
        page = client.get(dossier(Kind.RECRUITMENT, recruitment.pk))
        assert SECRET in page.text and "Paul Agent" in page.text
        assert (
            reverse("workflows:annotation_delete", args=[Kind.RECRUITMENT, recruitment.pk, note.pk]) not in page.text
        )

    def test_a_structure_manager_never_sees_nor_writes_annotations(self, client, recruitment, structure_manager):
        annotation_add(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body=SECRET, user=_agent_75())
        client.force_login(structure_manager)
        page = client.get(dossier(Kind.RECRUITMENT, recruitment.pk))
        assert page.status_code == 200
        assert SECRET not in page.text and "Annotations privées" not in page.text
        assert add_url(Kind.RECRUITMENT, recruitment.pk) not in page.text
        response = client.post(add_url(Kind.RECRUITMENT, recruitment.pk), {"annotation-body": "Je peux écrire ?"})
        assert response.status_code == 403
        note = Annotation.objects.get()
        delete = client.post(reverse("workflows:annotation_delete", args=[Kind.RECRUITMENT, recruitment.pk, note.pk]))
        assert delete.status_code == 403
        assert Annotation.objects.count() == 1
        with pytest.raises(PermissionDenied):
            annotation_add(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body="Non", user=structure_manager)

    def test_another_territory_gets_404(self, client, recruitment, prefecture_marseille):
        client.force_login(prefecture_marseille)
        assert client.post(add_url(Kind.RECRUITMENT, recruitment.pk), {"annotation-body": "Ici ?"}).status_code == 404
        assert client.get(add_url(Kind.RECRUITMENT, recruitment.pk)).status_code == 404
        assert client.post(add_url("inconnu", recruitment.pk), {"annotation-body": "Ici ?"}).status_code == 404
        note = annotation_add(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body=SECRET, user=_agent_75())
        delete_url = reverse("workflows:annotation_delete", args=[Kind.RECRUITMENT, recruitment.pk, note.pk])
        assert client.post(delete_url).status_code == 404
        with pytest.raises(PermissionDenied):
            annotation_add(
                kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body="Hors champ", user=prefecture_marseille
            )
        assert Annotation.objects.count() == 1

    def test_bad_input_answers_400_with_the_text_kept(self, client, recruitment, prefecture_paris):
        client.force_login(prefecture_paris)
        too_long = "Une phrase qui se répète. " * 100
        response = client.post(add_url(Kind.RECRUITMENT, recruitment.pk), {"annotation-body": too_long})
        assert response.status_code == 400
        assert "2 000 caractères au maximum" in response.text and "Une phrase qui se répète." in response.text
        empty = client.post(add_url(Kind.RECRUITMENT, recruitment.pk), {"annotation-body": "   "})
        assert empty.status_code == 400 and "Écrivez l&#x27;annotation." in empty.text
        assert not Annotation.objects.exists()
        # A reload of the form's URL lands on the dossier.
        assert client.get(add_url(Kind.RECRUITMENT, recruitment.pk)).status_code == 302

    def test_the_author_deletes_her_own_only_and_it_is_audited(self, client, recruitment, prefecture_paris, hub_agent):
        mine = annotation_add(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body=SECRET, user=prefecture_paris)
        theirs = annotation_add(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body="Vu au hub.", user=hub_agent)
        client.force_login(prefecture_paris)
        other = client.post(reverse("workflows:annotation_delete", args=[Kind.RECRUITMENT, recruitment.pk, theirs.pk]))
        assert other.status_code == 403
        with pytest.raises(PermissionDenied):
            annotation_delete(annotation=theirs, user=prefecture_paris)
        response = client.post(
            reverse("workflows:annotation_delete", args=[Kind.RECRUITMENT, recruitment.pk, mine.pk])
        )
        assert response.status_code == 302
        assert list(Annotation.objects.values_list("pk", flat=True)) == [theirs.pk]
        event = AuditEvent.objects.get(details__operation="annotation_supprimee")
        assert event.action == AuditAction.WORKFLOW_DECISION and event.actor == prefecture_paris
        assert SECRET not in str(event.details) and event.details["annotation"] == mine.pk

    def test_annotations_never_reach_the_candidate_or_e_mails(
        self, client, recruitment, prefecture_paris, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            annotation_add(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body=SECRET, user=prefecture_paris)
        token = tokens.make_token(tokens.MANAGE_CANDIDATE, recruitment.candidate_id)
        download = client.get(reverse("candidature:candidate_data", args=[token]))
        assert download.status_code == 200 and SECRET not in download.content.decode()
        manage = client.get(reverse("candidature:candidate_manage", args=[token]))
        assert SECRET not in manage.text
        assert not any(SECRET in message.body for message in mail.outbox)

    def test_the_page_reads_annotations_in_one_query(self, client, recruitment, prefecture_paris):
        client.force_login(prefecture_paris)
        url = dossier(Kind.RECRUITMENT, recruitment.pk)
        annotation_add(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body="Première.", user=prefecture_paris)
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for number in range(10):
            annotation_add(
                kind=Kind.RECRUITMENT, subject_id=recruitment.pk, body=f"Note {number}", user=prefecture_paris
            )
        with CaptureQueriesContext(connection) as eleven:
            assert "Note 9" in client.get(url).text
        assert len(eleven) == len(one)


# --- Preferences --------------------------------------------------------------------------------------------------


class TestPreferences:
    def test_defaults_are_shown_then_saved(self, client, prefecture_paris):
        client.force_login(prefecture_paris)
        page = client.get(reverse("workflows:preferences"))
        assert page.status_code == 200
        assert "Mes notifications" in page.text and "Synthèse quotidienne" in page.text
        assert page.text.count('type="radio"') == 2 * len(NotificationEvent.values)
        assert page.context["form"].initial[NotificationEvent.NEW_TASK] == NotificationMode.DIGEST
        assert page.context["form"].initial[NotificationEvent.ASSIGNED] == NotificationMode.IMMEDIATE
        data = dict.fromkeys(NotificationEvent.values, NotificationMode.DIGEST)
        data[NotificationEvent.NEW_TASK] = NotificationMode.IMMEDIATE
        response = client.post(reverse("workflows:preferences"), data)
        assert response.status_code == 302
        saved = dict(NotificationPreference.objects.filter(user=prefecture_paris).values_list("event", "mode"))
        assert saved == data
        again = client.get(reverse("workflows:preferences"))
        assert again.context["form"].initial[NotificationEvent.NEW_TASK] == NotificationMode.IMMEDIATE
        assert "Mes notifications" in client.get(reverse("workflows:queue")).text

    def test_bad_or_missing_values_answer_400_and_keep_the_choices(self, client, hub_agent):
        client.force_login(hub_agent)
        data = dict.fromkeys(NotificationEvent.values, NotificationMode.DIGEST)
        data[NotificationEvent.ASSIGNED] = "pigeon"
        response = client.post(reverse("workflows:preferences"), data)
        assert (
            response.status_code == 400
            and "Choisissez « E-mail immédiat » ou « Synthèse quotidienne »." in response.text
        )
        assert response.context["form"].data[NotificationEvent.BULK_FINISHED] == NotificationMode.DIGEST
        assert client.post(reverse("workflows:preferences"), {}).status_code == 400
        assert not NotificationPreference.objects.exists()
        with pytest.raises(Exception, match="inconnu"):
            notification_preferences_save(user=hub_agent, modes={"autre": NotificationMode.DIGEST})

    def test_structure_managers_have_no_preferences_and_national_no_new_tasks(
        self, client, structure_manager, national_admin
    ):
        client.force_login(structure_manager)
        assert client.get(reverse("workflows:preferences")).status_code == 403
        assert "Mes notifications" not in client.get(reverse("workflows:queue")).text
        with pytest.raises(PermissionDenied):
            notification_preferences_save(user=structure_manager, modes={})
        client.force_login(national_admin)
        page = client.get(reverse("workflows:preferences"))
        assert page.status_code == 200 and NotificationEvent.NEW_TASK not in page.context["form"].fields


# --- agent_notify, digest, new tasks ------------------------------------------------------------------------------


class TestAgentNotify:
    def test_immediate_by_default_digest_when_chosen(self, hub_agent, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            agent_notify(hub_agent, NotificationEvent.ASSIGNED, title="Candidature de Tiers-lieu A")
        assert [m.to for m in mail.outbox] == [[hub_agent.email]]
        assert not PendingNotification.objects.exists()
        mail.outbox.clear()
        prefer(hub_agent, NotificationEvent.ASSIGNED, NotificationMode.DIGEST)
        with django_capture_on_commit_callbacks(execute=True):
            agent_notify(hub_agent, NotificationEvent.ASSIGNED, title="Candidature de Tiers-lieu B")
        assert not mail.outbox
        assert PendingNotification.objects.get().title == "Candidature de Tiers-lieu B"


class TestDigest:
    def test_pending_events_grouped_with_new_tasks_once_for_two_roles_then_deleted(
        self, hub_idf, django_capture_on_commit_callbacks
    ):
        agent = user_with_role(Role.PREFECTURE, "double.role@paris.gouv.fr", department=department("75"))
        account_services.membership_grant(user=agent, role=Role.HUB, granted_by=None, hub=hub_idf)
        application = confirmed_application(name="Point numérique Oberkampf")
        for event in NotificationEvent.values:
            prefer(agent, event, NotificationMode.DIGEST)
        agent_notify(agent, NotificationEvent.BULK_FINISHED, title="Traitement groupé de 12 dossiers")
        agent_notify(
            agent, NotificationEvent.ASSIGNED, title="Dossier A", kind=Kind.STRUCTURE, subject_id=application.pk
        )
        agent_notify(
            agent, NotificationEvent.ASSIGNED, title="Dossier B", kind=Kind.STRUCTURE, subject_id=application.pk
        )
        mail.outbox.clear()
        digest_run(django_capture_on_commit_callbacks)
        mine = [m for m in mail.outbox if agent.email in m.to]
        assert len(mine) == 1
        body = mine[0].body
        assert mine[0].subject == "Nouvelle candidature au poste de conseiller numérique"
        assert "Point numérique Oberkampf" in body
        assigned, bulk = (
            body.index(NotificationEvent.ASSIGNED.label),
            body.index(NotificationEvent.BULK_FINISHED.label),
        )
        assert assigned < body.index("Dossier A") < body.index("Dossier B") < bulk < body.index("12 dossiers")
        assert f"/espace/structures/{application.pk}/" in body
        assert not PendingNotification.objects.exists()
        mail.outbox.clear()
        digest_run(django_capture_on_commit_callbacks)
        assert [m for m in mail.outbox if agent.email in m.to and "Dossier A" in m.body] == []

    def test_pending_only_gets_an_e_mail_nothing_gets_none(self, national_admin, django_capture_on_commit_callbacks):
        prefer(national_admin, NotificationEvent.APPLICANT_MESSAGE, NotificationMode.DIGEST)
        digest_run(django_capture_on_commit_callbacks)
        assert not mail.outbox
        agent_notify(national_admin, NotificationEvent.APPLICANT_MESSAGE, title="Avenant n° 7")
        digest_run(django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject == "Votre synthèse quotidienne : 1 événement sur vos dossiers"
        assert "Avenant n° 7" in mail.outbox[0].body and "a-traiter" not in mail.outbox[0].body

    def test_pending_of_inactive_or_former_agents_is_purged(
        self, prefecture_paris, hub_agent, django_capture_on_commit_callbacks
    ):
        PendingNotification.objects.create(user=prefecture_paris, event=NotificationEvent.ASSIGNED, title="Gone")
        PendingNotification.objects.create(user=hub_agent, event=NotificationEvent.ASSIGNED, title="Revoked")
        prefecture_paris.is_active = False
        prefecture_paris.save(update_fields=["is_active"])
        for membership in hub_agent.memberships.all():
            account_services.membership_revoke(membership=membership, revoked_by=None)
        digest_run(django_capture_on_commit_callbacks)
        assert not PendingNotification.objects.exists()
        assert not mail.outbox

    def test_an_agent_told_at_once_of_new_tasks_has_none_in_her_digest(
        self, prefecture_paris, django_capture_on_commit_callbacks
    ):
        prefer(prefecture_paris, NotificationEvent.NEW_TASK, NotificationMode.IMMEDIATE)
        confirmed_application(name="Point numérique Oberkampf")
        mail.outbox.clear()
        digest_run(django_capture_on_commit_callbacks)
        assert not [m for m in mail.outbox if prefecture_paris.email in m.to]


class TestNewTaskImmediate:
    def test_agents_who_chose_it_are_e_mailed_when_the_task_opens(
        self, prefecture_paris, prefecture_marseille, hub_agent, django_capture_on_commit_callbacks
    ):
        for agent in (prefecture_paris, prefecture_marseille, hub_agent):
            prefer(agent, NotificationEvent.NEW_TASK, NotificationMode.IMMEDIATE)
        colleague = _agent_75()  # default: the digest
        with django_capture_on_commit_callbacks(execute=True):
            application = confirmed_application(name="Point numérique Oberkampf")
        told = [m for m in mail.outbox if m.subject.startswith("Nouvelle demande à traiter")]
        assert [m.to for m in told] == [[prefecture_paris.email]]
        assert "Point numérique Oberkampf" in told[0].body and f"/espace/structures/{application.pk}/" in told[0].body
        assert colleague.email not in str([m.to for m in mail.outbox])

    def test_one_query_finds_who_to_tell(self, prefecture_paris, django_assert_num_queries):
        application = confirmed_application(name="Point numérique Oberkampf")
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        with django_assert_num_queries(1):
            new_task_opened(item)
        prefer(prefecture_paris, NotificationEvent.NEW_TASK, NotificationMode.IMMEDIATE)
        with django_assert_num_queries(1):
            new_task_opened(item)
