import pytest

from accounts import roles, services
from accounts.enums import Role
from directory import scopes
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, StructureFactory
from tests.territories.factories import commune, department, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(paris_structure, marseille_structure, paris_advisor, marseille_advisor):
    """Two structures with an advisor and a place each, plus one in the Hauts-de-Seine (92)."""
    boulogne = StructureFactory(name="Mairie de Boulogne", commune=commune("92012"), postal_code="92100")
    boulogne_advisor = PlaceAssignmentFactory(advisor__structure=boulogne, place__structure=boulogne).advisor
    return {
        "paris": paris_structure,
        "marseille": marseille_structure,
        "boulogne": boulogne,
        "paris_advisor": paris_advisor,
        "marseille_advisor": marseille_advisor,
        "boulogne_advisor": boulogne_advisor,
    }


def names(queryset):
    return sorted(str(item) for item in queryset)


class TestNationalScope:
    def test_it_sees_everything(self, network, national_admin):
        assert scopes.visible_structures(national_admin).count() == 3
        assert scopes.visible_advisors(national_admin).count() == 3
        assert scopes.visible_places(national_admin).count() == 3
        assert roles.is_national(national_admin)


class TestPrefectureScope:
    def test_it_sees_only_its_department(self, network, prefecture_paris):
        assert list(scopes.visible_structures(prefecture_paris)) == [network["paris"]]
        assert list(scopes.visible_advisors(prefecture_paris)) == [network["paris_advisor"]]
        assert [p.structure for p in scopes.visible_places(prefecture_paris)] == [network["paris"]]
        assert list(roles.visible_departments(prefecture_paris).values_list("code", flat=True)) == ["75"]

    def test_marseille_never_sees_paris(self, network, prefecture_marseille):
        assert list(scopes.visible_structures(prefecture_marseille)) == [network["marseille"]]
        assert network["paris_advisor"] not in scopes.visible_advisors(prefecture_marseille)

    def test_a_regional_prefecture_sees_its_whole_region(self, network):
        user = MembershipFactory(role=Role.PREFECTURE, region=region("11")).user
        assert names(scopes.visible_structures(user)) == ["Mairie de Boulogne", "Mairie du 11e arrondissement"]


class TestHubScope:
    def test_it_sees_the_departments_of_its_hub(self, network, hub_agent):
        assert names(scopes.visible_structures(hub_agent)) == ["Mairie de Boulogne", "Mairie du 11e arrondissement"]
        assert scopes.visible_advisors(hub_agent).count() == 2
        assert list(scopes.visible_hubs(hub_agent).values_list("slug", flat=True)) == ["francil-in"]

    def test_a_prefecture_sees_the_hubs_covering_its_department(self, network, hub_idf, prefecture_paris):
        assert list(scopes.visible_hubs(prefecture_paris)) == [hub_idf]


class TestStructureManagerScope:
    def test_it_sees_its_structure_its_advisors_and_their_places(self, network, structure_manager):
        assert list(scopes.visible_structures(structure_manager)) == [network["paris"]]
        assert list(scopes.visible_advisors(structure_manager)) == [network["paris_advisor"]]
        assert scopes.visible_places(structure_manager).count() == 1


class TestAdvisorScope:
    def test_it_sees_itself_only(self, network, advisor_user):
        assert list(scopes.visible_advisors(advisor_user)) == [network["paris_advisor"]]
        assert list(scopes.visible_structures(advisor_user)) == [network["paris"]]
        assert list(scopes.visible_places(advisor_user)) == list(network["paris_advisor"].places.all())


class TestCoordinatorScope:
    def test_it_sees_its_team_and_itself(self, network, coordinator_user):
        team = scopes.visible_advisors(coordinator_user)
        assert network["paris_advisor"] in team
        assert coordinator_user.advisor in team
        assert network["marseille_advisor"] not in team
        assert list(scopes.visible_structures(coordinator_user)) == [network["paris"]]

    def test_a_coordinated_department_extends_the_team(self, network, coordinator_user):
        coordinator_user.advisor.coordination_departments.add(department("13"))
        assert network["marseille_advisor"] in scopes.visible_advisors(coordinator_user)
        assert network["boulogne_advisor"] not in scopes.visible_advisors(coordinator_user)


class TestRolesWithoutDomainScope:
    def test_editors_and_users_without_role_see_nothing(self, network, editor_user, outsider):
        for user in (editor_user, outsider):
            assert not scopes.visible_structures(user).exists()
            assert not scopes.visible_advisors(user).exists()
            assert not scopes.visible_places(user).exists()
            assert not roles.visible_departments(user).exists()


class TestActiveMembership:
    def test_the_active_role_decides_the_scope(self, network, prefecture_paris, national_admin):
        national = services.membership_grant(user=prefecture_paris, role=Role.NATIONAL, granted_by=national_admin)
        assert scopes.visible_structures(prefecture_paris).count() == 1
        services.role_switch(user=prefecture_paris, membership_id=national.pk)
        assert scopes.visible_structures(prefecture_paris).count() == 3

    def test_a_revoked_active_membership_falls_back_to_another(self, network, national_admin):
        user = UserFactory()
        first = services.membership_grant(
            user=user, role=Role.PREFECTURE, granted_by=None, department=department("13")
        )
        services.membership_grant(user=user, role=Role.PREFECTURE, granted_by=None, department=department("75"))
        services.membership_revoke(membership=first, revoked_by=national_admin)
        user.refresh_from_db()
        assert list(scopes.visible_structures(user)) == [network["paris"]]

    def test_an_advisor_of_another_structure_is_invisible_to_a_manager(self, network, structure_manager):
        stranger = AdvisorFactory(structure=network["boulogne"])
        assert stranger not in scopes.visible_advisors(structure_manager)
