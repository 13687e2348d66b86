import pytest
from django.core.management import call_command

from accounts.enums import Role
from accounts.models import Membership, User
from directory.demo import DEMO_PASSWORD, PERSONAS
from directory.models import Advisor, Hub, Place, PlaceAssignment, Structure

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run

MODELS = [User, Membership, Hub, Structure, Advisor, Place, PlaceAssignment, Hub.departments.through]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


class TestSeedDemo:
    def test_it_builds_the_demo_slice_and_is_idempotent(self, demo_world, client):
        first = counts()
        call_command("seed_demo", verbosity=0)
        assert counts() == first

        assert Hub.objects.count() == 17
        assert 35 <= Structure.objects.count() <= 45
        assert 120 <= Advisor.objects.count() <= 180
        assert set(Structure.objects.values_list("department__region", flat=True)) == {"11", "93", "32"}
        assert Advisor.objects.active().exclude(place_assignments__is_principal=True).count() == 0

        roles = set(Membership.objects.active().values_list("role", flat=True))
        assert roles == {role.value for role in Role}
        for persona in PERSONAS:
            assert User.objects.get(email=persona.email).check_password(DEMO_PASSWORD), persona.email
        response = client.post("/connexion/", {"username": PERSONAS[5].email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        paris = User.objects.get(email=PERSONAS[1].email).memberships.get()
        assert paris.department_id == "75"
