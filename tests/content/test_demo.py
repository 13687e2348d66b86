"""The content demo seeder: the national admin also moderates; every demo editor is in their Wagtail group."""

import pytest

from accounts.enums import Role
from accounts.models import Membership
from content.demo import seed
from directory.demo import DEMO_DOMAIN
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


class TestContentDemo:
    def test_it_makes_the_admin_a_moderator_and_syncs_groups_idempotently(self):
        # As directory.demo writes them: memberships created directly, without the group sync.
        admin = UserFactory(email=f"admin@{DEMO_DOMAIN}")
        editor = UserFactory(email=f"editeur@{DEMO_DOMAIN}")
        for user, role in [(admin, Role.NATIONAL), (admin, Role.EDITOR), (editor, Role.EDITOR)]:
            Membership.objects.create(user=user, role=role)
        assert seed() == "2 comptes éditeurs ou modérateurs du site"
        assert set(admin.memberships.active().values_list("role", flat=True)) == {
            Role.NATIONAL,
            Role.EDITOR,
            Role.MODERATOR,
        }
        assert group_names(admin) == {"Éditeurs", "Modérateurs"}
        assert group_names(editor) == {"Éditeurs"}
        memberships = Membership.objects.count()
        assert seed() == "2 comptes éditeurs ou modérateurs du site"
        assert Membership.objects.count() == memberships

    def test_it_does_nothing_without_the_demo_accounts(self):
        assert seed() == "0 comptes éditeurs ou modérateurs du site"
