"""Structure applications through the HTTP views, as the real personas: every path, refusal and send-back."""

import pytest
from django.core import mail
from django.urls import reverse
from viewflow.workflow.status import STATUS

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Membership
from directory.enums import StructureStatus
from tests.workflows.helpers import application_at_hub, confirmed_application, work_item
from workflows.enums import Kind, Step, StructureApplicationStatus, Verdict
from workflows.models import Decision, WorkItem

pytestmark = pytest.mark.django_db


def decide(client, item, **data):
    return client.post(reverse("workflows:decide", args=[item.pk]), data)


class TestPrefectureReview:
    def test_it_routes_the_opinion_to_the_hub(self, client, prefecture_paris, django_capture_on_commit_callbacks):
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        client.force_login(prefecture_paris)
        page = client.get(reverse("workflows:structure_application", args=[application.pk]))
        assert page.status_code == 200 and "Avis du préfet" in page.text
        response = decide(client, item, opinion="defavorable", internal_note="Besoin déjà couvert dans le quartier.")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.HUB_VALIDATION
        assert application.prefecture_opinion == "defavorable"
        assert work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)
        line = Decision.objects.get(kind=Kind.STRUCTURE, subject_id=application.pk, verdict=Verdict.UNFAVORABLE)
        assert line.actor == prefecture_paris and line.actor_role.startswith("Agent de préfecture")
        assert line.internal_note == "Besoin déjà couvert dans le quartier."
        assert AuditEvent.objects.filter(action=AuditAction.WORKFLOW_DECISION, actor=prefecture_paris).exists()

    def test_a_short_comment_is_refused_next_to_the_field(self, client, prefecture_paris):
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        client.force_login(prefecture_paris)
        response = decide(client, item, opinion="favorable", internal_note="ok")
        assert response.status_code == 400
        assert "entre 10 et 1 000 caractères" in response.text
        assert WorkItem.objects.get(pk=item.pk).is_open

    def test_the_hub_cannot_give_the_prefecture_opinion(self, client, hub_agent):
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        client.force_login(hub_agent)
        response = decide(client, item, opinion="favorable", internal_note="Je ne devrais pas pouvoir.")
        assert response.status_code == 403
        assert WorkItem.objects.get(pk=item.pk).is_open


class TestHubValidation:
    def test_granting_validates_the_structure_and_invites_its_manager(
        self, client, prefecture_paris, hub_agent, django_capture_on_commit_callbacks
    ):
        application = application_at_hub(prefecture_paris, advisors_wanted=3, contact_email="jeanne@mediatheque.test")
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)
        client.force_login(hub_agent)
        with django_capture_on_commit_callbacks(execute=True):
            response = decide(client, item, decision="attribuer", posts_granted="2")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.GRANTED and application.posts_granted == 2
        structure = application.structure
        assert structure.status == StructureStatus.VALIDATED and structure.posts_granted == 2
        assert structure.siret == application.siret and structure.department_id == "75"
        manager = Membership.objects.get(structure=structure, role=Role.STRUCTURE_MANAGER)
        assert manager.user.email == "jeanne@mediatheque.test" and manager.granted_by == hub_agent
        subjects = {message.subject: message for message in mail.outbox}
        invitation = subjects["Créer votre compte utilisateur Conseiller numérique"]
        assert invitation.to == ["jeanne@mediatheque.test"] and "/invitation/" in invitation.body
        answer = subjects["Réponse à candidature : recrutement de Conseiller(s) numérique(s)"]
        assert answer.to == ["jeanne@mediatheque.test"] and "2 poste(s)" in answer.body
        assert (
            prefecture_paris.email
            in subjects["Candidature au poste de conseiller numérique - attribution de poste"].to
        )
        process = application.process
        process.refresh_from_db()
        assert process.status == STATUS.DONE

    def test_granting_more_posts_than_asked_is_refused(self, client, prefecture_paris, hub_agent):
        application = application_at_hub(prefecture_paris, advisors_wanted=1)
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)
        client.force_login(hub_agent)
        response = decide(client, item, decision="attribuer", posts_granted="4")
        assert response.status_code == 400 and "Attribuez entre 1 et 1 poste(s)" in response.text
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.HUB_VALIDATION and application.structure is None

    def test_a_refusal_needs_a_reason_and_is_emailed(
        self, client, prefecture_paris, hub_agent, django_capture_on_commit_callbacks
    ):
        application = application_at_hub(prefecture_paris)
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)
        client.force_login(hub_agent)
        missing = decide(client, item, decision="refuser")
        assert missing.status_code == 400 and "Choisissez un motif de refus." in missing.text
        with django_capture_on_commit_callbacks(execute=True):
            decide(
                client,
                item,
                decision="refuser",
                reason="besoin_non_justifie",
                message_to_applicant="Déjà deux conseillers.",
            )
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.REFUSED
        email = next(m for m in mail.outbox if m.to == [application.contact_email])
        assert email.subject == "Candidature au poste de conseiller numérique - votre candidature a été examinée"
        assert (
            "Le besoin n'est pas justifié sur le territoire" in email.body and "Déjà deux conseillers." in email.body
        )
        assert any(m.subject.endswith("décision défavorable") and prefecture_paris.email in m.to for m in mail.outbox)

    def test_sending_back_reopens_the_prefecture_review(
        self, client, prefecture_paris, hub_agent, django_capture_on_commit_callbacks
    ):
        application = application_at_hub(prefecture_paris)
        client.force_login(hub_agent)
        with django_capture_on_commit_callbacks(execute=True):
            decide(
                client,
                work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB),
                decision="renvoyer",
                internal_note="Merci de préciser le nombre d'habitants concernés.",
            )
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.PREFECTURE_REVIEW
        again = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        assert any("nouvel examen" in m.subject and prefecture_paris.email in m.to for m in mail.outbox)
        client.force_login(prefecture_paris)
        decide(client, again, opinion="favorable", internal_note="Environ 3 000 habitants concernés.")
        assert work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)
        verdicts = list(
            Decision.objects.filter(kind=Kind.STRUCTURE, subject_id=application.pk).values_list("verdict", flat=True)
        )
        assert verdicts == [Verdict.CONFIRMED, Verdict.FAVORABLE, Verdict.SENT_BACK, Verdict.FAVORABLE]

    def test_duplicate_closes_the_application(self, client, prefecture_paris, hub_agent):
        application = application_at_hub(prefecture_paris)
        client.force_login(hub_agent)
        decide(client, work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB), decision="doublon")
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.DUPLICATE
        assert not WorkItem.objects.filter(kind=Kind.STRUCTURE, subject_id=application.pk, is_open=True).exists()

    def test_a_national_admin_can_act_on_any_step(self, client, national_admin):
        application = confirmed_application(in_marseille=True)
        client.force_login(national_admin)
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        assert decide(client, item, opinion="favorable", internal_note="Avis donné par l'ANCT.").status_code == 302
        assert (
            decide(
                client,
                work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB),
                decision="attribuer",
                posts_granted="1",
            ).status_code
            == 302
        )
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.GRANTED


class TestDoubleSubmission:
    def test_the_second_post_says_already_processed_and_duplicates_nothing(self, client, prefecture_paris):
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        client.force_login(prefecture_paris)
        data = {"opinion": "favorable", "internal_note": "Avis favorable au projet."}
        assert decide(client, item, **data).status_code == 302
        second = client.post(reverse("workflows:decide", args=[item.pk]), data, follow=True)
        assert second.status_code == 200
        assert "Cette étape a déjà été traitée." in second.text
        process = application.process
        assert process.task_set.filter(flow_task_type="HUMAN").count() == 2  # prefecture (done) + hub (open)
        assert Decision.objects.filter(subject_id=application.pk, verdict=Verdict.FAVORABLE).count() == 1


class TestScope:
    def test_the_prefecture_of_13_neither_sees_nor_acts_on_paris(self, client, prefecture_marseille, prefecture_paris):
        paris = confirmed_application(name="Médiathèque de Paris")
        marseille = confirmed_application(name="Médiathèque de Marseille", in_marseille=True)
        item = work_item(Kind.STRUCTURE, paris, Step.STRUCTURE_PREFECTURE)
        client.force_login(prefecture_marseille)
        assert client.get(reverse("workflows:structure_application", args=[paris.pk])).status_code == 404
        assert decide(client, item, opinion="favorable", internal_note="Tentative hors périmètre.").status_code == 404
        assert client.post(reverse("workflows:take", args=[item.pk])).status_code == 404
        queue = client.get(reverse("workflows:queue"))
        assert "Médiathèque de Marseille" in queue.text and "Médiathèque de Paris" not in queue.text
        assert "1 demande" in queue.text
        home = client.get(reverse("workflows:home"))
        assert "1 demande en attente" in home.text
        export = client.get(reverse("workflows:export", args=["structures", "csv"]))
        content = b"".join(export.streaming_content).decode()
        assert marseille.siret in content and paris.siret not in content
        assert WorkItem.objects.get(pk=item.pk).is_open

    def test_anonymous_visitors_are_sent_to_login(self, client):
        response = client.get(reverse("workflows:queue"))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))

    def test_roles_without_a_parcours_get_403(self, client, advisor_user):
        client.force_login(advisor_user)
        assert client.get(reverse("workflows:home")).status_code == 403


class TestWithdrawal:
    def test_the_applicant_withdraws_from_the_emailed_link(self, client, prefecture_paris):
        from workflows import tokens

        application = application_at_hub(prefecture_paris)
        url = reverse(
            "candidature:structure_manage", args=[tokens.make_token(tokens.MANAGE_STRUCTURE, application.pk)]
        )
        assert "Retirer ma candidature" in client.get(url).text
        response = client.post(url, {"action": "withdraw"})
        assert "Votre candidature est retirée" in response.text
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.WITHDRAWN
        application.process.refresh_from_db()
        assert application.process.status == STATUS.CANCELED
        assert not WorkItem.objects.filter(kind=Kind.STRUCTURE, subject_id=application.pk, is_open=True).exists()
        assert "déjà close" in client.post(url, {"action": "withdraw"}).text
