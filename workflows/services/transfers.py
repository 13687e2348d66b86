"""Transfers of posts between two structures (national team): start, optional prefecture opinion of the receiving
department, national decision, application on the effective date (with the advisor who holds one of the posts)."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from directory import conventions
from directory.enums import AdvisorStatus, ContractEndReason, ConventionEventKind, StructureStatus
from directory.models import Advisor, PlaceAssignment, Structure
from workflows import notifications
from workflows.enums import (
    OPEN_REQUEST_STATUSES,
    Kind,
    RequestDecision,
    RequestStatus,
    Step,
    Verdict,
)
from workflows.flows import TransferFlow
from workflows.models import PostTransfer, Recruitment
from workflows.services.common import (
    AlreadyProcessed,
    DecisionLog,
    cancel_process,
    locked,
    performing,
    request_decision_check,
    request_opinion_record,
    validate_opinion,
)

NATIONAL_PERMISSION = "workflows.decide_national"


def _check_national(user) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(NATIONAL_PERMISSION):
        raise PermissionDenied("Seule l'équipe nationale peut transférer des postes.")


def transfer_free_posts(structure, on: date, *, exclude=None) -> int:
    """Posts of `structure` on `on` held by nobody: granted − active advisors − recruitments in progress − posts
    already promised by its other open transfers."""
    granted = conventions.posts_on(structure.pk, on)
    advisors = Advisor.objects.filter(structure=structure, status=AdvisorStatus.ACTIVE).count()
    in_progress = Recruitment.objects.in_progress().filter(structure=structure).count()
    outgoing = PostTransfer.objects.filter(from_structure=structure, status__in=OPEN_REQUEST_STATUSES)
    if exclude is not None:
        outgoing = outgoing.exclude(pk=exclude.pk)
    promised = outgoing.aggregate(n=Sum("posts"))["n"] or 0
    return granted - advisors - in_progress - promised


def _check_transfer(*, from_structure, structure, posts, advisor, effective_on, exclude=None) -> None:
    """The rules of a transfer, checked at its start and again at its confirmation (field → French message)."""
    errors = {}
    if from_structure is None:
        errors["from_structure"] = "Indiquez la structure qui cède les postes."
    if structure is None:
        errors["structure"] = "Indiquez la structure qui reçoit les postes."
    if effective_on is None:
        errors["effective_on"] = "Indiquez la date d'effet."
    if errors:
        raise ValidationError(errors)
    if from_structure.pk == structure.pk:
        errors["structure"] = "La structure qui reçoit doit être différente de celle qui cède."
    for field, candidate in (("from_structure", from_structure), ("structure", structure)):
        if candidate.status != StructureStatus.VALIDATED:
            errors.setdefault(field, f"« {candidate.name} » n'est pas une structure validée.")
        elif conventions.convention_in_force(candidate, effective_on) is None:
            errors.setdefault(
                field, f"« {candidate.name} » n'a pas de convention en cours au {effective_on:%d/%m/%Y}."
            )
    if errors:
        raise ValidationError(errors)
    granted = conventions.posts_on(from_structure.pk, effective_on)
    if posts is None or posts < 1:
        raise ValidationError({"posts": "Transférez au moins un poste."})
    if posts > granted:
        raise ValidationError(
            {"posts": f"« {from_structure.name} » n'a que {granted} poste(s) au {effective_on:%d/%m/%Y}."}
        )
    if advisor is not None and (advisor.structure_id != from_structure.pk or advisor.status != AdvisorStatus.ACTIVE):
        raise ValidationError({"advisor": "Ce conseiller n'est pas en poste dans la structure qui cède."})
    if advisor is not None:
        other = PostTransfer.objects.filter(advisor=advisor, status__in=OPEN_REQUEST_STATUSES)
        if exclude is not None:
            other = other.exclude(pk=exclude.pk)
        if other.exists():
            raise ValidationError({"advisor": "Un transfert de ce conseiller est déjà en cours."})
    vacant = transfer_free_posts(from_structure, effective_on, exclude=exclude)
    needed = posts - (1 if advisor is not None else 0)
    if needed > vacant:
        held = "en plus du poste du conseiller transféré, " if advisor is not None else ""
        raise ValidationError(
            {
                "posts": f"Les postes transférés doivent être vacants : {held}« {from_structure.name} » n'a que "
                f"{max(vacant, 0)} poste(s) vacant(s). Un poste occupé ne se transfère qu'avec son conseiller "
                "(ou après la fin de son contrat)."
            }
        )


@transaction.atomic
def transfer_start(
    *,
    user,
    from_structure,
    structure,
    posts: int,
    effective_on: date,
    motivation: str,
    advisor=None,
    ask_prefecture: bool = False,
    request=None,
) -> PostTransfer:
    """The national team moves posts from one structure to another (with the advisor of one of them, or vacant
    posts); the receiving department's prefecture gives its opinion first when asked."""
    _check_national(user)
    errors = {}
    if effective_on is not None and effective_on < timezone.localdate():
        errors["effective_on"] = "La date d'effet ne peut pas être passée."
    if len((motivation or "").strip()) < 10:
        errors["motivation"] = "Expliquez le motif du transfert (10 caractères au moins)."
    if errors:
        raise ValidationError(errors)
    # Both structures locked in a fixed order: two transfers started at once cannot promise the same vacant post.
    ids = sorted(s.pk for s in (from_structure, structure) if s is not None)
    locked_structures = {s.pk: s for s in Structure.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    from_structure = locked_structures.get(getattr(from_structure, "pk", None))
    structure = locked_structures.get(getattr(structure, "pk", None))
    _check_transfer(
        from_structure=from_structure, structure=structure, posts=posts, advisor=advisor, effective_on=effective_on
    )
    transfer = PostTransfer.objects.create(
        structure=structure,
        from_structure=from_structure,
        posts=posts,
        advisor=advisor,
        effective_on=effective_on,
        ask_prefecture=ask_prefecture,
        motivation=motivation.strip(),
        status=RequestStatus.PREFECTURE_REVIEW if ask_prefecture else RequestStatus.DECISION,
        requested_by=user,
    )
    process = TransferFlow.start.run(subject=transfer)
    PostTransfer.objects.filter(pk=transfer.pk).update(process=process)
    transfer.process = process
    DecisionLog(kind=Kind.TRANSFER, actor=user, process=process, request=request).record(
        transfer,
        Verdict.SUBMITTED,
        reason=f"{posts} poste(s) au {effective_on:%d/%m/%Y}" + (f", avec {advisor.full_name}" if advisor else ""),
        message_to_applicant=transfer.motivation,
    )
    notifications.transfer_started(transfer)
    return transfer


def transfer_prefecture_review(
    *, work_item, user, opinion: str, internal_note: str, message_to_applicant: str = "", request=None
) -> PostTransfer:
    """The prefecture of the receiving department gives its opinion; the national team decides next."""
    validate_opinion(opinion, internal_note)
    with performing(work_item, user, Step.TRANSFER_PREFECTURE, request=request) as log:
        transfer = locked(PostTransfer, work_item.subject_id)
        request_opinion_record(
            log, transfer, opinion=opinion, internal_note=internal_note, message_to_applicant=message_to_applicant
        )
    notifications.transfer_reviewed(transfer)
    return transfer


def transfer_decide(
    *,
    work_item,
    user,
    decision: str,
    reason: str = "",
    internal_note: str = "",
    message_to_applicant: str = "",
    request=None,
) -> PostTransfer:
    """The national team confirms (the transfer takes effect on its date), refuses, or sends back to the
    prefecture (only when its opinion was asked)."""
    if (
        decision == RequestDecision.SEND_BACK
        and not PostTransfer.objects.filter(pk=work_item.subject_id, ask_prefecture=True).exists()
    ):
        raise ValidationError(
            {"decision": "L'avis du préfet n'a pas été demandé pour ce transfert : confirmez ou refusez."}
        )
    reason_label = request_decision_check(
        decision, reason=reason, message_to_applicant=message_to_applicant, internal_note=internal_note
    )
    now = timezone.now()
    due = False
    with performing(work_item, user, Step.TRANSFER_DECISION, request=request) as log:
        transfer = (
            # Lock the transfer's row only: PostgreSQL refuses FOR UPDATE on the outer join of the optional advisor.
            PostTransfer.objects.select_for_update(of=("self",))
            .select_related("structure", "from_structure", "advisor")
            .get(pk=work_item.subject_id)
        )
        if decision == RequestDecision.GRANT:
            _check_transfer(
                from_structure=transfer.from_structure,
                structure=transfer.structure,
                posts=transfer.posts,
                advisor=transfer.advisor,
                effective_on=transfer.effective_on,
                exclude=transfer,
            )
            transfer.status = RequestStatus.SCHEDULED
            transfer.decided_at = now
            verdict = Verdict.VALIDATED
        elif decision == RequestDecision.REFUSE:
            transfer.status = RequestStatus.REFUSED
            transfer.decided_at = now
            verdict = Verdict.REFUSED
        else:
            transfer.status = RequestStatus.PREFECTURE_REVIEW
            verdict = Verdict.SENT_BACK
        transfer.save(update_fields=["status", "decided_at", "updated_at"])
        log.process.decision = decision
        log.process.save()
        if verdict == Verdict.VALIDATED:
            reason_label = f"Effectif le {transfer.effective_on:%d/%m/%Y}"
        log.record(
            transfer,
            verdict,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
        )
        due = decision == RequestDecision.GRANT and transfer.effective_on <= timezone.localdate(now)
        if due:
            _apply(transfer, now=now, actor=user, request=request)
    if decision == RequestDecision.GRANT:
        notifications.transfer_confirmed(transfer, message_to_applicant)
        if due:
            notifications.transfer_applied(transfer)
    elif decision == RequestDecision.REFUSE:
        notifications.transfer_refused(transfer, reason_label, message_to_applicant)
    else:
        notifications.transfer_sent_back(transfer, internal_note)
    return transfer


def _apply(transfer, *, now, actor=None, request=None) -> None:
    """Move the posts (dated events on both conventions) and, with the advisor, her contract, structure and places."""
    on = transfer.effective_on
    giving = conventions.convention_in_force(transfer.from_structure, on)
    receiving = conventions.convention_in_force(transfer.structure, on)
    if giving is None or receiving is None:
        raise ValidationError("Une des deux structures n'a plus de convention en cours à la date d'effet.")
    reference = f"TRANSFERT-{transfer.pk}"
    comment = f"{transfer.from_structure.name} → {transfer.structure.name}"
    conventions.convention_record(
        convention=giving,
        kind=ConventionEventKind.TRANSFER_OUT,
        delta=-transfer.posts,
        effective_on=on,
        actor=actor,
        reference=reference,
        comment=comment,
    )
    conventions.convention_record(
        convention=receiving,
        kind=ConventionEventKind.TRANSFER_IN,
        delta=transfer.posts,
        effective_on=on,
        actor=actor,
        reference=reference,
        comment=comment,
    )
    if transfer.advisor_id:
        _move_advisor(transfer, receiving=receiving)
    transfer.status = RequestStatus.GRANTED
    transfer.applied_at = now
    transfer.save(update_fields=["status", "applied_at", "updated_at"])
    DecisionLog(kind=Kind.TRANSFER, actor=actor, process=transfer.process, request=request).record(
        transfer, Verdict.APPLIED, reason=f"Transfert effectif au {on:%d/%m/%Y}"
    )


def _move_advisor(transfer, *, receiving) -> None:
    """The advisor's contract continues with the new employer (same terms), from the effective date."""
    advisor = Advisor.objects.select_for_update().get(pk=transfer.advisor_id)
    on = transfer.effective_on
    if advisor.status != AdvisorStatus.ACTIVE or advisor.structure_id != transfer.from_structure_id:
        transfer.advisor = advisor  # her contract ended (or she moved) meanwhile: only the posts move
        return
    old = conventions.active_contract(advisor)
    if old is not None:
        conventions.contract_close(
            contract=old, ended_on=max(on - timedelta(days=1), old.start), reason=ContractEndReason.TRANSFERRED
        )
        end = old.end if old.end is None or old.end > on else None
        conventions.contract_open(
            advisor=advisor,
            structure=transfer.structure,
            contract_type=old.contract_type,
            start=on,
            end=end,
            salary=old.salary,
            weekly_hours=old.weekly_hours,
            is_coordinator_post=old.is_coordinator_post,
            convention=receiving,
            follows=old,
        )
    PlaceAssignment.objects.filter(advisor=advisor, place__structure=transfer.from_structure_id).delete()
    advisor.structure_id = transfer.structure_id
    advisor.save(update_fields=["structure"])
    transfer.advisor = advisor


def transfers_due(now):
    """Confirmed transfers whose effective date has come and that are not applied yet."""
    return PostTransfer.objects.filter(status=RequestStatus.SCHEDULED, effective_on__lte=timezone.localdate(now))


def transfer_apply(*, transfer, now) -> bool:
    """Apply one confirmed transfer whose date has come; False when not due or already applied (a system action:
    the lock and the re-read make two runs apply it once)."""
    with transaction.atomic():
        transfer = (
            transfers_due(now)
            .select_for_update(of=("self",))
            .select_related("structure", "from_structure", "advisor")
            .filter(pk=transfer.pk)
            .first()
        )
        if transfer is None:
            return False
        _apply(transfer, now=now)
    notifications.transfer_applied(transfer)
    return True


@transaction.atomic
def transfer_cancel(*, transfer, user, comment: str, request=None) -> PostTransfer:
    """The national team withdraws a transfer not yet applied."""
    _check_national(user)
    if len((comment or "").strip()) < 10:
        raise ValidationError({"comment": "Expliquez pourquoi le transfert est annulé (10 caractères au moins)."})
    transfer = locked(PostTransfer, transfer.pk)
    if transfer.status not in OPEN_REQUEST_STATUSES:
        raise AlreadyProcessed("Ce transfert est déjà appliqué, refusé ou annulé.")
    cancel_process(transfer.process, TransferFlow)
    transfer.status = RequestStatus.CANCELLED
    transfer.save(update_fields=["status", "updated_at"])
    DecisionLog(kind=Kind.TRANSFER, actor=user, process=transfer.process, request=request).record(
        transfer, Verdict.CANCELLED, message_to_applicant=comment
    )
    notifications.transfer_cancelled(transfer, comment)
    return transfer
