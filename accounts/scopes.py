"""The one place that answers "what may this user see?" for every role.

Every view, export and API endpoint starts from these querysets, so that an object outside the
user's active scope is simply absent (and a lookup of it answers 404). Functions take the user and
read their active membership; a user without one sees nothing.
"""

from django.db.models import Q, QuerySet

from accounts.enums import Role
from accounts.models import Membership
from directory.enums import AdvisorStatus
from directory.models import Advisor, Hub, Place, PlaceAssignment, Structure
from territories.models import Department

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


def public_places() -> QuerySet[Place]:
    """Activity places anyone may see (advisor finder, open data): public, not removed, with an advisor in post."""
    staffed = PlaceAssignment.objects.filter(advisor__status=AdvisorStatus.ACTIVE).values("place")
    return Place.objects.public().filter(pk__in=staffed)


def public_place_assignments() -> QuerySet[PlaceAssignment]:
    """Advisors in post at places, as the public sees them: show only Advisor.public_name (their consent)."""
    return PlaceAssignment.objects.filter(advisor__status=AdvisorStatus.ACTIVE, place__in=public_places())
