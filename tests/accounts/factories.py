"""Factories for users and memberships (role + scope)."""

import factory
from factory.django import DjangoModelFactory

from accounts.enums import Role
from accounts.models import Membership, User

PASSWORD = "mot-de-passe-de-test-123"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.gouv.fr")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(DjangoModelFactory):
    """A membership that also becomes the user's active one."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True  # the activate hook saves what it changes

    user = factory.SubFactory(UserFactory)
    role = Role.NATIONAL

    @factory.post_generation
    def activate(self, create, extracted, **kwargs):
        if create and self.user.active_membership_id is None:
            self.user.active_membership = self
            self.user.save(update_fields=["active_membership"])
