"""Issue 11 item 13: every demo account can save its own profile unchanged (the seed gives values the forms accept)."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from directory import demo
from directory.forms import ProfileForm
from directory.models import Advisor

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run

# Roles whose space has a profile form of their own (the Espace Coop's « Mon profil »).
PROFILE_ROLES = {Role.ADVISOR, Role.COORDINATOR}


@pytest.fixture
def seeded(demo_world):
    """The demo accounts and advisors (tests/demo/conftest.py)."""


def unchanged_post_data(form) -> dict:
    """What the browser posts back when the user saves the form without touching it."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    return data


class TestItem13DemoProfiles:
    def test_item13_each_demo_account_logs_in_and_saves_its_profile_unchanged(self, client, seeded):
        saved = 0
        for persona in demo.PERSONAS:
            client.logout()
            response = client.post(
                reverse("accounts:login"), {"username": persona.email, "password": demo.DEMO_PASSWORD}
            )
            assert response.status_code == 302, persona.email
            user = User.objects.get(email=persona.email)
            assert client.get(reverse("accounts:account")).status_code == 200, persona.email
            if user.active_membership.role not in PROFILE_ROLES:
                continue
            page = client.get(reverse("coop:profile"))
            assert page.status_code == 200, persona.email
            data = unchanged_post_data(page.context["form"])
            response = client.post(reverse("coop:profile"), data)
            assert response.status_code == 302, (persona.email, page.context["form"].errors)
            saved += 1
        assert saved == 2  # the advisor and the coordinator

    def test_item13_every_seeded_advisor_profile_passes_the_profile_form(self, seeded):
        refused = {}
        for advisor in Advisor.objects.all():
            form = ProfileForm(data=unchanged_post_data(ProfileForm(instance=advisor)), instance=advisor)
            if not form.is_valid():
                refused[advisor.email] = form.errors
        assert Advisor.objects.count() > 100
        assert refused == {}

    def test_item13_an_accented_name_gives_an_ascii_professional_email(self, seeded):
        accented = Advisor.objects.filter(first_name__in=["Élodie", "Hélène", "Aïcha", "Anaïs"]).first()
        assert accented is not None
        assert accented.professional_email.isascii()
