"""Advisor recruitment through the HTTP views, as the real personas: preselection to active advisor, side exits."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from viewflow.workflow.status import STATUS

from accounts.enums import Role
from accounts.models import Membership
from accounts.services import membership_grant
from directory.enums import AdvisorStatus
from directory.models import PlaceAssignment
from tests.accounts.factories import UserFactory
from tests.directory.factories import PlaceFactory, StructureFactory
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import work_item
from workflows import services, tokens
from workflows.enums import CandidateStatus, Kind, RecruitmentStatus, Step, Verdict
from workflows.models import Decision, Recruitment, WorkItem

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def decide(client, item, **data):
    return client.post(reverse("workflows:decide", args=[item.pk]), data)


def contract(**overrides):
    data = {
        "contract_type": "cdd",
        "contract_start": (TODAY() + datetime.timedelta(days=10)).isoformat(),
        "contract_end": (TODAY() + datetime.timedelta(days=740)).isoformat(),
        "salary": "2100",
        "message_to_applicant": "",
    }
    data.update(overrides)
    return data


def preselect(client, manager, candidate) -> Recruitment:
    client.force_login(manager)
    response = client.post(reverse("workflows:preselect", args=[candidate.pk]))
    assert response.status_code == 302, response
    return Recruitment.objects.get(candidate=candidate, structure=manager.active_membership.structure)


def to_prefecture(client, manager, candidate) -> Recruitment:
    recruitment = preselect(client, manager, candidate)
    assert (
        decide(client, work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_CONTRACT), **contract()).status_code
        == 302
    )
    recruitment.refresh_from_db()
    return recruitment


def to_hub(client, manager, prefecture, candidate) -> Recruitment:
    recruitment = to_prefecture(client, manager, candidate)
    client.force_login(prefecture)
    decide(
        client,
        work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_PREFECTURE),
        opinion="favorable",
        internal_note="Contrat conforme, profil adapté.",
    )
    recruitment.refresh_from_db()
    return recruitment


class TestFullJourney:
    def test_from_preselection_to_an_active_advisor(
        self,
        client,
        structure_manager,
        prefecture_paris,
        hub_agent,
        paris_candidate,
        django_capture_on_commit_callbacks,
    ):
        other_structure = StructureFactory(name="Autre structure parisienne")
        place = PlaceFactory(structure=structure_manager.active_membership.structure, name="Espace numérique")
        with django_capture_on_commit_callbacks(execute=True):
            recruitment = preselect(client, structure_manager, paris_candidate)
        with pytest.raises(ValidationError, match="déjà engagé"):  # one candidate, one structure (issue 11 item 2)
            services.recruitment_preselect(candidate=paris_candidate, user=_manager_of(other_structure))
        assert recruitment.status == RecruitmentStatus.PRESELECTED
        assert any(m.subject == "Une structure a présélectionné votre candidature" for m in mail.outbox)

        item = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_CONTRACT)
        low = decide(client, item, **contract(salary="1200"))
        assert low.status_code == 400 and "au moins égal au SMIC" in low.text
        no_end = decide(client, item, **contract(contract_end=""))
        assert "obligatoire sauf pour un CDI" in no_end.text
        with django_capture_on_commit_callbacks(execute=True):
            assert decide(client, item, **contract()).status_code == 302
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.PREFECTURE_REVIEW and recruitment.salary == 2100
        assert any(m.subject == "Un contrat de conseiller numérique vous est proposé" for m in mail.outbox)

        client.force_login(prefecture_paris)
        decide(
            client,
            work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_PREFECTURE),
            opinion="favorable",
            internal_note="Profil adapté aux besoins.",
        )
        client.force_login(hub_agent)
        with django_capture_on_commit_callbacks(execute=True):
            decide(client, work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_HUB), decision="valider")
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.TRAINING
        validated = [m for m in mail.outbox if m.subject == "Recrutement validé : entrée en formation"]
        assert {address for m in validated for address in m.to} >= {paris_candidate.email, structure_manager.email}

        training = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_TRAINING)
        # A training starts once the hub validated the recruitment (today here): see test_item11_training_dates.
        start = end = TODAY()
        data = {"session_start": start.isoformat(), "session_end": end.isoformat(), "internal_note": ""}
        decide(client, training, **data)  # dates only: the step stays open
        assert WorkItem.objects.get(pk=training.pk).is_open
        invalid = decide(client, training, **data, certified="on")
        assert "ne peut être certifié que si sa formation est terminée" in invalid.text
        with django_capture_on_commit_callbacks(execute=True):
            decide(client, training, **data, completed="on", certified="on")
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.DEPLOYMENT and recruitment.training.certified
        assert any(m.subject.startswith("Formation terminée") for m in mail.outbox)

        client.force_login(structure_manager)
        deployment = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_DEPLOYMENT)
        page = client.get(reverse("workflows:recruitment", args=[recruitment.pk]))
        assert "Espace numérique" in page.text
        with django_capture_on_commit_callbacks(execute=True):
            response = decide(
                client, deployment, started_at=(TODAY() + datetime.timedelta(days=10)).isoformat(), place=place.pk
            )
        assert response.status_code == 302
        recruitment.refresh_from_db()
        advisor = recruitment.advisor
        assert recruitment.status == RecruitmentStatus.ACTIVE
        assert advisor.status == AdvisorStatus.ACTIVE and advisor.structure == recruitment.structure
        assert advisor.certified and advisor.training_end == end and advisor.user.email == paris_candidate.email
        assert PlaceAssignment.objects.get(advisor=advisor, is_principal=True).place == place
        opened = recruitment.contract  # the contract history starts with the deployment
        assert opened.advisor == advisor and opened.structure == recruitment.structure
        assert opened.start == TODAY() + datetime.timedelta(days=10) and opened.end == recruitment.contract_end
        assert opened.contract_type == recruitment.contract_type and opened.salary == recruitment.salary
        membership = Membership.objects.get(user=advisor.user, role=Role.ADVISOR)
        assert membership.advisor == advisor and membership.granted_by == structure_manager
        paris_candidate.refresh_from_db()
        assert paris_candidate.status == CandidateStatus.RECRUITED
        subjects = {m.subject: m for m in mail.outbox}
        assert subjects["Bienvenue parmi les Conseillers Numériques"].to == [paris_candidate.email]
        invitation = subjects["Créer votre compte utilisateur Conseiller numérique"]
        assert invitation.to == [paris_candidate.email] and "/invitation/" in invitation.body
        recruitment.process.refresh_from_db()
        assert recruitment.process.status == STATUS.DONE
        verdicts = list(
            Decision.objects.filter(kind=Kind.RECRUITMENT, subject_id=recruitment.pk).values_list("verdict", flat=True)
        )
        assert verdicts == [
            Verdict.PRESELECTED,
            Verdict.PROPOSED,
            Verdict.FAVORABLE,
            Verdict.VALIDATED,
            Verdict.TRAINED,
            Verdict.TRAINED,
            Verdict.DEPLOYED,
        ]

    def test_a_new_place_can_be_created_at_deployment(self, structure_manager, prefecture_paris, hub_agent, client):
        candidate = CandidateFactory()
        recruitment = to_hub(client, structure_manager, prefecture_paris, candidate)
        services.recruitment_hub_decide(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_HUB),
            user=hub_agent,
            decision="valider",
        )
        services.recruitment_record_training(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_TRAINING),
            user=hub_agent,
            session_start=TODAY(),
            session_end=TODAY(),
            completed=True,
            certified=False,
        )
        client.force_login(structure_manager)
        item = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_DEPLOYMENT)
        missing = decide(client, item, started_at=(TODAY() + datetime.timedelta(days=10)).isoformat(), place="")
        assert "Choisissez le lieu d'activité principal" in missing.text.replace("&#x27;", "'")
        decide(
            client,
            item,
            started_at=(TODAY() + datetime.timedelta(days=10)).isoformat(),
            place="",
            new_place_name="Médiathèque Voltaire",
            new_place_address="5 rue Voltaire",
        )
        recruitment.refresh_from_db()
        assert recruitment.advisor.place_assignments.get(is_principal=True).place.name == "Médiathèque Voltaire"


def _manager_of(structure):
    user = UserFactory()
    membership_grant(user=user, role=Role.STRUCTURE_MANAGER, granted_by=None, structure=structure)
    user.refresh_from_db()
    return user


class TestRefusals:
    def test_the_prefecture_refuses_with_a_reason_that_is_emailed(
        self, client, structure_manager, prefecture_paris, paris_candidate, django_capture_on_commit_callbacks
    ):
        recruitment = to_prefecture(client, structure_manager, paris_candidate)
        client.force_login(prefecture_paris)
        item = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_PREFECTURE)
        missing = decide(client, item, opinion="defavorable", internal_note="Le contrat proposé est trop court.")
        assert missing.status_code == 400 and "Choisissez un motif de refus." in missing.text
        with django_capture_on_commit_callbacks(execute=True):
            decide(
                client,
                item,
                opinion="defavorable",
                reason="contrat",
                internal_note="Le contrat proposé est trop court.",
            )
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.REFUSED
        refusals = [
            m for m in mail.outbox if m.subject == "Recrutement de conseiller numérique - décision défavorable"
        ]
        assert {a for m in refusals for a in m.to} == {paris_candidate.email, structure_manager.email}
        assert all("Les conditions du contrat ne sont pas conformes" in m.body for m in refusals)
        recruitment.process.refresh_from_db()
        assert recruitment.process.status == STATUS.DONE
        paris_candidate.refresh_from_db()
        assert paris_candidate.status == CandidateStatus.AVAILABLE  # still in the pool

    def test_the_hub_refuses_or_sends_back(self, client, structure_manager, prefecture_paris, hub_agent):
        first = to_hub(client, structure_manager, prefecture_paris, CandidateFactory())
        client.force_login(hub_agent)
        decide(client, work_item(Kind.RECRUITMENT, first, Step.RECRUITMENT_HUB), decision="refuser", reason="profil")
        first.refresh_from_db()
        assert first.status == RecruitmentStatus.REFUSED

        second = to_hub(client, structure_manager, prefecture_paris, CandidateFactory())
        client.force_login(hub_agent)
        short = decide(client, work_item(Kind.RECRUITMENT, second, Step.RECRUITMENT_HUB), decision="renvoyer")
        assert short.status_code == 400
        decide(
            client,
            work_item(Kind.RECRUITMENT, second, Step.RECRUITMENT_HUB),
            decision="renvoyer",
            internal_note="Vérifier la date de début du contrat.",
        )
        second.refresh_from_db()
        assert second.status == RecruitmentStatus.PREFECTURE_REVIEW
        assert work_item(Kind.RECRUITMENT, second, Step.RECRUITMENT_PREFECTURE)


class TestQuota:
    def test_the_quota_is_enforced_at_proposal_and_again_at_validation(
        self, client, structure_manager, prefecture_paris, hub_agent
    ):
        structure = structure_manager.active_membership.structure
        structure.posts_granted = 1
        structure.save()
        first = to_hub(client, structure_manager, prefecture_paris, CandidateFactory())
        second = preselect(client, structure_manager, CandidateFactory())
        response = decide(client, work_item(Kind.RECRUITMENT, second, Step.RECRUITMENT_CONTRACT), **contract())
        assert response.status_code == 400 and "Plus aucun poste disponible" in response.text
        structure.posts_granted = 0  # posts taken back between proposal and validation
        structure.save()
        client.force_login(hub_agent)
        response = decide(client, work_item(Kind.RECRUITMENT, first, Step.RECRUITMENT_HUB), decision="valider")
        assert response.status_code == 400 and "Plus aucun poste disponible" in response.text
        first.refresh_from_db()
        assert first.status == RecruitmentStatus.HUB_VALIDATION


class TestSideExits:
    def test_the_structure_cancels(self, client, structure_manager, prefecture_paris, paris_candidate):
        recruitment = to_prefecture(client, structure_manager, paris_candidate)
        # Issue 11: a refused cancellation shows the dossier again with the error and keeps what was typed.
        too_long = "Le poste est gelé jusqu'à nouvel ordre. " * 30
        refused = client.post(
            reverse("workflows:recruitment_cancel", args=[recruitment.pk]), {"message_to_applicant": too_long}
        )
        assert refused.status_code == 400
        assert "Erreur : Recrutement de" in refused.text and 'id="erreurs"' in refused.text
        assert escape(too_long.strip()) in refused.text
        assert Recruitment.objects.get(pk=recruitment.pk).status != RecruitmentStatus.CANCELLED
        response = client.post(
            reverse("workflows:recruitment_cancel", args=[recruitment.pk]),
            {"message_to_applicant": "Le poste est gelé."},
        )
        assert response.status_code == 302
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.CANCELLED
        assert not WorkItem.objects.filter(kind=Kind.RECRUITMENT, subject_id=recruitment.pk, is_open=True).exists()
        client.force_login(prefecture_paris)
        assert (
            client.post(
                reverse("workflows:recruitment_cancel", args=[recruitment.pk]), {"message_to_applicant": "x"}
            ).status_code
            == 403
        )

    def test_the_candidate_withdraws_and_structures_are_told(
        self, client, structure_manager, paris_candidate, django_capture_on_commit_callbacks
    ):
        recruitment = to_prefecture(client, structure_manager, paris_candidate)
        url = reverse(
            "candidature:candidate_manage", args=[tokens.make_token(tokens.MANAGE_CANDIDATE, paris_candidate.pk)]
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"action": "withdraw"})
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.WITHDRAWN
        assert recruitment.process.status == STATUS.CANCELED
        told = [m for m in mail.outbox if "a retiré sa candidature" in m.subject]
        assert told and told[0].to == [structure_manager.email]
        client.post(url, {"action": "erase"})
        assert not WorkItem.objects.filter(title__contains=paris_candidate.last_name).exists()


class TestPoolAndCv:
    def test_the_pool_lists_candidates_within_distance(self, client, structure_manager, paris_candidate):
        from tests.territories.factories import commune

        far = CandidateFactory(in_marseille=True, first_name="Loin", max_distance_km=2000)
        near_but_picky = CandidateFactory(commune=commune("92012"), first_name="Proche", max_distance_km=5)
        expert = CandidateFactory(first_name="Diplomée", with_diploma=True)
        client.force_login(structure_manager)
        response = client.get(reverse("workflows:pool"))
        assert paris_candidate.full_name in response.text and expert.full_name in response.text
        assert far.full_name not in response.text
        assert near_but_picky.full_name not in response.text  # Boulogne is farther than the 5 km they accept
        filtered = client.get(reverse("workflows:pool"), {"diploma": "oui"})
        assert expert.full_name in filtered.text and paris_candidate.full_name not in filtered.text

    def test_the_cv_is_served_only_within_scope(self, client, structure_manager, prefecture_marseille, hub_agent):
        from django.core.files.base import ContentFile

        from tests.workflows.helpers import pdf_bytes

        candidate = CandidateFactory()
        candidate.cv.save("cv.pdf", ContentFile(pdf_bytes()))
        url = reverse("workflows:candidate_cv", args=[candidate.pk])
        client.force_login(structure_manager)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        client.force_login(prefecture_marseille)
        assert client.get(url).status_code == 404
        client.force_login(hub_agent)
        assert client.get(url).status_code == 200
        client.logout()
        assert client.get(url).status_code == 302


class TestTrainingImport:
    def test_it_applies_each_row_and_reports(self, client, structure_manager, prefecture_paris, hub_agent):
        done = to_hub(client, structure_manager, prefecture_paris, CandidateFactory(email="a@perso.test"))
        dates_only = to_hub(client, structure_manager, prefecture_paris, CandidateFactory(email="b@perso.test"))
        for recruitment in (done, dates_only):
            services.recruitment_hub_decide(
                work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_HUB),
                user=hub_agent,
                decision="valider",
            )
        from django.core.files.uploadedfile import SimpleUploadedFile

        today = f"{TODAY():%d/%m/%Y}"  # the hub validated today: a training cannot start earlier
        csv = (
            "email;date_debut;date_fin;terminee;certifie\n"
            f"a@perso.test;{today};{today};oui;oui\n"
            f"b@perso.test;{today};{today};non;non\n"
            f"inconnu@perso.test;{today};{today};oui;non\n"
            "a@perso.test;32/03/2026;20/03/2026;oui;oui\n"
            "b@perso.test;01/01/9999;02/01/9999;oui;oui\n"
        )
        client.force_login(hub_agent)
        response = client.post(
            reverse("workflows:training_import"), {"file": SimpleUploadedFile("f.csv", csv.encode(), "text/csv")}
        )
        assert response.status_code == 200
        assert "Mis à jour : 2" in response.text and "Erreur : 2" in response.text and "Ignoré : 1" in response.text
        # Issue 11 item 11: the import reads dates with the forms' bounded reader (year 9999 is refused, not stored).
        assert "Choisissez une date entre le" in response.text
        done.refresh_from_db()
        dates_only.refresh_from_db()
        assert done.status == RecruitmentStatus.DEPLOYMENT and done.training.certified
        assert dates_only.status == RecruitmentStatus.TRAINING and not dates_only.training.completed
        bad = client.post(
            reverse("workflows:training_import"), {"file": SimpleUploadedFile("f.csv", b"nom;prenom\n", "text/csv")}
        )
        assert bad.status_code == 400 and "Colonnes manquantes" in bad.text
