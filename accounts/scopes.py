"""The one place that answers "what may this user see?" for every role.

Every view, export and API endpoint starts from these querysets, so that an object outside the
user's active scope is simply absent (and a lookup of it answers 404). Functions take the user and
read their active membership; a user without one sees nothing.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.enums import ROLE_PERMISSIONS, Role
from accounts.models import Membership
from directory.enums import AdvisorStatus, StructureStatus
from directory.models import Advisor, Hub, Place, PlaceAssignment, Structure
from reporting.models import Activity
from territories.models import Department
from territories.utils import bounding_box
from workflows.enums import CandidateStatus, MaxDistance
from workflows.models import AdvisorApplication, Recruitment, Rupture, StructureApplication, WorkItem
from workflows.steps import STEP_PERMISSIONS

_CACHE_ATTRIBUTE = "_scope_membership"


def active_membership(user) -> Membership | None:
    """The membership the user works under: the chosen one while still valid, otherwise their oldest active one."""
    if user is None or not user.is_authenticated:
        return None
    if hasattr(user, _CACHE_ATTRIBUTE):
        return getattr(user, _CACHE_ATTRIBUTE)
    membership = user.active_membership
    if membership is None or membership.revoked_at is not None:
        membership = user.memberships.active().with_scope().first()
    setattr(user, _CACHE_ATTRIBUTE, membership)
    return membership


def act_as(user, membership: Membership) -> None:
    """Read the user's scope from this membership (commands that work through each of a user's roles)."""
    setattr(user, _CACHE_ATTRIBUTE, membership)


def forget_active_membership(user) -> None:
    """Drop the cached membership after a role switch or a revocation."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def active_role(user) -> str | None:
    membership = active_membership(user)
    return membership.role if membership else None


def is_national(user) -> bool:
    return active_role(user) == Role.NATIONAL


def visible_departments(user) -> QuerySet[Department]:
    """Departments whose data the user may see as a territorial agent (all of them for national admins)."""
    membership = active_membership(user)
    if membership is None:
        return Department.objects.none()
    if membership.role == Role.NATIONAL:
        return Department.objects.all()
    if membership.role == Role.PREFECTURE:
        if membership.department_id:
            return Department.objects.filter(pk=membership.department_id)
        return Department.objects.filter(region_id=membership.region_id)
    if membership.role == Role.HUB:
        return Department.objects.filter(hubs=membership.hub_id)
    if membership.role == Role.STRUCTURE_MANAGER:
        return Department.objects.filter(structures=membership.structure_id)
    return Department.objects.none()


def _territorial(membership: Membership) -> bool:
    return membership.role in (Role.PREFECTURE, Role.HUB)


def _department_codes(membership: Membership):
    """A subquery of department codes for a prefecture or hub membership."""
    if membership.role == Role.PREFECTURE and membership.department_id:
        return [membership.department_id]
    if membership.role == Role.PREFECTURE:
        return Department.objects.filter(region_id=membership.region_id).values("code")
    return Department.objects.filter(hubs=membership.hub_id).values("code")


def team_advisor_ids(membership: Membership):
    """A subquery of the advisors a coordinator coordinates: named ones, those of their departments, and self."""
    coordinator_id = membership.advisor_id
    coordinated = Q(pk=coordinator_id) | Q(coordinators=coordinator_id)
    departments = Department.objects.filter(coordinators=coordinator_id).values("code")
    coordinated |= Q(structure__department__in=departments)
    return Advisor.objects.filter(coordinated).values("pk")


def visible_structures(user) -> QuerySet[Structure]:
    """Host structures the user may see."""
    membership = active_membership(user)
    structures = Structure.objects.all()
    if membership is None:
        return structures.none()
    if membership.role == Role.NATIONAL:
        return structures
    if _territorial(membership):
        return structures.filter(department__in=_department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return structures.filter(pk=membership.structure_id)
    if membership.role == Role.ADVISOR:
        return structures.filter(advisors=membership.advisor_id)
    if membership.role == Role.COORDINATOR:
        return structures.filter(
            pk__in=Advisor.objects.filter(pk__in=team_advisor_ids(membership)).values("structure")
        )
    return structures.none()


def visible_advisors(user) -> QuerySet[Advisor]:
    """Advisors the user may see."""
    membership = active_membership(user)
    advisors = Advisor.objects.all()
    if membership is None:
        return advisors.none()
    if membership.role == Role.NATIONAL:
        return advisors
    if _territorial(membership):
        return advisors.filter(structure__department__in=_department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return advisors.filter(structure=membership.structure_id)
    if membership.role == Role.ADVISOR:
        return advisors.filter(pk=membership.advisor_id)
    if membership.role == Role.COORDINATOR:
        return advisors.filter(pk__in=team_advisor_ids(membership))
    return advisors.none()


def visible_places(user) -> QuerySet[Place]:
    """Activity places the user may see (removed places excluded)."""
    membership = active_membership(user)
    places = Place.objects.current()
    if membership is None:
        return places.none()
    if membership.role == Role.NATIONAL:
        return places
    if _territorial(membership):
        return places.filter(department__in=_department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        staffed = Place.objects.filter(advisors__structure=membership.structure_id).values("pk")
        return places.filter(Q(structure=membership.structure_id) | Q(pk__in=staffed))
    if membership.role == Role.ADVISOR:
        return places.filter(pk__in=Place.objects.filter(advisors=membership.advisor_id).values("pk"))
    if membership.role == Role.COORDINATOR:
        return places.filter(pk__in=Place.objects.filter(advisors__in=team_advisor_ids(membership)).values("pk"))
    return places.none()


def visible_hubs(user) -> QuerySet[Hub]:
    """Hubs the user may see: their own, the ones covering their territory, or all for national admins."""
    membership = active_membership(user)
    hubs = Hub.objects.all()
    if membership is None:
        return hubs.none()
    if membership.role == Role.NATIONAL:
        return hubs
    if membership.role == Role.HUB:
        return hubs.filter(pk=membership.hub_id)
    if membership.role == Role.PREFECTURE:
        return hubs.filter(pk__in=Hub.objects.filter(departments__in=_department_codes(membership)).values("pk"))
    return hubs.none()


# --- Recruitment parcours (workflows) -------------------------------------------------------------------------


def visible_structure_applications(user) -> QuerySet[StructureApplication]:
    """Structure applications: of the territory (prefecture, hub), of one's own structure, or all (national)."""
    membership = active_membership(user)
    applications = StructureApplication.objects.all()
    if membership is None:
        return applications.none()
    if membership.role == Role.NATIONAL:
        return applications
    if _territorial(membership):
        return applications.filter(department__in=_department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        siret = Structure.objects.filter(pk=membership.structure_id).values("siret")
        return applications.filter(Q(structure=membership.structure_id) | Q(siret__in=siret))
    return applications.none()


def visible_recruitments(user) -> QuerySet[Recruitment]:
    """Recruitments: of the territory's structures, of one's own structure, or all (national)."""
    membership = active_membership(user)
    recruitments = Recruitment.objects.all()
    if membership is None:
        return recruitments.none()
    if membership.role == Role.NATIONAL:
        return recruitments
    if _territorial(membership):
        return recruitments.filter(department__in=_department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return recruitments.filter(structure=membership.structure_id)
    return recruitments.none()


def visible_ruptures(user) -> QuerySet[Rupture]:
    """Ends of contract: of the territory's structures, of one's own structure, or all (national)."""
    membership = active_membership(user)
    ruptures = Rupture.objects.all()
    if membership is None:
        return ruptures.none()
    if membership.role == Role.NATIONAL:
        return ruptures
    if _territorial(membership):
        return ruptures.filter(department__in=_department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return ruptures.filter(structure=membership.structure_id)
    return ruptures.none()


def visible_candidates(user) -> QuerySet[AdvisorApplication]:
    """Candidates (and their CV): living in the territory or recruited there; the available pool and one's own
    recruits for a structure manager; all for national admins."""
    membership = active_membership(user)
    candidates = AdvisorApplication.objects.all()
    if membership is None:
        return candidates.none()
    if membership.role == Role.NATIONAL:
        return candidates
    if _territorial(membership):
        codes = _department_codes(membership)
        recruited_here = Recruitment.objects.filter(department__in=codes).values("candidate")
        return candidates.filter(Q(department__in=codes) | Q(pk__in=recruited_here))
    if membership.role == Role.STRUCTURE_MANAGER:
        if membership.structure.status != StructureStatus.VALIDATED:
            # Candidates' personal data is for structures the programme has validated (issue 11 item 7).
            return candidates.none()
        mine = Recruitment.objects.filter(structure=membership.structure_id).values("candidate")
        available = Q(status=CandidateStatus.AVAILABLE) & _within_candidate_distance(membership.structure)
        # A candidate engaged with another structure is nobody else's to see or preselect (issue 11 item 2).
        free = AdvisorApplication.objects.not_engaged(except_structure=membership.structure_id).values("pk")
        return candidates.filter((available & Q(pk__in=free)) | Q(pk__in=mine))
    return candidates.none()


def _within_candidate_distance(structure) -> Q:
    """Candidates whose own maximum distance reaches the structure (a bounding box per distance choice).

    A candidate who asked for 20 km around Marseille is not shown to a structure in Paris: the pool, the dossier
    and the CV follow the same rule."""
    anywhere = Q(max_distance_km=MaxDistance.FRANCE)
    lat = structure.latitude if structure.latitude is not None else structure.commune.latitude
    lon = structure.longitude if structure.longitude is not None else structure.commune.longitude
    if lat is None or lon is None:
        return anywhere
    for distance in MaxDistance:
        if distance == MaxDistance.FRANCE:
            continue
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, distance)
        anywhere |= Q(
            max_distance_km=distance, latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
        )
    return anywhere


def visible_work_items(user) -> QuerySet[WorkItem]:
    """Tasks of the espace agents in the user's territory or structure (open or closed)."""
    membership = active_membership(user)
    items = WorkItem.objects.all()
    if membership is None:
        return items.none()
    if membership.role == Role.NATIONAL:
        return items
    if _territorial(membership):
        return items.filter(department__in=_department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return items.filter(structure=membership.structure_id)
    return items.none()


def actionable_steps(user) -> list[str]:
    """The parcours steps the user's active role may act on (Viewflow node permissions)."""
    return actionable_steps_for_role(active_role(user))


def actionable_steps_for_role(role) -> list[str]:
    if role is None:
        return []
    if role == Role.NATIONAL:
        return list(STEP_PERMISSIONS)
    permissions = ROLE_PERMISSIONS.get(role, frozenset())
    return [step for step, permission in STEP_PERMISSIONS.items() if permission in permissions]


# Activity reports (issue 5). Scopes may read reporting's models; reporting reads this module for every list,
# export and statistic, so that lists and dashboards always agree.


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
        return Scope.departments(_department_codes(membership).values_list("code", flat=True))
    if membership.role == Role.STRUCTURE_MANAGER:
        return Scope.structures([membership.structure_id])
    if membership.role == Role.ADVISOR:
        return Scope.advisors([membership.advisor_id])
    if membership.role == Role.COORDINATOR:
        return Scope.advisors(Advisor.objects.filter(pk__in=team_advisor_ids(membership)).values_list("pk", flat=True))
    return Scope.nothing()


def visible_activities(user) -> QuerySet[Activity]:
    """Activity reports (not deleted) the user may see: own, team's, structure's, territory's or all."""
    membership = active_membership(user)
    activities = Activity.objects.current()
    if membership is None:
        return activities.none()
    if membership.role == Role.NATIONAL:
        return activities
    if _territorial(membership):
        if membership.role == Role.PREFECTURE and membership.region_id:
            return activities.filter(region=membership.region_id)
        return activities.filter(department__in=_department_codes(membership))
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


def own_places(user) -> QuerySet[Place]:
    """The activity places the user works at (current ones): the places they may edit in the Espace Coop."""
    membership = active_membership(user)
    if membership is None or membership.role not in (Role.ADVISOR, Role.COORDINATOR):
        return Place.objects.none()
    return Place.objects.current().filter(pk__in=Place.objects.filter(advisors=membership.advisor_id).values("pk"))


def coordinated_advisors(user) -> QuerySet[Advisor]:
    """The advisors a coordinator (active role) coordinates, themselves excepted: « Mon équipe »."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.COORDINATOR:
        return Advisor.objects.none()
    return Advisor.objects.filter(pk__in=team_advisor_ids(membership)).exclude(pk=membership.advisor_id)


def public_places() -> QuerySet[Place]:
    """Activity places anyone may see (advisor finder, open data): public, not removed, with an advisor in post."""
    staffed = PlaceAssignment.objects.filter(advisor__status=AdvisorStatus.ACTIVE).values("place")
    return Place.objects.public().filter(pk__in=staffed)


def public_place_assignments() -> QuerySet[PlaceAssignment]:
    """Advisors in post at places, as the public sees them: show only Advisor.public_name (their consent)."""
    return PlaceAssignment.objects.filter(advisor__status=AdvisorStatus.ACTIVE, place__in=public_places())


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
