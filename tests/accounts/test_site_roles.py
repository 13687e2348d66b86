"""Site roles (editor, moderator) are also Django auth groups, which carry the Wagtail permissions."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.enums import ROLE_GROUPS, Role
from accounts.models import Membership
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


class TestSiteRoleGroups:
    def test_it_puts_a_moderator_in_the_moderators_group_and_takes_them_out_on_revocation(self):
        user = UserFactory()
        membership = services.membership_grant(user=user, role=Role.MODERATOR, granted_by=None)
        assert group_names(user) == {"Modérateurs"}
        services.membership_revoke(membership=membership, revoked_by=None)
        assert group_names(user) == set()

    def test_it_keeps_the_group_while_another_membership_holds_the_role(self, editor_user):
        assert group_names(editor_user) == {"Éditeurs"}
        services.membership_grant(user=editor_user, role=Role.MODERATOR, granted_by=None)
        assert group_names(editor_user) == {"Éditeurs", "Modérateurs"}
        editor = editor_user.memberships.get(role=Role.EDITOR)
        services.membership_revoke(membership=editor, revoked_by=None)
        assert group_names(editor_user) == {"Modérateurs"}

    def test_it_leaves_other_groups_alone(self, national_admin):
        national_admin.groups.create(name="Équipe support")
        services.role_groups_sync(user=national_admin)
        assert group_names(national_admin) == {"Équipe support"}

    def test_it_accepts_the_moderator_role_without_scope_only(self, paris_structure):
        user = UserFactory()
        with pytest.raises(ValidationError):
            services.membership_grant(user=user, role=Role.MODERATOR, granted_by=None, structure=paris_structure)
        assert not Membership.objects.filter(user=user).exists()
        assert set(ROLE_GROUPS) == {Role.EDITOR, Role.MODERATOR}

    def test_it_lets_national_admins_invite_moderators(self, national_admin, client):
        client.force_login(national_admin)
        response = client.post(
            "/gestion/utilisateurs/inviter/",
            {"email": "mona@anct.gouv.fr", "first_name": "Mona", "last_name": "Modératrice", "role": Role.MODERATOR},
        )
        assert response.status_code == 302
        invited = Membership.objects.get(user__email="mona@anct.gouv.fr")
        assert invited.role == Role.MODERATOR and group_names(invited.user) == {"Modérateurs"}
