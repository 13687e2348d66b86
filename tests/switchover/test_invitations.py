"""Inviting the imported advisors: national team only, the account and membership of a validated recruitment, the
e-mail, never twice, the refusals, the page, the batch and the command."""

from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Membership
from directory.models import Advisor
from switchover import invitations
from switchover.models import LegacyRecord
from tests.directory.factories import AdvisorFactory

pytestmark = pytest.mark.django_db


def imported(advisor, number=1) -> Advisor:
    """Record the advisor as created by the import of `conseillers`, without an account."""
    LegacyRecord.objects.create(
        collection="conseillers", external_id=f"{number:024x}", legacy_number=40000 + number, target_id=advisor.pk
    )
    return advisor


@pytest.fixture
def advisor(paris_structure):
    return imported(
        AdvisorFactory(structure=paris_structure, professional_email="lea@mairie.test", email="lea@perso.test")
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what is queued on commit (the e-mails) when the action's transaction would commit."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestAdvisorInvite:
    def test_creates_the_account_and_membership_of_a_recruitment_and_sends_the_invitation(
        self, committed, national_admin, advisor
    ):
        account = committed(invitations.advisor_invite, user=national_admin, advisor=advisor)
        advisor.refresh_from_db()
        assert advisor.user == account
        assert account.email == "lea@mairie.test"  # the professional address first
        assert (account.first_name, account.last_name) == (advisor.first_name, advisor.last_name)
        assert not account.has_usable_password()
        membership = Membership.objects.active().get(user=account)
        assert (membership.role, membership.advisor) == (Role.ADVISOR, advisor)
        assert account.active_membership == membership
        assert [message.to for message in mail.outbox] == [["lea@mairie.test"]]
        assert "/connexion/invitation/" in mail.outbox[0].body or "mot de passe" in mail.outbox[0].body
        event = AuditEvent.objects.get(action=AuditAction.USER_INVITED, target_id=str(account.pk))
        assert event.actor == national_admin

    def test_personal_address_when_no_professional_one(self, committed, national_admin, paris_structure):
        advisor = imported(AdvisorFactory(structure=paris_structure, professional_email="", email="paul@perso.test"))
        assert committed(invitations.advisor_invite, user=national_admin, advisor=advisor).email == "paul@perso.test"

    def test_a_coordinator_also_gets_the_coordinator_role(self, committed, national_admin, paris_structure):
        advisor = imported(AdvisorFactory(structure=paris_structure, coordinator=True))
        account = committed(invitations.advisor_invite, user=national_admin, advisor=advisor)
        roles = set(Membership.objects.active().filter(user=account, advisor=advisor).values_list("role", flat=True))
        assert roles == {Role.ADVISOR, Role.COORDINATOR}
        assert len(mail.outbox) == 1

    def test_never_twice(self, committed, national_admin, advisor):
        committed(invitations.advisor_invite, user=national_admin, advisor=advisor)
        with pytest.raises(ValidationError, match="déjà un compte"):
            committed(invitations.advisor_invite, user=national_admin, advisor=advisor)
        assert len(mail.outbox) == 1

    def test_refuses_an_ended_advisor(self, committed, national_admin, paris_structure):
        advisor = imported(AdvisorFactory(structure=paris_structure, ended=True))
        with pytest.raises(ValidationError, match="terminé"):
            committed(invitations.advisor_invite, user=national_admin, advisor=advisor)
        assert Advisor.objects.get(pk=advisor.pk).user is None and not mail.outbox

    def test_refuses_an_advisor_without_any_address(self, committed, national_admin, paris_structure):
        advisor = imported(AdvisorFactory(structure=paris_structure, professional_email="", email=""))
        with pytest.raises(ValidationError, match="ni adresse"):
            committed(invitations.advisor_invite, user=national_admin, advisor=advisor)

    def test_refuses_the_address_of_another_advisors_account(
        self, committed, national_admin, advisor_user, paris_structure
    ):
        twin = imported(AdvisorFactory(structure=paris_structure, professional_email=advisor_user.email))
        with pytest.raises(ValidationError, match="autre conseiller"):
            committed(invitations.advisor_invite, user=national_admin, advisor=twin)
        assert Advisor.objects.get(pk=twin.pk).user is None

    @pytest.mark.parametrize("persona", ["prefecture_paris", "hub_agent", "structure_manager", "advisor_user"])
    def test_only_the_national_team(self, committed, request, persona, advisor):
        user = request.getfixturevalue(persona)
        with pytest.raises(PermissionDenied):
            committed(invitations.advisor_invite, user=user, advisor=advisor)
        with pytest.raises(PermissionDenied):
            committed(invitations.advisors_invite_imported, user=user)
        assert Advisor.objects.get(pk=advisor.pk).user is None and not mail.outbox


class TestBatch:
    @pytest.fixture
    def imported_set(self, paris_structure, marseille_structure):
        return {
            "paris": [imported(AdvisorFactory(structure=paris_structure), n) for n in range(1, 4)],
            "marseille": [imported(AdvisorFactory(structure=marseille_structure), n) for n in range(4, 6)],
            "ended": imported(AdvisorFactory(structure=paris_structure, ended=True), 6),
            "no_email": imported(AdvisorFactory(structure=paris_structure, professional_email="", email=""), 7),
            "not_imported": AdvisorFactory(structure=paris_structure),
        }

    def test_invites_each_imported_advisor_once(self, committed, national_admin, imported_set):
        first = committed(invitations.advisors_invite_imported, user=national_admin)
        assert len(first.invited) == 5 and not first.refused
        assert len(mail.outbox) == 5
        second = committed(invitations.advisors_invite_imported, user=national_admin)
        assert (second.invited, second.refused) == ([], [])
        assert len(mail.outbox) == 5
        assert Advisor.objects.get(pk=imported_set["not_imported"].pk).user is None
        assert Advisor.objects.get(pk=imported_set["ended"].pk).user is None
        assert invitations.imported_advisors_without_email().get() == imported_set["no_email"]

    def test_limit_department_and_dry_run(self, committed, national_admin, imported_set, marseille_structure):
        dry = committed(invitations.advisors_invite_imported, user=national_admin, dry_run=True)
        assert len(dry.invited) == 5 and not mail.outbox and not Advisor.objects.filter(user__isnull=False).exists()
        by_department = committed(
            invitations.advisors_invite_imported, user=national_admin, department=marseille_structure.department
        )
        assert set(by_department.invited) == set(imported_set["marseille"])
        limited = committed(invitations.advisors_invite_imported, user=national_admin, limit=2)
        assert len(limited.invited) == 2
        assert invitations.imported_advisors_to_invite().count() == 1

    def test_one_refusal_does_not_stop_the_batch(self, committed, national_admin, imported_set, advisor_user):
        clash = imported_set["paris"][0]
        clash.professional_email = advisor_user.email
        clash.save()
        batch = committed(invitations.advisors_invite_imported, user=national_admin)
        assert [advisor for advisor, _ in batch.refused] == [clash]
        assert len(batch.invited) == 4

    def test_command(self, committed, national_admin, imported_set, prefecture_paris):
        out = StringIO()
        committed(call_command, "invite_imported_advisors", "--admin", national_admin.email, "--dry-run", stdout=out)
        assert "Conseillers à inviter : 5" in out.getvalue() and not mail.outbox
        out = StringIO()
        committed(
            call_command, "invite_imported_advisors", "--admin", national_admin.email, "--limit", "3", stdout=out
        )
        assert "Conseillers invités : 3" in out.getvalue() and len(mail.outbox) == 3
        assert "Sans adresse e-mail (non invitables) : 1" in out.getvalue()
        out = StringIO()
        committed(call_command, "invite_imported_advisors", "--admin", national_admin.email, stdout=out)
        assert "Conseillers invités : 2" in out.getvalue() and len(mail.outbox) == 5
        with pytest.raises(CommandError, match="administrateur national"):
            committed(call_command, "invite_imported_advisors", "--admin", prefecture_paris.email)
        with pytest.raises(CommandError, match="Aucun compte"):
            committed(call_command, "invite_imported_advisors", "--admin", "personne@example.org")


class TestPages:
    URL = "/gestion/reprise/conseillers/"

    def test_list_filters_by_department_and_counts(self, national_admin, paris_structure, marseille_structure):
        imported(AdvisorFactory(structure=paris_structure, last_name="Parisienne"), 1)
        imported(AdvisorFactory(structure=marseille_structure, last_name="Marseillaise"), 2)
        imported(AdvisorFactory(structure=marseille_structure, professional_email="", email=""), 3)
        client = client_for(national_admin)
        page = client.get(self.URL).content.decode()
        assert "Parisienne" in page and "Marseillaise" in page
        assert "2 conseillers sans compte" in page and "Inviter les 2 conseillers sans compte" in page
        assert "1 conseiller en poste sans aucune adresse e-mail" in page
        page = client.get(self.URL, {"departement": marseille_structure.department.pk}).content.decode()
        assert "Marseillaise" in page and "Parisienne" not in page
        assert "1 conseiller sans compte" in page

    def test_menu_link_for_the_national_team_only(self, national_admin, prefecture_paris):
        assert self.URL in client_for(national_admin).get("/gestion/utilisateurs/").content.decode()
        assert self.URL not in client_for(prefecture_paris).get("/espace/", follow=True).content.decode()

    def test_invite_one_from_the_list(self, committed, national_admin, advisor):
        response = committed(client_for(national_admin).post, f"{self.URL}{advisor.pk}/inviter/")
        assert response.status_code == 302 and response.url == self.URL
        assert Advisor.objects.get(pk=advisor.pk).user is not None and len(mail.outbox) == 1
        again = committed(client_for(national_admin).post, f"{self.URL}{advisor.pk}/inviter/", follow=True)
        assert "déjà un compte" in again.content.decode() and len(mail.outbox) == 1

    def test_invite_all_asks_for_confirmation_then_invites(
        self, committed, national_admin, advisor, marseille_structure
    ):
        other = imported(AdvisorFactory(structure=marseille_structure), 2)
        client = client_for(national_admin)
        confirm = client.get(f"{self.URL}inviter/", {"departement": marseille_structure.department.pk})
        assert "Inviter 1 conseiller" in confirm.content.decode() and not mail.outbox
        response = committed(client.post, f"{self.URL}inviter/", {"departement": marseille_structure.department.pk})
        assert response.status_code == 302
        assert Advisor.objects.get(pk=other.pk).user is not None
        assert Advisor.objects.get(pk=advisor.pk).user is None  # the other department waits
        committed(client.post, f"{self.URL}inviter/")
        assert Advisor.objects.get(pk=advisor.pk).user is not None and len(mail.outbox) == 2

    @pytest.mark.parametrize("persona", ["prefecture_paris", "hub_agent", "structure_manager", "advisor_user"])
    def test_others_are_refused(self, committed, request, persona, advisor):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(self.URL).status_code == 403
        assert client.get(f"{self.URL}inviter/").status_code == 403
        assert committed(client.post, f"{self.URL}inviter/").status_code == 403
        assert committed(client.post, f"{self.URL}{advisor.pk}/inviter/").status_code == 403
        assert Advisor.objects.get(pk=advisor.pk).user is None and not mail.outbox

    def test_anonymous_goes_to_the_login(self, advisor):
        response = Client().post(f"{self.URL}{advisor.pk}/inviter/")
        assert response.status_code == 302 and "/connexion/" in response.url
