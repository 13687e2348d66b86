"""Issue 11 item 3: every decision text has a stated audience.

An internal note is read by agents only (prefecture, hub, national team); a message to the applicant is read by the
structure and, for a recruitment, the candidate. Structures and candidates never see an internal note, in pages or
e-mails; each decision form says who reads each field and what the decision does next.
"""

import pytest
from django import forms
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.workflows import steps
from tests.workflows.helpers import confirmed_application, work_item
from workflows import services
from workflows.enums import Kind, RecruitmentStatus, Step
from workflows.forms import RecruitmentPrefectureForm
from workflows.models import Decision
from workflows.steps import FORMS

pytestmark = pytest.mark.django_db

NOTE = "NOTE-INTERNE"
MESSAGE = "MESSAGE-DEMANDEUR"


def agents(*users) -> set[str]:
    return {user.email for user in users}


class TestItem3NoInternalNoteOutsideTheAgents:
    """The whole class: every step that takes a text, walked with a marked internal note and a marked message."""

    def test_item3_no_email_to_a_structure_or_candidate_carries_an_internal_note(
        self,
        structure_manager,
        prefecture_paris,
        hub_agent,
        national_admin,
        paris_candidate,
        django_capture_on_commit_callbacks,
    ):
        capture = django_capture_on_commit_callbacks
        sent = []
        refused = confirmed_application(contact_email="refus@structure.test")
        sent += steps.during(
            capture,
            lambda: steps.prefecture_review(refused, prefecture_paris, "defavorable", f"{NOTE} 1", f"{MESSAGE} 1"),
        )
        sent += steps.during(
            capture,
            lambda: steps.structure_hub(
                refused,
                hub_agent,
                "refuser",
                reason="autre",
                internal_note=f"{NOTE} 2",
                message_to_applicant=f"{MESSAGE} 2",
            ),
        )
        granted = confirmed_application(contact_email="attribution@structure.test")
        sent += steps.during(
            capture, lambda: steps.prefecture_review(granted, prefecture_paris, "favorable", f"{NOTE} 3")
        )
        sent += steps.during(
            capture,
            lambda: steps.structure_hub(granted, hub_agent, "renvoyer", internal_note=f"{NOTE} 4 à réexaminer"),
        )
        sent += steps.during(
            capture, lambda: steps.prefecture_review(granted, prefecture_paris, "favorable", f"{NOTE} 5")
        )
        sent += steps.during(
            capture,
            lambda: steps.structure_hub(
                granted, hub_agent, "attribuer", internal_note=f"{NOTE} 6", message_to_applicant=MESSAGE
            ),
        )
        recruitment = services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        steps.propose_contract(recruitment, structure_manager)
        sent += steps.during(
            capture, lambda: steps.recruitment_prefecture(recruitment, prefecture_paris, internal_note=f"{NOTE} 7")
        )
        sent += steps.during(
            capture, lambda: steps.recruitment_hub(recruitment, hub_agent, "renvoyer", internal_note=f"{NOTE} 8 date")
        )
        sent += steps.during(
            capture,
            lambda: steps.recruitment_prefecture(
                recruitment,
                prefecture_paris,
                "defavorable",
                reason="autre",
                internal_note=f"{NOTE} 9",
                message_to_applicant=f"{MESSAGE} 9",
            ),
        )
        outside = [
            (address, message)
            for message in sent
            for address in message.to
            if address not in agents(prefecture_paris, hub_agent, national_admin)
        ]
        assert {address for address, _ in outside} >= {
            "refus@structure.test",
            "attribution@structure.test",
            paris_candidate.email,
            structure_manager.email,
        }
        assert all(NOTE not in steps.body(message) for _address, message in outside)
        assert any(f"{MESSAGE} 2" in steps.body(message) for _a, message in outside)  # the message does reach them
        assert any(f"{MESSAGE} 9" in steps.body(message) for _a, message in outside)
        to_prefecture = [m for m in sent if prefecture_paris.email in m.to and "nouvel examen" in m.subject]
        assert to_prefecture and all(NOTE in steps.body(m) for m in to_prefecture)  # agents do get the hub's note

    def test_item3_the_structure_reads_messages_but_never_internal_notes_in_its_pages(
        self, client, structure_manager, prefecture_paris, hub_agent, paris_candidate
    ):
        recruitment = services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        steps.propose_contract(recruitment, structure_manager, message="Contrat à temps plein.")
        steps.recruitment_prefecture(
            recruitment,
            prefecture_paris,
            internal_note=f"{NOTE} du préfet",
            message_to_applicant=f"{MESSAGE} du préfet",
        )
        steps.recruitment_hub(recruitment, hub_agent, "valider", internal_note=f"{NOTE} du hub")
        url = reverse("workflows:recruitment", args=[recruitment.pk])
        client.force_login(structure_manager)
        page = client.get(url).text
        assert f"{MESSAGE} du préfet" in page and "Contrat à temps plein." in page
        assert NOTE not in page
        for agent in (prefecture_paris, hub_agent):
            client.force_login(agent)
            page = client.get(url).text
            assert f"{NOTE} du préfet" in page and f"{NOTE} du hub" in page and f"{MESSAGE} du préfet" in page

    def test_item3_the_candidates_page_keeps_internal_notes_from_structures(
        self, client, structure_manager, prefecture_paris, paris_candidate
    ):
        Decision.objects.create(
            kind=Kind.CANDIDATE, subject_id=paris_candidate.pk, verdict="depot", internal_note=NOTE
        )
        client.force_login(structure_manager)
        assert NOTE not in client.get(reverse("workflows:candidate", args=[paris_candidate.pk])).text
        client.force_login(prefecture_paris)
        assert NOTE in client.get(reverse("workflows:candidate", args=[paris_candidate.pk])).text


class TestItem3FormsStateTheirAudience:
    def test_item3_every_text_field_of_every_decision_form_says_who_reads_it(self):
        for step, form_class in FORMS.items():
            form = form_class(places=None) if step == Step.RECRUITMENT_DEPLOYMENT else form_class()
            for name, field in form.fields.items():
                if isinstance(field.widget, forms.Textarea):
                    hint = str(field.help_text)
                    assert any(word in hint for word in ("Lue", "Lu ", "Lues", "Envoyé")), (step, name, hint)

    def test_item3_every_decision_form_says_what_it_does_next(self):
        for step, form_class in FORMS.items():
            assert form_class.consequences, step
        prefecture = " ".join(RecruitmentPrefectureForm.consequences)
        assert "Avis défavorable : le recrutement prend fin" in prefecture
        assert "la candidature passe ensuite au hub" in " ".join(FORMS[Step.STRUCTURE_PREFECTURE].consequences)

    def test_item3_the_decision_page_shows_audiences_and_consequences_before_submitting(
        self, client, structure_manager, prefecture_paris, paris_candidate
    ):
        recruitment = services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        steps.propose_contract(recruitment, structure_manager)
        client.force_login(prefecture_paris)
        page = client.get(reverse("workflows:recruitment", args=[recruitment.pk])).text
        assert "Note interne pour le hub" in page and "Message au candidat et à la structure" in page
        assert "Ce que fait votre décision" in page and "le recrutement prend fin" in page
        assert page.index("Ce que fait votre décision") < page.index("Enregistrer la décision")


class TestItem3BadInput:
    def test_item3_another_reason_without_a_message_is_refused_next_to_the_field_and_keeps_the_note(
        self, client, structure_manager, prefecture_paris, paris_candidate
    ):
        recruitment = services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        steps.propose_contract(recruitment, structure_manager)
        item = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_PREFECTURE)
        client.force_login(prefecture_paris)
        response = client.post(
            reverse("workflows:decide", args=[item.pk]),
            {"opinion": "defavorable", "reason": "autre", "internal_note": "Ma note pour le hub, gardée."},
        )
        assert response.status_code == 400
        assert response.context["form"].errors["message_to_applicant"] == [
            "Précisez le motif dans le message au demandeur."
        ]
        assert "Ma note pour le hub, gardée." in response.text
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.PREFECTURE_REVIEW

    def test_item3_a_send_back_needs_an_internal_note(
        self, client, structure_manager, prefecture_paris, hub_agent, paris_candidate
    ):
        recruitment = services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        steps.propose_contract(recruitment, structure_manager)
        steps.recruitment_prefecture(recruitment, prefecture_paris)
        item = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_HUB)
        client.force_login(hub_agent)
        response = client.post(
            reverse("workflows:decide", args=[item.pk]),
            {"decision": "renvoyer", "message_to_applicant": "Texte pour la structure."},
        )
        assert response.status_code == 400
        assert "internal_note" in response.context["form"].errors
        assert "Texte pour la structure." in response.text


@pytest.mark.django_db(transaction=True)
class TestItem3Migration:
    BEFORE = [("workflows", "0004_unique_engaged_recruitment_per_candidate")]

    def test_item3_old_comments_become_internal_notes(self):
        executor = MigrationExecutor(connection)
        executor.migrate(self.BEFORE)
        old_decision = executor.loader.project_state(self.BEFORE).apps.get_model("workflows", "Decision")
        try:
            line = old_decision.objects.create(
                kind="structure", subject_id=1, verdict="favorable", comment="Avis donné avant la séparation."
            )
        finally:
            executor = MigrationExecutor(connection)
            executor.migrate(executor.loader.graph.leaf_nodes())
        migrated = Decision.objects.get(pk=line.pk)
        assert migrated.internal_note == "Avis donné avant la séparation."
        assert migrated.message_to_applicant == ""
