"""The avenants: a structure asks for more posts or gives posts back; prefecture opinion; hub or national decision
(grant N ≤ asked, refuse, send back); the convention's posts change on the day of the grant."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.enums import Role
from directory import conventions
from directory.enums import ConventionEventKind
from directory.models import Structure
from workflows import notifications, scopes
from workflows.enums import (
    Kind,
    PostRequestType,
    PostReturnMotive,
    RequestDecision,
    RequestStatus,
    Step,
    Verdict,
)
from workflows.flows import PostRequestFlow
from workflows.models import PostRequest
from workflows.selectors import free_posts
from workflows.services.common import (
    AlreadyProcessed,
    DecisionLog,
    cancel_process,
    locked,
    manager_structure,
    performing,
    request_decision_check,
    request_opinion_record,
    validate_opinion,
)

MOTIVATION_MIN, MOTIVATION_MAX = 10, 2500
POSTS_MAX = 50
# Still in the parcours: a structure has at most one of these at a time.
OPEN_POST_REQUEST_STATUSES = [RequestStatus.PREFECTURE_REVIEW, RequestStatus.DECISION]


def returnable_posts(structure) -> int:
    """The posts a structure may give back: granted minus held (advisors in post, recruitments in progress)."""
    return max(free_posts(structure), 0)


def _return_refused_message(structure, asked: int) -> str:
    free = returnable_posts(structure)
    held = structure.posts_granted - free
    return (
        f"Vous ne pouvez rendre que des postes vacants : {free} poste(s) libre(s) sur {structure.posts_granted}, "
        f"{held} occupé(s) par un conseiller en poste ou un recrutement en cours. Pour rendre un poste occupé, "
        f"notifiez d'abord la fin de contrat du conseiller (ou annulez le recrutement). Demandé : {asked}."
    )


def _check_submission(*, type, posts_requested, motivation, return_motive, return_motive_other) -> None:
    errors = {}
    if type not in PostRequestType.values:
        errors["type"] = "Choisissez : demander des postes ou en rendre."
    if not isinstance(posts_requested, int) or not 1 <= posts_requested <= POSTS_MAX:
        errors["posts_requested"] = f"Indiquez un nombre de postes entre 1 et {POSTS_MAX}."
    if type == PostRequestType.ADD and not MOTIVATION_MIN <= len(motivation.strip()) <= MOTIVATION_MAX:
        errors["motivation"] = "Expliquez votre besoin de postes supplémentaires (entre 10 et 2 500 caractères)."
    if type == PostRequestType.RETURN:
        if return_motive not in PostReturnMotive.values:
            errors["return_motive"] = "Choisissez le motif du rendu de poste."
        elif return_motive == PostReturnMotive.OTHER and not return_motive_other.strip():
            errors["return_motive_other"] = "Précisez le motif du rendu de poste."
    if len(motivation) > MOTIVATION_MAX:
        errors["motivation"] = "2 500 caractères au maximum."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_request_submit(
    *,
    user,
    type: str,
    posts_requested: int,
    motivation: str = "",
    return_motive: str = "",
    return_motive_other: str = "",
    request=None,
) -> PostRequest:
    """The structure asks for more posts or gives vacant posts back: the avenant goes to the prefecture."""
    structure = manager_structure(user)
    _check_submission(
        type=type,
        posts_requested=posts_requested,
        motivation=motivation,
        return_motive=return_motive,
        return_motive_other=return_motive_other,
    )
    # The structure's row lock serialises two submissions (one open avenant at a time) and a recruitment.
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    convention = conventions.convention_in_force(structure)
    if convention is None:
        raise ValidationError("Votre structure n'a pas de convention en cours : aucun avenant n'est possible.")
    if PostRequest.objects.filter(structure=structure, status__in=OPEN_POST_REQUEST_STATUSES).exists():
        raise ValidationError(
            "Un avenant est déjà en cours pour votre structure : attendez sa décision ou annulez-le avant d'en "
            "déposer un autre."
        )
    if type == PostRequestType.RETURN and posts_requested > returnable_posts(structure):
        raise ValidationError({"posts_requested": _return_refused_message(structure, posts_requested)})
    is_return = type == PostRequestType.RETURN
    post_request = PostRequest.objects.create(
        structure=structure,
        convention=convention,
        type=type,
        posts_requested=posts_requested,
        posts_before=structure.posts_granted,
        motivation=motivation.strip(),
        return_motive=return_motive if is_return else "",
        return_motive_other=return_motive_other.strip()[:300]
        if is_return and return_motive == PostReturnMotive.OTHER
        else "",
        requested_by=user,
    )
    process = PostRequestFlow.start.run(subject=post_request)
    PostRequest.objects.filter(pk=post_request.pk).update(process=process)
    post_request.process = process
    DecisionLog(kind=Kind.POST_REQUEST, actor=user, process=process, request=request).record(
        post_request, Verdict.SUBMITTED, reason=post_request_summary(post_request)
    )
    notifications.post_request_submitted(post_request)
    return post_request


def post_request_summary(post_request) -> str:
    """ "2 poste(s) demandé(s)" / "1 poste(s) rendu(s) : motif"."""
    if post_request.type == PostRequestType.ADD:
        return f"{post_request.posts_requested} poste(s) demandé(s)"
    return f"{post_request.posts_requested} poste(s) rendu(s) : {return_motive_text(post_request)}"


def return_motive_text(post_request) -> str:
    """The motive of a return as the structure gave it (the free text for « Autre »)."""
    if post_request.return_motive == PostReturnMotive.OTHER:
        return post_request.return_motive_other or PostReturnMotive.OTHER.label
    return post_request.get_return_motive_display()


def post_request_prefecture_review(
    *, work_item, user, opinion: str, internal_note: str, message_to_applicant: str = "", request=None
) -> PostRequest:
    """The prefecture's opinion (internal note for the deciders); the avenant goes to the decision either way."""
    validate_opinion(opinion, internal_note)
    with performing(work_item, user, Step.POST_REQUEST_PREFECTURE, request=request) as log:
        post_request = locked(PostRequest, work_item.subject_id)
        request_opinion_record(
            log, post_request, opinion=opinion, internal_note=internal_note, message_to_applicant=message_to_applicant
        )
    notifications.post_request_reviewed(post_request, message_to_applicant)
    return post_request


def post_request_decide(
    *,
    work_item,
    user,
    decision: str,
    posts_granted=None,
    reason: str = "",
    message_to_applicant: str = "",
    internal_note: str = "",
    request=None,
) -> PostRequest:
    """Grant (N ≤ asked: the convention's posts change today), refuse with a reason, or send back to the prefecture.

    A return is checked again against the posts held: an advisor may have been recruited since the request."""
    reason_label = request_decision_check(
        decision, reason=reason, message_to_applicant=message_to_applicant, internal_note=internal_note
    )
    today = timezone.localdate()
    with performing(work_item, user, Step.POST_REQUEST_DECISION, request=request) as log:
        post_request = locked(PostRequest, work_item.subject_id)
        if decision == RequestDecision.GRANT:
            _grant(post_request, posts_granted, user=user, today=today)
            verdict, reason_label = Verdict.GRANTED, _granted_label(post_request)
        elif decision == RequestDecision.REFUSE:
            post_request.status = RequestStatus.REFUSED
            post_request.decided_at = timezone.now()
            verdict = Verdict.REFUSED
        else:
            post_request.status = RequestStatus.PREFECTURE_REVIEW
            post_request.prefecture_opinion = ""
            verdict = Verdict.SENT_BACK
        post_request.save()
        log.process.decision = decision
        log.process.save()
        log.record(
            post_request,
            verdict,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
        )
    if decision == RequestDecision.GRANT:
        notifications.post_request_granted(post_request, message_to_applicant)
    elif decision == RequestDecision.REFUSE:
        notifications.post_request_refused(post_request, reason_label, message_to_applicant)
    else:
        notifications.post_request_sent_back(post_request, internal_note)
    return post_request


def _granted_label(post_request) -> str:
    verb = "accordé(s)" if post_request.type == PostRequestType.ADD else "rendu(s)"
    return f"{post_request.posts_granted} poste(s) {verb} sur {post_request.posts_requested} demandé(s)"


def _grant(post_request, posts_granted, *, user, today) -> None:
    """Check N, re-check a return against the posts held, and record the dated change of the convention."""
    asked = post_request.posts_requested
    if not isinstance(posts_granted, int) or not 1 <= posts_granted <= asked:
        raise ValidationError({"posts_granted": f"Accordez entre 1 et {asked} poste(s) (nombre demandé)."})
    structure = Structure.objects.select_for_update().get(pk=post_request.structure_id)
    convention = conventions.convention_in_force(structure, today)
    if convention is None:
        raise ValidationError(
            "La structure n'a plus de convention en cours : refusez l'avenant, ses postes ne peuvent plus changer."
        )
    is_return = post_request.type == PostRequestType.RETURN
    if is_return and posts_granted > returnable_posts(structure):
        raise ValidationError({"posts_granted": _return_refused_message(structure, posts_granted)})
    conventions.convention_record(
        convention=convention,
        kind=ConventionEventKind.POSTS_RETURNED if is_return else ConventionEventKind.POSTS_ADDED,
        delta=-posts_granted if is_return else posts_granted,
        effective_on=today,
        actor=user,
        reference=f"Avenant n° {post_request.pk}",
    )
    post_request.posts_granted = posts_granted
    post_request.status = RequestStatus.GRANTED
    post_request.decided_at = timezone.now()


@transaction.atomic
def post_request_cancel(*, post_request, user, request=None) -> PostRequest:
    """The structure withdraws its avenant while it is still in the parcours."""
    if not scopes.visible_post_requests(user).filter(pk=post_request.pk).exists():
        raise PermissionDenied("Cet avenant est hors de votre périmètre.")
    if roles.active_role(user) != Role.STRUCTURE_MANAGER:
        raise PermissionDenied("Seule la structure peut annuler son avenant.")
    post_request = locked(PostRequest, post_request.pk)
    if post_request.status not in OPEN_POST_REQUEST_STATUSES:
        raise AlreadyProcessed("Cet avenant est déjà décidé ou annulé.")
    cancel_process(post_request.process, PostRequestFlow)
    post_request.status = RequestStatus.CANCELLED
    post_request.decided_at = timezone.now()
    post_request.save(update_fields=["status", "decided_at", "updated_at"])
    DecisionLog(kind=Kind.POST_REQUEST, actor=user, process=post_request.process, request=request).record(
        post_request, Verdict.CANCELLED
    )
    notifications.post_request_cancelled(post_request)
    return post_request
