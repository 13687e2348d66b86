"""Who sees which activity reports, and the statistics scope of each role (the two must agree)."""

import pytest

from accounts import roles
from reporting import scopes
from reporting.scopes import Scope
from reporting.selectors import Period, activity_statistics
from tests.reporting.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(paris_advisor, marseille_advisor):
    return {
        "paris": ActivityFactory(advisor=paris_advisor),
        "marseille": ActivityFactory(advisor=marseille_advisor, collective=True),
    }


def visible(user) -> set[int]:
    return set(scopes.visible_activities(user).values_list("pk", flat=True))


class TestVisibleActivities:
    def test_each_role_sees_its_reports(
        self,
        reports,
        advisor_user,
        coordinator_user,
        structure_manager,
        prefecture_paris,
        prefecture_marseille,
        hub_agent,
        national_admin,
        editor_user,
        outsider,
    ):
        paris, marseille = reports["paris"].pk, reports["marseille"].pk
        assert visible(advisor_user) == {paris}
        assert visible(coordinator_user) == {paris}
        assert visible(structure_manager) == {paris}
        assert visible(prefecture_paris) == {paris}
        assert visible(prefecture_marseille) == {marseille}
        assert visible(hub_agent) == {paris}
        assert visible(national_admin) == {paris, marseille}
        assert visible(editor_user) == set() and visible(outsider) == set()

    def test_deleted_reports_are_invisible(self, reports, advisor_user, national_admin):
        from reporting import services

        services.activity_delete(activity=reports["paris"], actor=advisor_user)
        assert visible(advisor_user) == set()
        assert reports["paris"].pk not in visible(national_admin)

    def test_only_advisors_and_coordinators_own_reports(self, reports, advisor_user, coordinator_user, national_admin):
        assert set(scopes.own_activities(advisor_user).values_list("pk", flat=True)) == {reports["paris"].pk}
        assert not scopes.own_activities(coordinator_user).exists()  # Camille's report is not the coordinator's
        assert not scopes.own_activities(national_admin).exists()


class TestStatisticsScope:
    def test_the_statistics_of_each_role_count_exactly_its_visible_reports(
        self,
        reports,
        advisor_user,
        coordinator_user,
        structure_manager,
        prefecture_paris,
        prefecture_marseille,
        hub_agent,
        national_admin,
        outsider,
    ):
        period = Period(reports["paris"].date, reports["paris"].date)
        for user in (
            advisor_user,
            coordinator_user,
            structure_manager,
            prefecture_paris,
            prefecture_marseille,
            hub_agent,
            national_admin,
            outsider,
        ):
            roles.forget_active_membership(user)
            statistics = activity_statistics(scopes.statistics_scope(user), period)
            assert statistics["activities"] == scopes.visible_activities(user).count(), user

    def test_scope_values(self, advisor_user, paris_advisor, prefecture_paris, structure_manager, paris_structure):
        assert scopes.statistics_scope(advisor_user) == Scope.advisors([paris_advisor.pk])
        assert scopes.statistics_scope(prefecture_paris) == Scope.departments(["75"])
        assert scopes.statistics_scope(structure_manager) == Scope.structures([paris_structure.pk])
        assert Scope.nothing().is_empty and Scope.advisors([]).is_empty and not Scope.national().is_empty
