"""Issue 11 item 7: access follows the current role (files, disabled accounts, unvalidated structures, role switch)."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.enums import Role
from accounts.models import AuditEvent
from directory.enums import StructureStatus
from reporting.enums import ExportStatus
from reporting.models import ExportJob
from reporting.tasks import export_name
from tests.accounts.factories import UserFactory
from tests.directory.factories import StructureFactory
from tests.territories.factories import department
from tests.workflows.factories import CandidateFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.AXES_ENABLED = False


def candidate_with_cv(**traits):
    candidate = CandidateFactory(**traits)
    candidate.cv.save("cv.pdf", ContentFile(PDF), save=True)
    return candidate


def finished_export(user) -> str:
    job = ExportJob.objects.create(
        requested_by=user,
        membership=user.memberships.get(pk=user.active_membership_id),
        kind="structures",
        status=ExportStatus.DONE,
        file_name=f"job-{user.pk}.csv",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    storages["private"].save(export_name(job), ContentFile(b"structure\n"))
    return reverse("pilotage:export_download", kwargs={"pk": job.pk})


class TestItem7ExportFollowsTheRole:
    def test_item7_an_export_opens_only_under_the_role_it_was_built_for(self, client, prefecture_paris):
        marseille = services.membership_grant(
            user=prefecture_paris, role=Role.PREFECTURE, granted_by=None, department=department("13")
        )
        url = finished_export(prefecture_paris)
        paris_id = prefecture_paris.active_membership_id
        client.force_login(prefecture_paris)
        assert client.get(url).status_code == 200
        services.role_switch(user=prefecture_paris, membership_id=marseille.pk)
        refused = client.get(url)
        assert refused.status_code == 404
        # The page names the role under which the file opens, and switching back opens it.
        assert "Passer au rôle" in refused.text and f'value="{paris_id}"' in refused.text
        job_page = url.removesuffix("telecharger/")
        assert job_page not in client.get(reverse("pilotage:exports")).text  # not listed under the other role
        back = client.post(reverse("accounts:switch_role"), {"membership": paris_id, "retour": url})
        assert back.status_code == 302 and back["Location"] == url
        assert client.get(url).status_code == 200

    def test_item7_revoking_the_role_revokes_its_files(self, client, prefecture_paris):
        services.membership_grant(
            user=prefecture_paris, role=Role.PREFECTURE, granted_by=None, department=department("13")
        )
        url = finished_export(prefecture_paris)
        client.force_login(prefecture_paris)
        services.membership_revoke(membership=prefecture_paris.active_membership, revoked_by=None)
        response = client.get(url)
        assert response.status_code == 404 and "Passer au rôle" not in response.text


class TestItem7DisabledAccounts:
    def test_item7_an_invitation_link_never_reactivates_a_disabled_account(self, client):
        user = UserFactory(password="")
        user.set_unusable_password()
        user.is_active = False
        user.save()
        path = "/" + services.invitation_url(user).split("//", 1)[1].split("/", 1)[1]
        page = client.get(path)
        assert page.status_code == 400 and "Ce compte est désactivé" in page.text
        response = client.post(
            path, {"new_password1": "cheval-orbite-tulipe-47", "new_password2": "cheval-orbite-tulipe-47"}
        )
        assert response.status_code == 400
        user.refresh_from_db()
        assert not user.is_active and not user.has_usable_password()
        assert "_auth_user_id" not in client.session

    def test_item7_the_service_refuses_too(self):
        from django.core.exceptions import ValidationError

        user = UserFactory(is_active=False)
        with pytest.raises(ValidationError):
            services.invitation_accept(user=user, password="cheval-orbite-tulipe-47")
        user.refresh_from_db()
        assert not user.is_active

    def test_item7_inviting_a_disabled_account_sends_nothing_and_says_so(
        self, client, national_admin, django_capture_on_commit_callbacks
    ):
        disabled = UserFactory(email="ancien@pref.test", is_active=False)
        client.force_login(national_admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("accounts:user_invite"),
                {"email": "ANCIEN@pref.test", "first_name": "Ancien", "last_name": "Agent", "role": Role.EDITOR},
                follow=True,
            )
        assert response.status_code == 200 and "est désactivé" in response.text
        disabled.refresh_from_db()
        assert not disabled.is_active and disabled.memberships.active().count() == 1
        assert mail.outbox == []


class TestItem7UnvalidatedStructures:
    def test_item7_a_structure_not_yet_validated_sees_no_candidate(self, client):
        structure = StructureFactory(just_applied=True)
        manager = UserFactory()
        services.membership_grant(user=manager, role=Role.STRUCTURE_MANAGER, granted_by=None, structure=structure)
        candidate = candidate_with_cv(last_name="Marqueur-Candidat", email="marqueur.candidat@perso.test")
        client.force_login(manager)
        assert client.get(reverse("workflows:candidate", args=[candidate.pk])).status_code == 404
        assert client.get(reverse("workflows:candidate_cv", args=[candidate.pk])).status_code == 404
        pool = client.get(reverse("workflows:pool"))
        assert candidate.email not in pool.text and candidate.last_name not in pool.text
        assert "pas encore validée" in pool.text
        structure.status = StructureStatus.VALIDATED
        structure.save(update_fields=["status"])
        assert client.get(reverse("workflows:candidate", args=[candidate.pk])).status_code == 200
        assert "pas encore validée" not in client.get(reverse("workflows:pool")).text


class TestItem7SwitchOffer:
    def test_item7_a_403_names_the_role_that_opens_the_page(self, client):
        user = UserFactory()
        services.membership_grant(user=user, role=Role.EDITOR, granted_by=None)
        services.membership_grant(user=user, role=Role.PREFECTURE, granted_by=None, department=department("75"))
        client.force_login(user)
        response = client.get(reverse("workflows:home"))
        assert response.status_code == 403
        assert "Passer au rôle" in response.text and "Paris" in response.text

    def test_item7_a_404_offers_the_switch_only_to_a_role_that_sees_the_object(self, client, prefecture_paris):
        services.membership_grant(
            user=prefecture_paris, role=Role.PREFECTURE, granted_by=None, department=department("13")
        )
        marseille_candidate = candidate_with_cv(in_marseille=True)
        client.force_login(prefecture_paris)
        before = AuditEvent.objects.count()
        response = client.get(reverse("workflows:candidate_cv", args=[marseille_candidate.pk]))
        assert response.status_code == 404 and "Passer au rôle" in response.text
        assert AuditEvent.objects.count() == before  # trying the other role wrote nothing
        nowhere = client.get(reverse("workflows:candidate", args=[10**9]))
        assert nowhere.status_code == 404 and "Passer au rôle" not in nowhere.text

    def test_item7_a_single_role_user_and_visitors_get_the_plain_pages(self, client, prefecture_paris):
        marseille_candidate = CandidateFactory(in_marseille=True)
        assert "Passer au rôle" not in client.get("/page-qui-n-existe-pas/").text
        client.force_login(prefecture_paris)
        response = client.get(reverse("workflows:candidate", args=[marseille_candidate.pk]))
        assert response.status_code == 404 and "Passer au rôle" not in response.text

    def test_item7_the_return_address_must_be_on_this_site(self, client, prefecture_paris):
        other = services.membership_grant(
            user=prefecture_paris, role=Role.PREFECTURE, granted_by=None, department=department("13")
        )
        client.force_login(prefecture_paris)
        response = client.post(
            reverse("accounts:switch_role"), {"membership": other.pk, "retour": "https://evil.test/"}
        )
        assert response.status_code == 302 and "evil.test" not in response["Location"]
