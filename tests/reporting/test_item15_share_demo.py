"""Issue 15 part 4: the demo share link is seeded once."""

import pytest

from directory.demo import DEMO_DOMAIN
from reporting.demo_share import seed
from reporting.models import StatisticsShare
from tests.accounts.factories import UserFactory
from tests.directory.factories import AdvisorFactory

pytestmark = pytest.mark.django_db


class TestSeedShares:
    def test_it_creates_one_link_and_running_twice_changes_nothing(self):
        user = UserFactory(email=f"conseiller@{DEMO_DOMAIN}")
        AdvisorFactory(user=user)
        assert "créé" in seed()
        assert "déjà présent" in seed()
        assert StatisticsShare.objects.count() == 1

    def test_it_does_nothing_without_the_demo_advisor(self):
        assert "rien à faire" in seed() and not StatisticsShare.objects.exists()
