"""What each role may see of the network: structures, advisors, activity places and hubs (see accounts.roles)."""

from django.db.models import Q, QuerySet

from accounts.enums import Role
from accounts.models import Membership
from accounts.roles import active_membership, department_codes, is_territorial, scope_rule
from directory.enums import AdvisorStatus
from directory.models import Advisor, Contract, Convention, Hub, Place, PlaceAssignment, Structure
from territories.models import Department


def team_advisor_ids(membership: Membership):
    """A subquery of the advisors a coordinator coordinates: named ones, those of their departments, and self."""
    coordinator_id = membership.advisor_id
    coordinated = Q(pk=coordinator_id) | Q(coordinators=coordinator_id)
    departments = Department.objects.filter(coordinators=coordinator_id).values("code")
    coordinated |= Q(structure__department__in=departments)
    return Advisor.objects.filter(coordinated).values("pk")


@scope_rule(Structure)
def visible_structures(user) -> QuerySet[Structure]:
    """Host structures the user may see."""
    membership = active_membership(user)
    structures = Structure.objects.all()
    if membership is None:
        return structures.none()
    if membership.role == Role.NATIONAL:
        return structures
    if is_territorial(membership):
        return structures.filter(department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return structures.filter(pk=membership.structure_id)
    if membership.role == Role.ADVISOR:
        return structures.filter(advisors=membership.advisor_id)
    if membership.role == Role.COORDINATOR:
        return structures.filter(
            pk__in=Advisor.objects.filter(pk__in=team_advisor_ids(membership)).values("structure")
        )
    return structures.none()


@scope_rule(Advisor)
def visible_advisors(user) -> QuerySet[Advisor]:
    """Advisors the user may see."""
    membership = active_membership(user)
    advisors = Advisor.objects.all()
    if membership is None:
        return advisors.none()
    if membership.role == Role.NATIONAL:
        return advisors
    if is_territorial(membership):
        return advisors.filter(structure__department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return advisors.filter(structure=membership.structure_id)
    if membership.role == Role.ADVISOR:
        return advisors.filter(pk=membership.advisor_id)
    if membership.role == Role.COORDINATOR:
        return advisors.filter(pk__in=team_advisor_ids(membership))
    return advisors.none()


@scope_rule(Place)
def visible_places(user) -> QuerySet[Place]:
    """Activity places the user may see (removed places excluded)."""
    membership = active_membership(user)
    places = Place.objects.current()
    if membership is None:
        return places.none()
    if membership.role == Role.NATIONAL:
        return places
    if is_territorial(membership):
        return places.filter(department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        staffed = Place.objects.filter(advisors__structure=membership.structure_id).values("pk")
        return places.filter(Q(structure=membership.structure_id) | Q(pk__in=staffed))
    if membership.role == Role.ADVISOR:
        return places.filter(pk__in=Place.objects.filter(advisors=membership.advisor_id).values("pk"))
    if membership.role == Role.COORDINATOR:
        return places.filter(pk__in=Place.objects.filter(advisors__in=team_advisor_ids(membership)).values("pk"))
    return places.none()


@scope_rule(Convention)
def visible_conventions(user) -> QuerySet[Convention]:
    """Conventions: of the territory's structures, of one's own structure, or all (national)."""
    membership = active_membership(user)
    conventions = Convention.objects.all()
    if membership is None:
        return conventions.none()
    if membership.role == Role.NATIONAL:
        return conventions
    if is_territorial(membership):
        return conventions.filter(structure__department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return conventions.filter(structure=membership.structure_id)
    return conventions.none()


@scope_rule(Contract)
def visible_contracts(user) -> QuerySet[Contract]:
    """Contracts: of the territory's employers, of one's own structure (as employer), one's own (advisor), the
    team's (coordinator), or all (national)."""
    membership = active_membership(user)
    contracts = Contract.objects.all()
    if membership is None:
        return contracts.none()
    if membership.role == Role.NATIONAL:
        return contracts
    if is_territorial(membership):
        return contracts.filter(structure__department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return contracts.filter(structure=membership.structure_id)
    if membership.role == Role.ADVISOR:
        return contracts.filter(advisor=membership.advisor_id)
    if membership.role == Role.COORDINATOR:
        return contracts.filter(advisor__in=team_advisor_ids(membership))
    return contracts.none()


@scope_rule(Hub)
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
        return hubs.filter(pk__in=Hub.objects.filter(departments__in=department_codes(membership)).values("pk"))
    return hubs.none()


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


def public_directory_advisors() -> QuerySet[Advisor]:
    """Advisors the public directory names (« Trouver un conseiller », partner API): in post, who agreed to be shown,
    working at a public place. The others are never listed, not even anonymously."""
    at_public_places = PlaceAssignment.objects.filter(place__in=public_places()).values("advisor")
    return Advisor.objects.active().filter(show_on_map=True, pk__in=at_public_places)


def public_place_assignments() -> QuerySet[PlaceAssignment]:
    """Advisors in post at places, as the public sees them: show only Advisor.public_name (their consent)."""
    return PlaceAssignment.objects.filter(advisor__status=AdvisorStatus.ACTIVE, place__in=public_places())
