"""What each role may see of the recruitment parcours, and which steps it may act on (see accounts.roles)."""

from django.db.models import Q, QuerySet

from accounts.enums import ROLE_PERMISSIONS, Role
from accounts.roles import active_membership, active_role, department_codes, is_territorial, scope_rule
from directory.enums import StructureStatus
from directory.models import Structure
from territories.utils import bounding_box
from workflows.enums import AttachmentAudience, CandidateStatus, MaxDistance
from workflows.kinds import KINDS
from workflows.models import (
    AdvisorApplication,
    Attachment,
    BulkJob,
    ContractChange,
    CoordinatorRequest,
    PostRequest,
    PostTransfer,
    Recruitment,
    RenewalRequest,
    Rupture,
    SavedView,
    StructureApplication,
    WorkItem,
)
from workflows.steps import STEP_PERMISSIONS


@scope_rule(StructureApplication)
def visible_structure_applications(user) -> QuerySet[StructureApplication]:
    """Structure applications: of the territory (prefecture, hub), of one's own structure, or all (national)."""
    membership = active_membership(user)
    applications = StructureApplication.objects.all()
    if membership is None:
        return applications.none()
    if membership.role == Role.NATIONAL:
        return applications
    if is_territorial(membership):
        return applications.filter(department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        siret = Structure.objects.filter(pk=membership.structure_id).values("siret")
        return applications.filter(Q(structure=membership.structure_id) | Q(siret__in=siret))
    return applications.none()


@scope_rule(Recruitment)
def visible_recruitments(user) -> QuerySet[Recruitment]:
    """Recruitments: of the territory's structures, of one's own structure, or all (national)."""
    membership = active_membership(user)
    recruitments = Recruitment.objects.all()
    if membership is None:
        return recruitments.none()
    if membership.role == Role.NATIONAL:
        return recruitments
    if is_territorial(membership):
        return recruitments.filter(department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return recruitments.filter(structure=membership.structure_id)
    return recruitments.none()


@scope_rule(Rupture)
def visible_ruptures(user) -> QuerySet[Rupture]:
    """Ends of contract: of the territory's structures, of one's own structure, or all (national)."""
    membership = active_membership(user)
    ruptures = Rupture.objects.all()
    if membership is None:
        return ruptures.none()
    if membership.role == Role.NATIONAL:
        return ruptures
    if is_territorial(membership):
        return ruptures.filter(department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return ruptures.filter(structure=membership.structure_id)
    return ruptures.none()


def _requests_of(model, user) -> QuerySet:
    """Requests of the programme's life after recruitment: of the territory, of one's own structure, or all."""
    membership = active_membership(user)
    requests = model.objects.all()
    if membership is None:
        return requests.none()
    if membership.role == Role.NATIONAL:
        return requests
    if is_territorial(membership):
        return requests.filter(department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return requests.filter(structure=membership.structure_id)
    return requests.none()


@scope_rule(PostRequest)
def visible_post_requests(user) -> QuerySet[PostRequest]:
    """Avenants (posts added or given back)."""
    return _requests_of(PostRequest, user)


@scope_rule(RenewalRequest)
def visible_renewals(user) -> QuerySet[RenewalRequest]:
    """Reconventionnements."""
    return _requests_of(RenewalRequest, user)


@scope_rule(ContractChange)
def visible_contract_changes(user) -> QuerySet[ContractChange]:
    """Contract changes (prolongation, renewal, amendment)."""
    return _requests_of(ContractChange, user)


@scope_rule(CoordinatorRequest)
def visible_coordinator_requests(user) -> QuerySet[CoordinatorRequest]:
    """Coordinator post requests."""
    return _requests_of(CoordinatorRequest, user)


@scope_rule(PostTransfer)
def visible_transfers(user) -> QuerySet[PostTransfer]:
    """Transfers of posts: seen by both structures and both territories (the giving and the receiving one)."""
    membership = active_membership(user)
    transfers = PostTransfer.objects.all()
    if membership is None:
        return transfers.none()
    if membership.role == Role.NATIONAL:
        return transfers
    if is_territorial(membership):
        codes = department_codes(membership)
        return transfers.filter(Q(department__in=codes) | Q(from_department__in=codes))
    if membership.role == Role.STRUCTURE_MANAGER:
        return transfers.filter(Q(structure=membership.structure_id) | Q(from_structure=membership.structure_id))
    return transfers.none()


@scope_rule(AdvisorApplication)
def visible_candidates(user) -> QuerySet[AdvisorApplication]:
    """Candidates (and their CV): living in the territory or recruited there; the available pool and one's own
    recruits for a structure manager; all for national admins."""
    membership = active_membership(user)
    candidates = AdvisorApplication.objects.all()
    if membership is None:
        return candidates.none()
    if membership.role == Role.NATIONAL:
        return candidates
    if is_territorial(membership):
        codes = department_codes(membership)
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


@scope_rule(WorkItem)
def visible_work_items(user) -> QuerySet[WorkItem]:
    """Tasks of the espace agents in the user's territory or structure (open or closed)."""
    membership = active_membership(user)
    items = WorkItem.objects.all()
    if membership is None:
        return items.none()
    if membership.role == Role.NATIONAL:
        return items
    if is_territorial(membership):
        return items.filter(department__in=department_codes(membership))
    if membership.role == Role.STRUCTURE_MANAGER:
        return items.filter(structure=membership.structure_id)
    return items.none()


@scope_rule(Attachment)
def visible_attachments(user) -> QuerySet[Attachment]:
    """Attachments of the dossiers the user sees: all of them for the agents, those meant for the structure for a
    structure manager (never the candidate's, never the agents' own)."""
    membership = active_membership(user)
    attachments = Attachment.objects.all()
    if membership is None:
        return attachments.none()
    if membership.role == Role.NATIONAL:
        return attachments
    if membership.role == Role.STRUCTURE_MANAGER:
        attachments = attachments.filter(audience=AttachmentAudience.STRUCTURE)
    elif not is_territorial(membership):
        return attachments.none()
    of_visible_dossiers = Q(pk__in=[])
    for spec in KINDS.values():
        of_visible_dossiers |= Q(kind=spec.kind, subject_id__in=spec.visible(user).values("pk"))
    return attachments.filter(of_visible_dossiers)


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


@scope_rule(BulkJob)
def visible_bulk_jobs(user) -> QuerySet[BulkJob]:
    """Bulk jobs: one's own only (issue 14), whatever the role."""
    if user is None or not user.is_authenticated:
        return BulkJob.objects.none()
    return BulkJob.objects.filter(user=user)


# --- Issue 14: saved views of the task lists ---


@scope_rule(SavedView)
def visible_saved_views(user) -> QuerySet[SavedView]:
    """Saved views: one's own only, whatever the role (their counts are read through the current scope)."""
    if user is None or not user.is_authenticated:
        return SavedView.objects.none()
    return SavedView.objects.filter(user=user)
