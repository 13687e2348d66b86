import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Membership, User
from tests.territories.factories import department

pytestmark = pytest.mark.django_db


def invitation_path(message) -> str:
    line = next(line for line in message.body.splitlines() if "/invitation/" in line)
    return line.strip().split("testserver", 1)[1]


class TestInvitation:
    def test_a_national_admin_invites_a_prefecture_agent(
        self, client, national_admin, django_capture_on_commit_callbacks
    ):
        department("13")
        client.force_login(national_admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("accounts:user_invite"),
                {
                    "email": "Nouvel.Agent@Rhone.gouv.fr",
                    "first_name": "Nina",
                    "last_name": "Agent",
                    "role": Role.PREFECTURE,
                    "department": "13",
                },
            )
        assert response.status_code == 302
        invited = User.objects.get(email="nouvel.agent@rhone.gouv.fr")
        assert not invited.has_usable_password()
        membership = invited.memberships.get()
        assert (membership.role, membership.department_id, membership.granted_by) == (
            Role.PREFECTURE,
            "13",
            national_admin,
        )
        assert mail.outbox[0].subject == "Créer votre compte utilisateur Conseiller numérique"
        assert AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_GRANTED, actor=national_admin).exists()

    def test_the_invitation_link_sets_a_password_once(
        self, client, national_admin, django_capture_on_commit_callbacks
    ):
        client.force_login(national_admin)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("accounts:user_invite"),
                {"email": "hub@exemple.fr", "first_name": "Hélène", "last_name": "Hub", "role": Role.EDITOR},
            )
        client.logout()
        path = invitation_path(mail.outbox[0])
        password = "un-mot-de-passe-tres-solide"
        assert client.get(path).status_code == 200
        response = client.post(path, {"new_password1": password, "new_password2": password})
        assert response.status_code == 302
        assert User.objects.get(email="hub@exemple.fr").check_password(password)
        client.logout()
        assert client.get(path).status_code == 400  # one-time link

    def test_a_tampered_link_is_refused(self, client):
        assert client.get("/invitation/MQ/abc-123/").status_code == 400

    def test_the_scope_must_match_the_role(self, client, national_admin):
        client.force_login(national_admin)
        response = client.post(
            reverse("accounts:user_invite"),
            {"email": "x@exemple.fr", "first_name": "X", "last_name": "Y", "role": Role.PREFECTURE},
        )
        assert response.status_code == 200
        assert "Choisissez un département ou une région" in response.text
        assert 'value="x@exemple.fr"' in response.text  # nothing typed is lost
        assert not User.objects.filter(email="x@exemple.fr").exists()

    def test_an_unknown_structure_siret_is_refused(self, client, national_admin):
        client.force_login(national_admin)
        response = client.post(
            reverse("accounts:user_invite"),
            {
                "email": "s@exemple.fr",
                "first_name": "S",
                "last_name": "M",
                "role": Role.STRUCTURE_MANAGER,
                "structure_siret": "73282932000074",
            },
        )
        assert "Aucune structure ne porte ce SIRET." in response.text


class TestGrantAndRevoke:
    def test_grant_then_revoke_is_recorded_with_who_and_when(self, client, national_admin, prefecture_marseille):
        department("75")
        client.force_login(national_admin)
        url = reverse("accounts:user_detail", args=[prefecture_marseille.pk])
        client.post(url, {"role": Role.PREFECTURE, "department": "75"})
        granted = Membership.objects.get(user=prefecture_marseille, department_id="75")
        assert granted.granted_by == national_admin and granted.granted_at is not None
        client.post(reverse("accounts:membership_revoke", args=[prefecture_marseille.pk, granted.pk]))
        granted.refresh_from_db()
        assert granted.revoked_by == national_admin and granted.revoked_at is not None
        actions = list(AuditEvent.objects.filter(target_id=str(granted.pk)).values_list("action", flat=True))
        assert sorted(actions) == [AuditAction.MEMBERSHIP_GRANTED, AuditAction.MEMBERSHIP_REVOKED]

    def test_a_duplicate_grant_is_refused(self, client, national_admin, prefecture_paris):
        client.force_login(national_admin)
        response = client.post(
            reverse("accounts:user_detail", args=[prefecture_paris.pk]), {"role": Role.PREFECTURE, "department": "75"}
        )
        assert "déjà ce rôle" in response.text
        assert prefecture_paris.memberships.count() == 1

    def test_national_admin_rights_follow_the_membership(self, national_admin, prefecture_paris):
        from accounts import services

        membership = services.membership_grant(user=prefecture_paris, role=Role.NATIONAL, granted_by=national_admin)
        prefecture_paris.refresh_from_db()
        assert prefecture_paris.is_staff
        services.membership_revoke(membership=membership, revoked_by=national_admin)
        prefecture_paris.refresh_from_db()
        assert not prefecture_paris.is_staff

    @pytest.mark.parametrize(
        "persona", ["prefecture_paris", "hub_agent", "structure_manager", "advisor_user", "editor_user"]
    )
    def test_other_roles_cannot_manage_users(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse("accounts:user_list")).status_code == 403
        assert client.get(reverse("accounts:user_invite")).status_code == 403
        assert client.get(reverse("accounts:audit_log")).status_code == 403

    def test_the_user_list_searches_by_name(self, client, national_admin, prefecture_paris, prefecture_marseille):
        client.force_login(national_admin)
        response = client.get(reverse("accounts:user_list"), {"q": "marie.prefecture"})
        assert prefecture_marseille.email in response.text and prefecture_paris.email not in response.text


class TestDjangoAdmin:
    def test_only_national_admins_enter(self, client, national_admin, prefecture_paris):
        prefecture_paris.is_staff = True  # even a stray staff flag is not enough
        prefecture_paris.save()
        client.force_login(prefecture_paris)
        assert client.get("/django-admin/").status_code == 302
        client.force_login(national_admin)
        assert client.get("/django-admin/").status_code == 200
        assert client.get("/django-admin/directory/structure/").status_code == 200


class TestRoleSwitch:
    def test_it_switches_to_one_of_my_roles_only(self, client, prefecture_paris, prefecture_marseille):
        from accounts import services

        second = services.membership_grant(
            user=prefecture_paris, role=Role.PREFECTURE, granted_by=None, department=department("13")
        )
        client.force_login(prefecture_paris)
        client.post(reverse("accounts:switch_role"), {"membership": second.pk})
        prefecture_paris.refresh_from_db()
        assert prefecture_paris.active_membership == second
        foreign = prefecture_marseille.memberships.get()
        client.post(reverse("accounts:switch_role"), {"membership": foreign.pk})
        prefecture_paris.refresh_from_db()
        assert prefecture_paris.active_membership == second
