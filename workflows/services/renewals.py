"""Reconventionnement: before its convention ends, the structure asks for the next period (posts wanted, advisors
who continue); the prefecture gives its opinion; the national team grants, refuses or sends back.

The dated effects (workflows/dated.py) apply what is due, never before its date (Paris time): the reminder before
the end (`CONVENTION_RENEWAL_NOTICE_DAYS`), the start of the new convention (the continuing contracts are linked to
it on that day), the end of the contracts that do not continue and of the conventions not renewed (the day after
the convention's end date, each ending dated on that end date).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import roles
from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from accounts.services import audit_record
from directory import conventions
from directory.enums import ContractEndReason, ConventionEventKind, ConventionStatus
from directory.models import Contract, Convention
from workflows import notifications, scopes
from workflows.enums import Kind, RequestDecision, RequestStatus, Step, Verdict
from workflows.flows import RenewalFlow
from workflows.models import RenewalRequest
from workflows.services.advisors import advisor_end
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

OPEN_RENEWAL_STATUSES = [RequestStatus.PREFECTURE_REVIEW, RequestStatus.DECISION]
NOTICE_EFFECT = "rappel_reconventionnement"  # the audit line that says a convention's reminder was sent
ENDED_EFFECT = "fin_convention"
MOTIVATION_MIN, MOTIVATION_MAX = 10, 2500


def _today(now=None):
    return timezone.localdate(now or timezone.now())


# --- The structure's request ---------------------------------------------------------------------------------------


def renewable_convention(structure, *, today=None) -> Convention | None:
    """The convention the structure may ask to renew today: in force, neither renewed nor already asked."""
    today = today or _today()
    return (
        Convention.objects.filter(structure=structure, status=ConventionStatus.ACTIVE, renewal__isnull=True)
        .in_force(today)
        .filter(renewal_request__isnull=True)
        .order_by("-start")
        .first()
    )


def renewal_contracts(convention):
    """The contracts the structure may keep in the next convention: those in progress under this one."""
    return (
        Contract.objects.active()
        .filter(convention=convention)
        .select_related("advisor")
        .order_by("advisor__last_name")
    )


@transaction.atomic
def renewal_submit(*, user, posts_requested, continuing_contracts=(), motivation: str, request=None) -> RenewalRequest:
    """The structure manager asks to renew the convention in force (before its end, once per convention)."""
    structure = manager_structure(user)
    convention = renewable_convention(structure)
    if convention is None:
        raise ValidationError(
            "Votre structure n'a pas de convention en cours à renouveler, ou son reconventionnement est déjà demandé."
        )
    convention = locked(Convention, convention.pk)
    errors = {}
    if not isinstance(posts_requested, int) or posts_requested < 1:
        errors["posts_requested"] = "Demandez au moins un poste."
    wanted = {getattr(contract, "pk", contract) for contract in continuing_contracts}
    kept = list(renewal_contracts(convention).filter(pk__in=wanted))
    if len(kept) != len(wanted):
        errors["continuing_contracts"] = "Choisissez parmi les contrats en cours de votre convention."
    elif "posts_requested" not in errors and len(kept) > posts_requested:
        errors["continuing_contracts"] = (
            f"Vous avez coché {len(kept)} conseillers pour {posts_requested} poste(s) demandé(s) : demandez au moins "
            f"{len(kept)} postes ou décochez des conseillers."
        )
    motivation = (motivation or "").strip()
    if not MOTIVATION_MIN <= len(motivation) <= MOTIVATION_MAX:
        errors["motivation"] = "La motivation doit faire entre 10 et 2 500 caractères."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            renewal = RenewalRequest.objects.create(
                structure=structure,
                convention=convention,
                posts_requested=posts_requested,
                motivation=motivation,
                requested_by=user,
            )
    except IntegrityError:
        raise ValidationError("Le reconventionnement de cette convention est déjà demandé.") from None
    renewal.continuing_contracts.set(kept)
    process = RenewalFlow.start.run(subject=renewal)
    RenewalRequest.objects.filter(pk=renewal.pk).update(process=process)
    renewal.process = process
    conventions.convention_mark(convention=convention, status=ConventionStatus.RENEWAL_REQUESTED)
    DecisionLog(kind=Kind.RENEWAL, actor=user, process=process, request=request).record(
        renewal,
        Verdict.SUBMITTED,
        reason=f"{posts_requested} poste(s) demandé(s), {len(kept)} conseiller(s) poursuivi(s)",
    )
    notifications.renewal_submitted(renewal)
    return renewal


@transaction.atomic
def renewal_cancel(*, renewal, user, comment: str, request=None) -> RenewalRequest:
    """The structure (or the national team) withdraws a request not yet decided: the convention will end."""
    if not scopes.visible_renewals(user).filter(pk=renewal.pk).exists():
        raise PermissionDenied("Ce reconventionnement est hors de votre périmètre.")
    if roles.active_role(user) not in (Role.STRUCTURE_MANAGER, Role.NATIONAL):
        raise PermissionDenied("Seule la structure ou l'équipe nationale peut annuler cette demande.")
    if len((comment or "").strip()) < 10:
        raise ValidationError({"comment": "Expliquez pourquoi la demande est annulée (10 caractères au moins)."})
    renewal = locked(RenewalRequest, renewal.pk)
    if renewal.status not in OPEN_RENEWAL_STATUSES:
        raise AlreadyProcessed("Ce reconventionnement est déjà décidé ou annulé.")
    cancel_process(renewal.process, RenewalFlow)
    renewal.status = RequestStatus.CANCELLED
    renewal.decided_at = timezone.now()
    renewal.save(update_fields=["status", "decided_at", "updated_at"])
    conventions.convention_mark(convention=renewal.convention, status=ConventionStatus.ACTIVE)
    DecisionLog(kind=Kind.RENEWAL, actor=user, process=renewal.process, request=request).record(
        renewal, Verdict.CANCELLED, message_to_applicant=comment
    )
    notifications.renewal_cancelled(renewal, comment)
    return renewal


# --- The decisions --------------------------------------------------------------------------------------------------


def renewal_prefecture_review(
    *, work_item, user, opinion: str, internal_note: str, message_to_applicant: str = "", request=None
) -> RenewalRequest:
    """The prefecture's opinion (an internal note for the national team); the request goes to the national team."""
    validate_opinion(opinion, internal_note)
    with performing(work_item, user, Step.RENEWAL_PREFECTURE, request=request) as log:
        renewal = locked(RenewalRequest, work_item.subject_id)
        request_opinion_record(
            log, renewal, opinion=opinion, internal_note=internal_note, message_to_applicant=message_to_applicant
        )
    notifications.renewal_reviewed(renewal, message_to_applicant)
    return renewal


def renewal_decide(
    *,
    work_item,
    user,
    decision: str,
    posts_granted=None,
    reason: str = "",
    internal_note: str = "",
    message_to_applicant: str = "",
    request=None,
) -> RenewalRequest:
    """The national decision: grant N posts (1..asked, at least the continuing advisors; the new convention starts
    the day after the old one ends), refuse (the convention ends at its date), or send back to the prefecture."""
    reason_label = request_decision_check(
        decision, reason=reason, message_to_applicant=message_to_applicant, internal_note=internal_note
    )
    now = timezone.now()
    with performing(work_item, user, Step.RENEWAL_DECISION, request=request) as log:
        renewal = RenewalRequest.objects.select_for_update().select_related("structure").get(pk=work_item.subject_id)
        old = locked(Convention, renewal.convention_id)
        verdict = {
            RequestDecision.GRANT: Verdict.GRANTED,
            RequestDecision.REFUSE: Verdict.REFUSED,
            RequestDecision.SEND_BACK: Verdict.SENT_BACK,
        }[decision]
        if decision == RequestDecision.GRANT:
            continuing = renewal.continuing_contracts.active().count()
            low = max(1, continuing)
            if not isinstance(posts_granted, int) or not low <= posts_granted <= renewal.posts_requested:
                raise ValidationError(
                    {
                        "posts_granted": f"Accordez entre {low} et {renewal.posts_requested} poste(s) : au plus le "
                        f"nombre demandé, au moins le nombre de conseillers qui poursuivent ({continuing})."
                    }
                )
            new = conventions.convention_open(
                structure=renewal.structure,
                start=old.end + timedelta(days=1),
                posts=posts_granted,
                previous=old,
                actor=user,
                reference=f"Reconventionnement n° {renewal.pk}",
            )
            conventions.convention_mark(convention=old, status=ConventionStatus.RENEWED)
            renewal.new_convention = new
            renewal.posts_granted = posts_granted
            renewal.status = RequestStatus.SCHEDULED
            renewal.decided_at = now
            reason_label = f"{posts_granted} poste(s), du {new.start:%d/%m/%Y} au {new.end:%d/%m/%Y}"
        elif decision == RequestDecision.REFUSE:
            renewal.status = RequestStatus.REFUSED
            renewal.decided_at = now
            conventions.convention_mark(convention=old, status=ConventionStatus.ACTIVE)
        else:
            renewal.status = RequestStatus.PREFECTURE_REVIEW
            renewal.prefecture_opinion = ""
        renewal.save()
        log.process.decision = decision
        log.process.save()
        log.record(
            renewal,
            verdict,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
        )
    if decision == RequestDecision.GRANT:
        notifications.renewal_granted(renewal, message_to_applicant)
        if renewal.convention.end >= timezone.localdate(now):
            for contract in renewal_leaving_contracts(renewal):
                notifications.advisor_renewal_not_continuing(renewal, contract)
        # Decided after the dates (a late decision): what is already due is applied at once.
        renewal_start_apply(renewal, now=now)
        renewal_leavers_apply(renewal, now=now)
    elif decision == RequestDecision.REFUSE:
        notifications.renewal_refused(renewal, reason_label, message_to_applicant)
        convention_end_apply(renewal.convention, now=now)
    else:
        notifications.renewal_sent_back(renewal, internal_note)
    return renewal


def renewal_leaving_contracts(renewal):
    """The contracts in progress under the renewed convention that do not continue in the new one."""
    continuing = renewal.continuing_contracts.values("pk")
    return renewal_contracts(renewal.convention_id).exclude(pk__in=continuing)


# --- The dated effects (workflows/dated.py) -------------------------------------------------------------------------


def _noticed_convention_ids(convention_ids) -> set[int]:
    events = AuditEvent.objects.filter(
        action=AuditAction.PROGRAMME_DATES_APPLIED,
        target_type=Convention._meta.label_lower,
        target_id__in=[str(pk) for pk in convention_ids],
        details__effect=NOTICE_EFFECT,
    )
    return {int(pk) for pk in events.values_list("target_id", flat=True)}


def _notice_candidates(today):
    return (
        Convention.objects.in_force(today)
        .filter(
            end__lte=today + timedelta(days=settings.CONVENTION_RENEWAL_NOTICE_DAYS),
            status=ConventionStatus.ACTIVE,
            renewal__isnull=True,
            renewal_request__isnull=True,
        )
        .select_related("structure")
        .order_by("end", "pk")
    )


def renewal_notices_due(now) -> list[Convention]:
    """Conventions in force ending within the notice, with no renewal request, whose structure was not reminded."""
    candidates = list(_notice_candidates(_today(now)))
    noticed = _noticed_convention_ids([c.pk for c in candidates])
    return [convention for convention in candidates if convention.pk not in noticed]


def renewal_notice_apply(convention, *, now) -> bool:
    """E-mail the structure once: its convention ends, what happens without renewal, the link to the form."""
    with transaction.atomic():
        convention = _notice_candidates(_today(now)).select_for_update(of=("self",)).filter(pk=convention.pk).first()
        if convention is None or _noticed_convention_ids([convention.pk]):
            return False
        recipients = notifications.renewal_notice(convention)
        audit_record(
            actor=None,
            action=AuditAction.PROGRAMME_DATES_APPLIED,
            target=convention,
            details={"effect": NOTICE_EFFECT, "end": convention.end.isoformat(), "recipients": len(recipients)},
        )
    return True


def _starts_due(today):
    return RenewalRequest.objects.filter(status=RequestStatus.SCHEDULED, new_convention__start__lte=today)


def renewal_starts_due(now):
    """Granted renewals whose new convention starts today or earlier and is not applied yet."""
    return _starts_due(_today(now)).select_related("structure", "new_convention").order_by("pk")


def renewal_start_apply(renewal, *, now) -> bool:
    """On the new convention's start: the continuing contracts are linked to it, the request is granted."""
    with transaction.atomic():
        renewal = _starts_due(_today(now)).select_for_update(of=("self",)).filter(pk=renewal.pk).first()
        if renewal is None:
            return False
        new = renewal.new_convention
        relinked = (
            Contract.objects.active()
            .filter(pk__in=renewal.continuing_contracts.values("pk"), convention=renewal.convention_id)
            .update(convention=new, updated_at=timezone.now())
        )
        renewal.status = RequestStatus.GRANTED
        renewal.save(update_fields=["status", "updated_at"])
        conventions.structure_posts_sync(structure_id=renewal.structure_id, today=_today(now))
        DecisionLog(kind=Kind.RENEWAL, process=renewal.process).record(
            renewal,
            Verdict.APPLIED,
            reason=f"Convention {new.number} en vigueur le {new.start:%d/%m/%Y}, {relinked} contrat(s) rattaché(s)",
        )
        notifications.renewal_started(renewal)
    return True


def _leavers_due(today):
    leaving = Contract.objects.active().filter(convention=OuterRef("convention"))
    return RenewalRequest.objects.filter(
        status=RequestStatus.GRANTED, convention__end__lt=today, convention__status=ConventionStatus.RENEWED
    ).filter(Exists(leaving))


def renewal_leavers_due(now):
    """Renewals in force whose old convention has ended and still holds contracts that do not continue."""
    return _leavers_due(_today(now)).select_related("structure", "convention").order_by("pk")


def renewal_leavers_apply(renewal, *, now) -> bool:
    """The contracts that do not continue end on the old convention's end date (its advisors' posts end)."""
    with transaction.atomic():
        renewal = (
            _leavers_due(_today(now))
            .select_for_update(of=("self",))
            .select_related("convention", "structure")
            .filter(pk=renewal.pk)
            .first()
        )
        if renewal is None:
            return False
        old = renewal.convention
        ended = _end_contracts(renewal_leaving_contracts(renewal), old)
        if not ended:
            return False
        DecisionLog(kind=Kind.RENEWAL, process=renewal.process).record(
            renewal,
            Verdict.ENDED,
            reason=f"{len(ended)} contrat(s) non poursuivi(s) terminé(s) le {old.end:%d/%m/%Y}",
        )
        notifications.renewal_leavers_ended(renewal, ended)
    return True


def _ended_due(today):
    return Convention.objects.filter(status=ConventionStatus.ACTIVE, end__lt=today, renewal__isnull=True)


def conventions_ended_due(now):
    """Conventions not renewed (no request, refused or cancelled) whose end date has passed."""
    return _ended_due(_today(now)).select_related("structure").order_by("end", "pk")


def convention_end_apply(convention, *, now) -> bool:
    """A convention not renewed ends: status ENDED, each contract still in progress under it ends on its end date
    (`advisor_end`, reason CONVENTION_ENDED); the structure and each advisor are told."""
    with transaction.atomic():
        convention = (
            _ended_due(_today(now))
            .select_for_update(of=("self",))
            .select_related("structure")
            .filter(pk=convention.pk)
            .first()
        )
        if convention is None:
            return False
        ended = _end_contracts(renewal_contracts(convention), convention)
        conventions.convention_mark(convention=convention, status=ConventionStatus.ENDED)
        conventions.convention_record(
            convention=convention,
            kind=ConventionEventKind.ENDED,
            delta=0,
            effective_on=convention.end,
            comment="Convention non renouvelée : fin des postes et des contrats",
        )
        audit_record(
            actor=None,
            action=AuditAction.PROGRAMME_DATES_APPLIED,
            target=convention,
            details={"effect": ENDED_EFFECT, "end": convention.end.isoformat(), "contracts": len(ended)},
        )
        notifications.convention_ended(convention, ended)
    return True


def _end_contracts(contracts, convention) -> list[Contract]:
    """End each advisor of these contracts on the convention's end date; returns the contracts ended."""
    ended = []
    for contract in list(contracts.select_for_update(of=("self",))):
        advisor_end(advisor=contract.advisor, ended_on=convention.end, reason=ContractEndReason.CONVENTION_ENDED)
        ended.append(contract)
    return ended
