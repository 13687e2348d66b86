"""Coordinator posts: the structure applies, the prefecture gives its opinion and ranks the requests of its department,
the national team decides (a granted post is one more post on the convention), the structure designates the
coordinator (an advisor in post, or a recruitment in progress who becomes coordinator when deployed); then the
coordinator's team (advisors and/or departments) changes over time, each change in the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import roles
from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Membership
from accounts.services import audit_record, membership_grant, user_invite
from directory import conventions
from directory import scopes as directory_scopes
from directory.enums import AdvisorStatus, ConventionEventKind, StructureStatus
from directory.models import Advisor, Contract, Structure
from workflows import notifications, scopes
from workflows.enums import (
    RECRUITMENT_IN_PROGRESS,
    CoordinationType,
    Kind,
    RequestDecision,
    RequestStatus,
    Step,
    Verdict,
)
from workflows.flows import CoordinatorFlow
from workflows.models import CoordinatorRequest, Recruitment
from workflows.services.common import (
    DecisionLog,
    locked,
    manager_structure,
    performing,
    request_decision_check,
    request_opinion_record,
    validate_opinion,
)

# The requests a prefecture ranks against each other: those not yet decided by the national team.
RANKED_STATUSES = [RequestStatus.PREFECTURE_REVIEW, RequestStatus.DECISION]
# The audit log's mark of a change of a coordinator's team (details["step"]).
TEAM_CHANGE = "equipe_coordinateur"


# --- The request --------------------------------------------------------------------------------------------------


@transaction.atomic
def coordinator_request_submit(
    *, user, coordination_type: str, territory: str, covered_departments, motivation: str, request=None
) -> CoordinatorRequest:
    """The structure manager applies for a coordinator post (validated structure, convention in force, one open
    request at a time); the prefecture of its department gives its opinion."""
    structure = manager_structure(user)
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    if structure.status != StructureStatus.VALIDATED:
        raise ValidationError("Votre structure doit être validée par le dispositif pour demander un poste.")
    convention = conventions.convention_in_force(structure)
    if convention is None:
        raise ValidationError("Votre structure n'a pas de convention en cours : elle ne peut pas demander de poste.")
    if CoordinatorRequest.objects.open().filter(structure=structure).exists():
        raise ValidationError("Votre structure a déjà une demande de poste de coordinateur en cours.")
    errors = {}
    if coordination_type not in CoordinationType.values:
        errors["coordination_type"] = "Choisissez les missions du coordinateur."
    if not 5 <= len(territory.strip()) <= 500:
        errors["territory"] = "Décrivez le territoire à couvrir (entre 5 et 500 caractères)."
    covered_departments = list(covered_departments or [])
    if not covered_departments:
        errors["covered_departments"] = "Choisissez au moins un département couvert."
    if not 10 <= len(motivation.strip()) <= 2500:
        errors["motivation"] = "La motivation doit faire entre 10 et 2 500 caractères."
    if errors:
        raise ValidationError(errors)
    coordinator_request = CoordinatorRequest.objects.create(
        structure=structure,
        coordination_type=coordination_type,
        territory=territory.strip(),
        motivation=motivation.strip(),
        convention=convention,
        requested_by=user,
    )
    coordinator_request.covered_departments.set(covered_departments)
    process = CoordinatorFlow.start.run(subject=coordinator_request)
    CoordinatorRequest.objects.filter(pk=coordinator_request.pk).update(process=process)
    coordinator_request.process = process
    DecisionLog(kind=Kind.COORDINATOR, actor=user, process=process, request=request).record(
        coordinator_request, Verdict.SUBMITTED, reason=coordinator_request.get_coordination_type_display()
    )
    notifications.coordinator_request_submitted(coordinator_request)
    return coordinator_request


def coordinator_ranking(coordinator_request, user):
    """The department's requests still ranked (before the national decision), best rank first, as the user may see
    them: what the prefecture's form and the dossier show beside the rank."""
    return (
        scopes.visible_coordinator_requests(user)
        .filter(department=coordinator_request.department_id, status__in=RANKED_STATUSES)
        .select_related("structure")
        .order_by(F("prefecture_rank").asc(nulls_last=True), "created_at", "pk")
    )


def coordinator_prefecture_review(
    *, work_item, user, opinion: str, rank, internal_note: str, message_to_applicant: str = "", request=None
) -> CoordinatorRequest:
    """The prefecture's opinion and the request's rank among its department's requests (1 = first; two requests of
    the department never share a rank); the request goes to the national decision."""
    validate_opinion(opinion, internal_note)
    if rank is None or rank < 1:
        raise ValidationError({"rank": "Indiquez le rang de cette demande (1 pour la première)."})
    with performing(work_item, user, Step.COORDINATOR_PREFECTURE, request=request) as log:
        coordinator_request = locked(CoordinatorRequest, work_item.subject_id)
        # Lock the department's ranked requests: two prefecture agents ranking at once never give the same rank.
        others = list(
            CoordinatorRequest.objects.select_for_update()
            .filter(department=coordinator_request.department_id, status__in=RANKED_STATUSES)
            .exclude(pk=coordinator_request.pk)
            .order_by("pk")
        )
        count = len(others) + 1
        if rank > count:
            raise ValidationError(
                {
                    "rank": f"Le rang doit être compris entre 1 et {count} ({count} demande(s) en cours dans le "
                    "département)."
                }
            )
        taken = next((other for other in others if other.prefecture_rank == rank), None)
        if taken is not None:
            name = Structure.objects.filter(pk=taken.structure_id).values_list("name", flat=True).get()
            raise ValidationError(
                {"rank": f"Le rang {rank} est déjà donné à la demande de « {name} » : choisissez un autre rang."}
            )
        coordinator_request.prefecture_rank = rank
        request_opinion_record(
            log,
            coordinator_request,
            opinion=opinion,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
            reason=f"Rang {rank} sur {count} dans le département",
            also=["prefecture_rank"],
        )
    notifications.coordinator_request_reviewed(coordinator_request, message_to_applicant)
    return coordinator_request


def coordinator_decide(
    *,
    work_item,
    user,
    decision: str,
    reason: str = "",
    message_to_applicant: str = "",
    internal_note: str = "",
    request=None,
) -> CoordinatorRequest:
    """The national decision: grant (one coordinator post more on the convention in force, from today; the
    structure then designates the coordinator), refuse (reason and message to the structure), or send back to the
    prefecture."""
    reason_label = request_decision_check(
        decision, reason=reason, message_to_applicant=message_to_applicant, internal_note=internal_note
    )
    now = timezone.now()
    with performing(work_item, user, Step.COORDINATOR_DECISION, request=request) as log:
        coordinator_request = locked(CoordinatorRequest, work_item.subject_id)
        if decision == RequestDecision.GRANT:
            convention = conventions.convention_in_force(coordinator_request.structure)
            if convention is None:
                raise ValidationError(
                    {"decision": "La structure n'a plus de convention en cours : le poste ne peut pas être accordé."}
                )
            conventions.convention_record(
                convention=convention,
                kind=ConventionEventKind.COORDINATOR_POST,
                delta=1,
                is_coordinator_post=True,
                effective_on=timezone.localdate(now),
                actor=user,
                reference=f"Poste de coordinateur n° {coordinator_request.pk}",
            )
            coordinator_request.convention = convention
            coordinator_request.status = RequestStatus.DESIGNATION
            coordinator_request.decided_at = now
            verdict, reason_label = Verdict.GRANTED, "1 poste de coordinateur"
        elif decision == RequestDecision.REFUSE:
            coordinator_request.status = RequestStatus.REFUSED
            coordinator_request.decided_at = now
            verdict = Verdict.REFUSED
        else:
            coordinator_request.status = RequestStatus.PREFECTURE_REVIEW
            verdict = Verdict.SENT_BACK
        coordinator_request.save(update_fields=["convention", "status", "decided_at", "updated_at"])
        log.process.decision = decision
        log.process.save()
        log.record(
            coordinator_request,
            verdict,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
        )
    if decision == RequestDecision.GRANT:
        notifications.coordinator_request_granted(coordinator_request, message_to_applicant)
    elif decision == RequestDecision.REFUSE:
        notifications.coordinator_request_refused(coordinator_request, reason_label, message_to_applicant)
    else:
        notifications.coordinator_request_sent_back(coordinator_request)
    return coordinator_request


# --- The designation ----------------------------------------------------------------------------------------------


def _make_coordinator(advisor, *, actor=None, request=None) -> Advisor:
    """The advisor becomes coordinator: the flag, her contract's coordinator post and the coordinator role (her
    account, or an invitation when she has none yet)."""
    advisor = Advisor.objects.select_for_update().get(pk=advisor.pk)
    if not advisor.is_coordinator:
        advisor.is_coordinator = True
        advisor.save(update_fields=["is_coordinator"])
    Contract.objects.active().filter(advisor=advisor).update(is_coordinator_post=True)
    if advisor.user_id:
        held = Membership.objects.active().filter(user=advisor.user_id, role=Role.COORDINATOR, advisor=advisor)
        if not held.exists():
            membership_grant(
                user=advisor.user, role=Role.COORDINATOR, granted_by=actor, request=request, advisor=advisor
            )
    elif advisor.professional_email or advisor.email:
        account, _ = user_invite(
            email=advisor.professional_email or advisor.email,
            first_name=advisor.first_name,
            last_name=advisor.last_name,
            role=Role.COORDINATOR,
            invited_by=actor,
            request=request,
            advisor=advisor,
        )
        advisor.user = account
        advisor.save(update_fields=["user"])
    return advisor


def _check_choice(advisor, recruitment) -> None:
    if (advisor is None) == (recruitment is None):
        raise ValidationError(
            {"advisor": "Choisissez un conseiller en poste ou un recrutement en cours (l'un ou l'autre)."}
        )


def _designate(coordinator_request, *, advisor, recruitment, user, request) -> str:
    """Make the chosen advisor coordinator, or mark the chosen recruitment as the coordinator post; the request is
    locked by the caller. Returns the decision log's reason."""
    if advisor is not None:
        advisor = Advisor.objects.select_for_update().get(pk=advisor.pk)
        if advisor.structure_id != coordinator_request.structure_id or advisor.status != AdvisorStatus.ACTIVE:
            raise ValidationError({"advisor": "Ce conseiller n'est pas en poste dans la structure."})
        coordinator_request.coordinator = _make_coordinator(advisor, actor=user, request=request)
        coordinator_request.recruitment = None
        return f"{advisor.full_name}, conseiller en poste"
    recruitment = locked(Recruitment, recruitment.pk)
    if (
        recruitment.structure_id != coordinator_request.structure_id
        or recruitment.status not in RECRUITMENT_IN_PROGRESS
    ):
        raise ValidationError({"recruitment": "Ce recrutement n'est pas en cours dans la structure."})
    recruitment.is_coordinator_post = True
    recruitment.save(update_fields=["is_coordinator_post", "updated_at"])
    coordinator_request.coordinator = None
    coordinator_request.recruitment = recruitment
    return f"Recrutement en cours de {recruitment.candidate}"


def coordinator_designate(
    *, work_item, user, advisor=None, recruitment=None, message_to_applicant: str = "", request=None
) -> CoordinatorRequest:
    """The structure designates its coordinator: an advisor in post in the structure (coordinator at once), or one
    of its recruitments in progress (coordinator when she takes up her post)."""
    _check_choice(advisor, recruitment)
    with performing(work_item, user, Step.COORDINATOR_DESIGNATION, request=request) as log:
        coordinator_request = locked(CoordinatorRequest, work_item.subject_id)
        reason = _designate(coordinator_request, advisor=advisor, recruitment=recruitment, user=user, request=request)
        coordinator_request.status = RequestStatus.GRANTED
        coordinator_request.save(update_fields=["coordinator", "recruitment", "status", "updated_at"])
        log.record(coordinator_request, Verdict.DESIGNATED, reason=reason, message_to_applicant=message_to_applicant)
    notifications.coordinator_designated(coordinator_request)
    return coordinator_request


def coordinator_post_vacant(coordinator_request) -> bool:
    """A granted post without a coordinator to come: hers ended, or the recruitment designated fell through."""
    if coordinator_request.status != RequestStatus.GRANTED:
        return False
    if coordinator_request.coordinator_id:
        return coordinator_request.coordinator.status != AdvisorStatus.ACTIVE
    recruitment = coordinator_request.recruitment
    return recruitment is None or recruitment.status not in RECRUITMENT_IN_PROGRESS


@transaction.atomic
def coordinator_redesignate(
    *, coordinator_request, user, advisor=None, recruitment=None, message_to_applicant: str = "", request=None
) -> CoordinatorRequest:
    """The post granted is vacant (the coordinator left, or the recruitment designated fell through): the structure
    (or the national team) designates a new coordinator, outside the parcours, which has ended."""
    if roles.active_role(user) not in (Role.STRUCTURE_MANAGER, Role.NATIONAL):
        raise PermissionDenied("Seule la structure ou l'équipe nationale peut désigner le coordinateur.")
    if not scopes.visible_coordinator_requests(user).filter(pk=coordinator_request.pk).exists():
        raise PermissionDenied("Ce dossier est hors de votre périmètre.")
    _check_choice(advisor, recruitment)
    coordinator_request = locked(CoordinatorRequest, coordinator_request.pk)
    if not coordinator_post_vacant(coordinator_request):
        raise ValidationError("Ce poste de coordinateur n'est pas vacant : son coordinateur est en poste ou à venir.")
    reason = _designate(coordinator_request, advisor=advisor, recruitment=recruitment, user=user, request=request)
    coordinator_request.save(update_fields=["coordinator", "recruitment", "updated_at"])
    DecisionLog(kind=Kind.COORDINATOR, actor=user, process=coordinator_request.process, request=request).record(
        coordinator_request,
        Verdict.DESIGNATED,
        reason=f"Nouveau coordinateur : {reason}",
        message_to_applicant=message_to_applicant,
    )
    notifications.coordinator_designated(coordinator_request)
    return coordinator_request


def coordinator_recruitment_deployed(*, recruitment, advisor, actor=None, request=None) -> CoordinatorRequest | None:
    """Called by the deployment: the recruitment designated as a coordinator post takes up her post, so the new
    advisor becomes the coordinator (role granted); None when the recruitment was not designated."""
    waiting = CoordinatorRequest.objects.select_for_update().filter(recruitment=recruitment, coordinator__isnull=True)
    coordinator_request = waiting.first()
    if coordinator_request is None:
        return None
    advisor = _make_coordinator(advisor, actor=actor, request=request)
    coordinator_request.coordinator = advisor
    coordinator_request.save(update_fields=["coordinator", "updated_at"])
    DecisionLog(kind=Kind.COORDINATOR, actor=actor, process=coordinator_request.process, request=request).record(
        coordinator_request, Verdict.DESIGNATED, reason=f"Prise de poste de {advisor.full_name}"
    )
    notifications.coordinator_designated(coordinator_request)
    return coordinator_request


# --- The team -----------------------------------------------------------------------------------------------------


def _labels(advisors) -> list[list]:
    return [[advisor.pk, advisor.full_name] for advisor in sorted(advisors, key=lambda a: (a.last_name, a.pk))]


@transaction.atomic
def coordinator_team_set(*, coordinator, user, advisors, departments, request=None) -> Advisor:
    """Set a coordinator's team: the advisors (among those the user may see: the others stay as they were) and the
    departments; the change (before → after) goes to the audit log, shown as the team's history."""
    if roles.active_role(user) not in (Role.STRUCTURE_MANAGER, Role.NATIONAL):
        raise PermissionDenied("Seule la structure du coordinateur ou l'équipe nationale peut modifier son équipe.")
    visible = directory_scopes.visible_advisors(user)
    if not visible.filter(pk=coordinator.pk, is_coordinator=True).exists():
        raise PermissionDenied("Ce coordinateur est hors de votre périmètre.")
    coordinator = Advisor.objects.select_for_update().get(pk=coordinator.pk)
    chosen = list(advisors or [])
    chosen_ids = {advisor.pk for advisor in chosen}
    if coordinator.pk in chosen_ids:
        raise ValidationError({"advisors": "Un coordinateur ne fait pas partie de sa propre équipe."})
    allowed = set(visible.filter(pk__in=chosen_ids, status=AdvisorStatus.ACTIVE).values_list("pk", flat=True))
    if chosen_ids - allowed:
        raise ValidationError({"advisors": "Choisissez des conseillers en poste de votre périmètre."})
    before = list(coordinator.coordinated_advisors.all())
    before_ids = {advisor.pk for advisor in before}
    # Team members the user may not see (set by the national team) are kept: nobody removes what they cannot see.
    hidden_ids = before_ids - set(visible.filter(pk__in=before_ids).values_list("pk", flat=True))
    after_ids = hidden_ids | chosen_ids
    departments = sorted({department.pk for department in departments or []})
    before_departments = sorted(coordinator.coordination_departments.values_list("pk", flat=True))
    if after_ids == before_ids and departments == before_departments:
        return coordinator
    coordinator.coordinated_advisors.set(after_ids)
    coordinator.coordination_departments.set(departments)
    after = Advisor.objects.filter(pk__in=after_ids)
    audit_record(
        actor=user,
        action=AuditAction.COORDINATOR_TEAM_CHANGED,
        target=coordinator,
        details={
            "kind": Kind.COORDINATOR,
            "step": TEAM_CHANGE,
            "verdict": "equipe_modifiee",
            "advisors": {"before": _labels(before), "after": _labels(after)},
            "departments": {"before": before_departments, "after": departments},
        },
        request=request,
    )
    return coordinator


def coordinator_team_history(*, coordinator, user, limit: int = 50) -> list[dict]:
    """The changes of a coordinator's team, latest first: who, when, advisors added and removed (the ones the user
    may not see are counted, not named), departments before and after."""
    events = AuditEvent.objects.filter(
        action=AuditAction.COORDINATOR_TEAM_CHANGED,
        target_type=Advisor._meta.label_lower,
        target_id=str(coordinator.pk),
        details__step=TEAM_CHANGE,
    ).order_by("-created_at", "-pk")[:limit]
    events = list(events)
    mentioned = set()
    for event in events:
        for side in ("before", "after"):
            mentioned.update(pk for pk, _ in event.details["advisors"][side])
    visible = set(directory_scopes.visible_advisors(user).filter(pk__in=mentioned).values_list("pk", flat=True))
    history = []
    for event in events:
        before = dict(map(tuple, event.details["advisors"]["before"]))
        after = dict(map(tuple, event.details["advisors"]["after"]))
        added = [after[pk] for pk in after if pk not in before and pk in visible]
        removed = [before[pk] for pk in before if pk not in after and pk in visible]
        hidden = sum(1 for pk in set(before) ^ set(after) if pk not in visible)
        history.append(
            {
                "at": event.created_at,
                "by": event.actor_label,
                "added": added,
                "removed": removed,
                "hidden": hidden,
                "departments_before": event.details["departments"]["before"],
                "departments_after": event.details["departments"]["after"],
            }
        )
    return history
