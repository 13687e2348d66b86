"""What each role may see of the activity reports, and the statistics scope built from the same membership.

Reporting reads this module for every list, export and statistic, so that lists and dashboards always agree
(see accounts.roles).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.enums import Role
from accounts.roles import active_membership, department_codes, is_territorial, scope_rule
from directory.models import Advisor, Structure
from directory.scopes import team_advisor_ids
from reporting.enums import TagScope
from reporting.models import Activity, Beneficiary, CoordinationActivity, StatisticsShare, Tag
from territories.models import Department


@dataclass(frozen=True)
class Scope:
    """What a statistics query covers: the whole country, or lists of regions, departments, structures or advisors.

    Built from the same membership as visible_activities(): a statistic and the list of reports behind it agree.
    """

    level: str
    ids: tuple = ()

    NATIONAL = "national"
    REGIONS = "regions"
    DEPARTMENTS = "departments"
    STRUCTURES = "structures"
    ADVISORS = "advisors"
    NOTHING = "nothing"

    @classmethod
    def national(cls) -> "Scope":
        return cls(cls.NATIONAL)

    @classmethod
    def regions(cls, codes) -> "Scope":
        return cls(cls.REGIONS, tuple(sorted(codes)))

    @classmethod
    def departments(cls, codes) -> "Scope":
        return cls(cls.DEPARTMENTS, tuple(sorted(codes)))

    @classmethod
    def structures(cls, ids) -> "Scope":
        return cls(cls.STRUCTURES, tuple(sorted(ids)))

    @classmethod
    def advisors(cls, ids) -> "Scope":
        return cls(cls.ADVISORS, tuple(sorted(ids)))

    @classmethod
    def nothing(cls) -> "Scope":
        return cls(cls.NOTHING)

    @property
    def is_empty(self) -> bool:
        return self.level == self.NOTHING or (self.level != self.NATIONAL and not self.ids)


def statistics_scope(user) -> Scope:
    """The activity statistics the user's active role covers (one query at most, for a coordinator's team)."""
    membership = active_membership(user)
    if membership is None:
        return Scope.nothing()
    if membership.role == Role.NATIONAL:
        return Scope.national()
    if membership.role == Role.PREFECTURE and membership.department_id:
        return Scope.departments([membership.department_id])
    if membership.role == Role.PREFECTURE:
        return Scope.regions([membership.region_id])
    if membership.role == Role.HUB:
        return Scope.departments(department_codes(membership).values_list("code", flat=True))
    if membership.role == Role.STRUCTURE_MANAGER:
        return Scope.structures([membership.structure_id])
    if membership.role == Role.ADVISOR:
        return Scope.advisors([membership.advisor_id])
    if membership.role == Role.COORDINATOR:
        return Scope.advisors(Advisor.objects.filter(pk__in=team_advisor_ids(membership)).values_list("pk", flat=True))
    return Scope.nothing()


def territory_of(membership) -> Q:
    """The territory of a prefecture or hub membership, on records that carry their region and department."""
    if membership.role == Role.PREFECTURE and membership.region_id:
        return Q(region=membership.region_id)
    return Q(department__in=department_codes(membership))


@scope_rule(Activity)
def visible_activities(user) -> QuerySet[Activity]:
    """Activity reports (not deleted) the user may see: own, team's, structure's, territory's or all."""
    membership = active_membership(user)
    activities = Activity.objects.current()
    if membership is None:
        return activities.none()
    if membership.role == Role.NATIONAL:
        return activities
    if is_territorial(membership):
        return activities.filter(territory_of(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return activities.filter(structure=membership.structure_id)
    if membership.role == Role.ADVISOR:
        return activities.filter(advisor=membership.advisor_id)
    if membership.role == Role.COORDINATOR:
        return activities.filter(advisor__in=team_advisor_ids(membership))
    return activities.none()


def own_activities(user) -> QuerySet[Activity]:
    """The reports the user wrote (as an advisor or a coordinator): the only ones they may edit or delete."""
    membership = active_membership(user)
    if membership is None or membership.role not in (Role.ADVISOR, Role.COORDINATOR):
        return Activity.objects.none()
    return Activity.objects.current().filter(advisor=membership.advisor_id)


# Espace Coop v2: followed beneficiaries, tags, coordinators' activities, shared statistics.


def _coop_advisor_id(user) -> int | None:
    """The advisor behind an advisor or coordinator role (the author of reports), else None."""
    membership = active_membership(user)
    if membership is None or membership.role not in (Role.ADVISOR, Role.COORDINATOR):
        return None
    return membership.advisor_id


@scope_rule(Beneficiary)
def visible_beneficiaries(user) -> QuerySet[Beneficiary]:
    """The people the user follows as an advisor or coordinator: nobody else ever sees a beneficiary by name."""
    advisor_id = _coop_advisor_id(user)
    if advisor_id is None:
        return Beneficiary.objects.none()
    return Beneficiary.objects.followed().filter(advisor=advisor_id)


def tag_departments(user):
    """The department codes whose departmental tags the user's active role may use (a list or a subquery)."""
    membership = active_membership(user)
    if membership is None:
        return []
    if is_territorial(membership):
        return department_codes(membership)
    if membership.role in (Role.ADVISOR, Role.COORDINATOR):
        own = Department.objects.filter(structures__advisors=membership.advisor_id)
        if membership.role == Role.COORDINATOR:
            own = own | Department.objects.filter(coordinators=membership.advisor_id)
        return own.values("code")
    if membership.role == Role.STRUCTURE_MANAGER:
        return Department.objects.filter(structures=membership.structure_id).values("code")
    return []


@scope_rule(Tag)
def visible_tags(user) -> QuerySet[Tag]:
    """Tags the user may put on reports and filter by: own personal ones, their departments' ones, national ones."""
    membership = active_membership(user)
    tags = Tag.objects.filter(archived_at__isnull=True)
    if membership is None:
        return tags.none()
    if membership.role == Role.NATIONAL:
        return tags.exclude(scope=TagScope.PERSONAL)
    usable = Q(scope=TagScope.NATIONAL) | Q(scope=TagScope.DEPARTMENT, department__in=tag_departments(user))
    advisor_id = _coop_advisor_id(user)
    if advisor_id is not None:
        usable |= Q(scope=TagScope.PERSONAL, owner=advisor_id)
    return tags.filter(usable)


def manageable_tags(user) -> QuerySet[Tag]:
    """Tags the user may rename, archive or merge: own personal ones; departmental ones for the coordinators and
    prefecture agents of that department; national ones for the national team."""
    membership = active_membership(user)
    tags = Tag.objects.filter(archived_at__isnull=True)
    if membership is None:
        return tags.none()
    if membership.role == Role.NATIONAL:
        return tags.filter(scope__in=[TagScope.NATIONAL, TagScope.DEPARTMENT])
    allowed = Q(pk__in=[])
    if membership.role == Role.PREFECTURE:
        allowed = Q(scope=TagScope.DEPARTMENT, department__in=department_codes(membership))
    if membership.role == Role.COORDINATOR:
        departments = Department.objects.filter(coordinators=membership.advisor_id).values("code")
        allowed = Q(scope=TagScope.DEPARTMENT, department__in=departments)
    advisor_id = _coop_advisor_id(user)
    if advisor_id is not None:
        allowed |= Q(scope=TagScope.PERSONAL, owner=advisor_id)
    return tags.filter(allowed)


@scope_rule(CoordinationActivity)
def visible_coordination_activities(user) -> QuerySet[CoordinationActivity]:
    """Coordinators' activities the user may see: own (coordinator), the territory's, the structure's, or all."""
    membership = active_membership(user)
    activities = CoordinationActivity.objects.current()
    if membership is None:
        return activities.none()
    if membership.role == Role.NATIONAL:
        return activities
    if is_territorial(membership):
        return activities.filter(territory_of(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return activities.filter(structure=membership.structure_id)
    if membership.role == Role.COORDINATOR:
        return activities.filter(coordinator=membership.advisor_id)
    return activities.none()


def own_coordination_activities(user) -> QuerySet[CoordinationActivity]:
    """The coordination activities the user recorded under the coordinator role: the only ones they may change."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.COORDINATOR:
        return CoordinationActivity.objects.none()
    return CoordinationActivity.objects.current().filter(coordinator=membership.advisor_id)


@scope_rule(StatisticsShare)
def visible_statistics_shares(user) -> QuerySet[StatisticsShare]:
    """The share links of the user's own statistics (advisor or coordinator)."""
    advisor_id = _coop_advisor_id(user)
    if advisor_id is None:
        return StatisticsShare.objects.none()
    return StatisticsShare.objects.filter(advisor=advisor_id)


# Network of a statistics scope (pilotage): the structures and advisors a Scope covers, for territorial indicators.


def scope_structures(scope: Scope) -> QuerySet[Structure]:
    """The host structures of a statistics scope (territories by their department, advisors by their employer)."""
    structures = Structure.objects.all()
    if scope.level == Scope.NATIONAL:
        return structures
    if scope.is_empty:
        return structures.none()
    if scope.level == Scope.REGIONS:
        return structures.filter(department__region__in=scope.ids)
    if scope.level == Scope.DEPARTMENTS:
        return structures.filter(department__in=scope.ids)
    if scope.level == Scope.STRUCTURES:
        return structures.filter(pk__in=scope.ids)
    return structures.filter(pk__in=Advisor.objects.filter(pk__in=scope.ids).values("structure"))


def scope_advisors(scope: Scope) -> QuerySet[Advisor]:
    """The advisors of a statistics scope (by their current employer for territories and structures)."""
    advisors = Advisor.objects.all()
    if scope.level == Scope.NATIONAL:
        return advisors
    if scope.is_empty:
        return advisors.none()
    if scope.level == Scope.REGIONS:
        return advisors.filter(structure__department__region__in=scope.ids)
    if scope.level == Scope.DEPARTMENTS:
        return advisors.filter(structure__department__in=scope.ids)
    if scope.level == Scope.STRUCTURES:
        return advisors.filter(structure__in=scope.ids)
    return advisors.filter(pk__in=scope.ids)
