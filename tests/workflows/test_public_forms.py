"""The two public application forms: validation, nothing lost, confirmation links, honeypot, rate limit, CV."""

import datetime
import os
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory.enums import StructureType
from tests.directory.factories import StructureFactory
from tests.territories.factories import CommuneFactory, commune
from tests.workflows.factories import CandidateFactory, StructureApplicationFactory
from tests.workflows.helpers import pdf_bytes
from workflows import tokens
from workflows.enums import CandidateStatus, StructureApplicationStatus
from workflows.models import AdvisorApplication, StructureApplication, WorkItem

pytestmark = pytest.mark.django_db

VALID_SIRET = "73282932000074"


def structure_data(**overrides):
    commune("75056")
    data = {
        "siret": "732 829 320 00074",
        "name": "Centre social Les Amandiers",
        "type": StructureType.PRIVATE,
        "address": "12 rue des Amandiers",
        "commune_query": "Paris",
        "commune_code": "",
        "contact_first_name": "Nadia",
        "contact_last_name": "Haddad",
        "contact_function": "Directrice",
        "contact_email": "nadia@amandiers.test",
        "contact_phone": "01 23 45 67 89",
        "advisors_wanted": "2",
        "start_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "candidate_identified": "non",
        "motivation": "Nous accompagnons déjà 200 familles par an.",
        "engagement": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def candidate_data(**overrides):
    commune("13055")
    data = {
        "first_name": "Inès",
        "last_name": "Traoré",
        "email": "ines.traore@perso.test",
        "phone": "",
        "commune_query": "Marseille",
        "commune_code": "",
        "situations": ["is_job_seeker"],
        "diploma_name": "",
        "has_experience": "non",
        "available_from": timezone.localdate().isoformat(),
        "max_distance_km": "20",
        "motivation": "Je veux aider les habitants de mon quartier.",
        "website": "",
    }
    data.update(overrides)
    return data


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


class TestStructureForm:
    def test_it_records_the_application_and_sends_the_confirmation_link(
        self, client, django_capture_on_commit_callbacks
    ):
        assert client.get(reverse("candidature:structure")).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("candidature:structure"), structure_data())
        assert response.status_code == 302 and response.url == reverse("candidature:structure_thanks")
        assert "nadia@amandiers.test" in client.get(response.url).text
        application = StructureApplication.objects.get()
        assert application.siret == VALID_SIRET and application.status == StructureApplicationStatus.UNCONFIRMED
        assert application.commune_id == "75056" and application.department_id == "75"
        assert not WorkItem.objects.exists()  # not in the parcours before the confirmation
        (email,) = mail.outbox
        assert email.to == ["nadia@amandiers.test"]
        assert email.subject == "Confirmation de l'enregistrement de votre candidature"
        assert email.alternatives and "Confirmer ma candidature" in email.alternatives[0][0]
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client.get(link_in(email))
        assert confirmed.status_code == 200 and "transmise au préfet" in confirmed.text
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.PREFECTURE_REVIEW
        assert WorkItem.objects.filter(is_open=True, department="75").count() == 1
        assert client.get(link_in(email)).status_code == 200  # a second click changes nothing
        assert WorkItem.objects.count() == 1

    def test_errors_are_shown_per_field_and_nothing_typed_is_lost(self, client):
        response = client.post(
            reverse("candidature:structure"),
            structure_data(
                siret="73282932000075",
                advisors_wanted="0",
                start_date=(timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
                motivation="x" * 2501,
                engagement="",
            ),
        )
        assert response.status_code == 400
        text = response.text
        assert "Le formulaire contient des erreurs" in text
        assert "clé de contrôle incorrecte" in text
        assert "La date ne peut pas être passée." in text
        assert "Vous devez accepter les engagements" in text
        assert "2500 caractères" in text
        assert 'value="Centre social Les Amandiers"' in text and 'value="nadia@amandiers.test"' in text
        assert not StructureApplication.objects.exists()

    def test_a_siret_already_used_is_refused_with_a_helpful_message(self, client):
        StructureFactory(siret=VALID_SIRET)
        response = client.post(reverse("candidature:structure"), structure_data())
        assert response.status_code == 400 and "Vous êtes déjà inscrit" in response.text
        other = StructureApplicationFactory()
        response = client.post(reverse("candidature:structure"), structure_data(siret=other.siret))
        assert "Une candidature est déjà en cours pour ce SIRET" in response.text

    def test_an_ambiguous_commune_asks_the_user_to_pick(self, client):
        commune("13055")
        CommuneFactory(department_code="34", name="Marseillan")
        response = client.post(reverse("candidature:structure"), structure_data(commune_query="Marseil"))
        assert response.status_code == 400 and "Plusieurs communes correspondent" in response.text
        assert 'type="radio"' in response.text and "13055" in response.text
        response = client.post(
            reverse("candidature:structure"), structure_data(commune_query="Marseil", commune_code="13055")
        )
        assert response.status_code == 302
        assert StructureApplication.objects.get().department_id == "13"

    def test_a_postal_code_is_enough(self, client):
        response = client.post(reverse("candidature:structure"), structure_data(commune_query="75001"))
        assert response.status_code == 302

    def test_the_honeypot_discards_bots_silently(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("candidature:structure"), structure_data(website="http://spam.test"))
        assert response.status_code == 302
        assert not StructureApplication.objects.exists() and not mail.outbox

    def test_submissions_are_rate_limited_per_address_counting_only_accepted_ones(self, client, settings):
        settings.APPLICATION_IP_LIMIT_PER_HOUR = 1
        for _ in range(2):
            assert client.post(reverse("candidature:structure"), structure_data(siret="1")).status_code == 400
        assert client.post(reverse("candidature:structure"), structure_data()).status_code == 302
        StructureApplication.objects.all().delete()
        response = client.post(reverse("candidature:structure"), structure_data(contact_email="b@amandiers.test"))
        assert response.status_code == 429
        assert "Trop de demandes" in response.text
        assert client.get(reverse("candidature:structure")).status_code == 200

    def test_forged_or_expired_links_are_refused(self, client, settings):
        application = StructureApplicationFactory()
        assert client.get(reverse("candidature:structure_confirm", args=["abc:def"])).status_code == 400
        token = tokens.make_token(tokens.CONFIRM_STRUCTURE, application.pk)
        settings.APPLICATION_CONFIRMATION_MAX_AGE = -1
        assert client.get(reverse("candidature:structure_confirm", args=[token])).status_code == 400
        wrong_purpose = tokens.make_token(tokens.CONFIRM_CANDIDATE, application.pk)
        settings.APPLICATION_CONFIRMATION_MAX_AGE = 3600
        assert client.get(reverse("candidature:structure_confirm", args=[wrong_purpose])).status_code == 400
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.UNCONFIRMED


class TestCandidateForm:
    def post(self, client, data, cv=None):
        from django.core.files.uploadedfile import SimpleUploadedFile

        if cv is not None:
            data = {**data, "cv": SimpleUploadedFile(cv[0], cv[1], content_type="application/pdf")}
        return client.post(reverse("candidature:candidate"), data)

    def test_it_records_the_candidate_and_the_private_cv(
        self, client, settings, national_admin, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = self.post(client, candidate_data(), cv=("cv.pdf", pdf_bytes()))
        assert response.status_code == 302
        candidate = AdvisorApplication.objects.get()
        assert candidate.status == CandidateStatus.UNCONFIRMED and candidate.department_id == "13"
        path = candidate.cv.path
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
        (email,) = mail.outbox
        assert email.subject == "Confirmation de votre adresse e-mail" and email.to == ["ines.traore@perso.test"]
        with django_capture_on_commit_callbacks(execute=True):
            client.get(link_in(email))
        candidate.refresh_from_db()
        assert candidate.status == CandidateStatus.AVAILABLE
        assert mail.outbox[-1].subject == "Votre candidature est active"
        assert "/candidature/conseiller/gerer/" in mail.outbox[-1].body
        client.force_login(national_admin)
        profile = client.get(reverse("workflows:candidate", args=[candidate.pk]))
        assert "Dépôt" in profile.text and "Adresse e-mail confirmée" in profile.text

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("cv.pdf", b"Bonjour, voici mon CV en texte.", "pas un PDF"),
            ("cv.pdf", pdf_bytes()[:200], "illisible ou endommagé"),
            ("cv.pdf", b"", "Le fichier soumis est vide"),
            ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "pas un PDF"),
        ],
    )
    def test_a_cv_that_is_not_a_readable_pdf_is_refused(self, client, name, content, message):
        response = self.post(client, candidate_data(), cv=(name, content))
        assert response.status_code == 400 and message in response.text
        assert "sélectionnez à nouveau votre CV" in response.text
        assert 'value="Inès"' in response.text
        assert not AdvisorApplication.objects.exists()

    def test_a_cv_over_10_mb_is_refused(self, client, settings):
        settings.CV_MAX_BYTES = 1000
        response = self.post(client, candidate_data(), cv=("cv.pdf", pdf_bytes(pages=20)))
        assert response.status_code == 400 and "dépasse 10 Mo" in response.text

    def test_situation_diploma_and_email_rules(self, client):
        response = self.post(client, candidate_data(situations=[], has_experience="non"))
        assert "Vous devez cocher au moins une case" in response.text
        response = self.post(client, candidate_data(situations=["has_diploma"]))
        assert "Indiquez le nom de votre diplôme." in response.text
        CandidateFactory(email="ines.traore@perso.test")
        response = self.post(client, candidate_data())
        assert "Une candidature en cours utilise déjà cette adresse e-mail" in response.text

    def test_experience_alone_is_enough(self, client):
        assert self.post(client, candidate_data(situations=[], has_experience="oui")).status_code == 302


class TestCandidateManagement:
    def test_the_candidate_withdraws_then_erases_their_data(self, client, django_capture_on_commit_callbacks):
        from django.core.files.base import ContentFile

        candidate = CandidateFactory()
        candidate.cv.save("cv.pdf", ContentFile(pdf_bytes()))
        path = candidate.cv.path
        url = reverse("candidature:candidate_manage", args=[tokens.make_token(tokens.MANAGE_CANDIDATE, candidate.pk)])
        assert "Retirer ma candidature" in client.get(url).text
        assert "Votre candidature est retirée" in client.post(url, {"action": "withdraw"}).text
        candidate.refresh_from_db()
        assert candidate.status == CandidateStatus.WITHDRAWN
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action": "erase"})
        assert "Vos données personnelles et votre CV sont effacés." in response.text
        candidate.refresh_from_db()
        assert candidate.status == CandidateStatus.ERASED
        assert candidate.first_name == candidate.email == candidate.motivation == "" and not candidate.cv
        assert candidate.department_id  # anonymous counts survive
        assert not os.path.exists(path)
