"""Contract changes: the structure asks to prolong, renew or amend an advisor's contract, the hub (or the national
team) validates or refuses; a validated renewal takes effect the day after the current contract ends; a fixed-term
contract that reaches its term without a rupture, a change or a renewal ends on its end date (both dated jobs of
`apply_programme_dates`).

When a validated change takes effect: a prolongation or an amendment changes the contract in progress at once, on
validation (the change is a correction of the running contract's terms: the contract history keeps one row per
contract, the change itself keeps the before/after in its dossier); a renewal opens the next contract on its first
day, never before.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts import roles
from accounts.enums import Role
from directory import conventions
from directory import scopes as directory_scopes
from directory.enums import FIXED_TERM_CONTRACT_TYPES, AdvisorStatus, ContractEndReason, ContractStatus
from directory.models import Advisor, Contract
from workflows import notifications, scopes
from workflows.enums import (
    OPEN_REQUEST_STATUSES,
    ContractChangeType,
    ContractType,
    Kind,
    RecruitmentStatus,
    RequestDecision,
    RequestStatus,
    Step,
    Verdict,
)
from workflows.flows import ContractChangeFlow
from workflows.models import ContractChange, Recruitment, Rupture
from workflows.notifications.contract_changes import hours_text
from workflows.services.advisors import advisor_end
from workflows.services.common import (
    AlreadyProcessed,
    DecisionLog,
    cancel_process,
    locked,
    manager_structure,
    performing,
    require_reason,
    smic_error,
)

ALREADY_OPEN = "Une demande de modification est déjà en cours pour ce contrat."
MIN_HOURS, MAX_HOURS = Decimal(1), Decimal(35)


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _hours_error(hours) -> str:
    if hours is not None and not MIN_HOURS <= Decimal(hours) <= MAX_HOURS:
        return "La durée hebdomadaire doit être comprise entre 1 et 35 heures."
    return ""


def _prolongation(contract, *, new_end, **_) -> tuple[dict, dict]:
    if contract.contract_type not in FIXED_TERM_CONTRACT_TYPES:
        return {}, {"type": "Un CDI n'a pas de date de fin : il ne peut pas être prolongé."}
    if new_end is None:
        return {}, {"new_end": "Indiquez la nouvelle date de fin du contrat."}
    if contract.end is not None and new_end <= contract.end:
        return {}, {
            "new_end": f"La nouvelle date de fin doit suivre la fin actuelle du contrat ({_day(contract.end)})."
        }
    if new_end <= timezone.localdate():
        return {}, {"new_end": "La nouvelle date de fin doit être à venir."}
    return {"new_end": new_end}, {}


def _renewal(contract, *, new_contract_type, new_end, new_weekly_hours, new_salary, **_) -> tuple[dict, dict]:
    if contract.contract_type not in FIXED_TERM_CONTRACT_TYPES or contract.end is None:
        return {}, {"type": "Un CDI ne se renouvelle pas : il n'a pas de date de fin."}
    errors = {}
    new_start = contract.end + timedelta(days=1)
    if new_contract_type not in ContractType.values:
        errors["new_contract_type"] = "Choisissez le type du nouveau contrat."
    elif new_contract_type == ContractType.CDI and new_end is not None:
        errors["new_end"] = "Un CDI n'a pas de date de fin."
    elif new_contract_type != ContractType.CDI and new_end is None:
        errors["new_end"] = "Indiquez la date de fin du nouveau contrat (obligatoire sauf pour un CDI)."
    elif new_end is not None and new_end <= new_start:
        errors["new_end"] = f"La date de fin doit suivre le début du nouveau contrat ({_day(new_start)})."
    if smic_error(new_salary):
        errors["new_salary"] = smic_error(new_salary)
    if _hours_error(new_weekly_hours):
        errors["new_weekly_hours"] = _hours_error(new_weekly_hours)
    values = {
        "new_contract_type": new_contract_type,
        "new_start": new_start,
        "new_end": new_end,
        "new_weekly_hours": new_weekly_hours if new_weekly_hours is not None else contract.weekly_hours,
        "new_salary": new_salary,
    }
    return values, errors


def _amendment(contract, *, new_start, new_end, new_weekly_hours, new_salary, **_) -> tuple[dict, dict]:
    errors, values = {}, {}
    if new_start is not None and new_start != contract.start:
        values["new_start"] = new_start
    if new_end is not None and new_end != contract.end:
        if contract.contract_type == ContractType.CDI:
            errors["new_end"] = "Un CDI n'a pas de date de fin."
        elif new_end < timezone.localdate():
            errors["new_end"] = (
                "La nouvelle date de fin ne peut pas être passée : pour arrêter le contrat, notifiez une fin de "
                "contrat."
            )
        values["new_end"] = new_end
    previous = contract.follows
    if "new_start" in values and previous is not None and previous.ended_on and new_start <= previous.ended_on:
        errors["new_start"] = f"Le contrat précédent s'est terminé le {_day(previous.ended_on)} : commencez après."
    start, end = values.get("new_start", contract.start), values.get("new_end", contract.end)
    if end is not None and end <= start and "new_end" not in errors:
        errors["new_start" if "new_start" in values else "new_end"] = "La date de fin doit suivre la date de début."
    if new_weekly_hours is not None and new_weekly_hours != contract.weekly_hours:
        values["new_weekly_hours"] = new_weekly_hours
        if _hours_error(new_weekly_hours):
            errors["new_weekly_hours"] = _hours_error(new_weekly_hours)
    if new_salary is not None and new_salary != contract.salary:
        values["new_salary"] = new_salary
        if smic_error(new_salary):
            errors["new_salary"] = smic_error(new_salary)
    if not values and not errors:
        errors["type"] = "Indiquez au moins une modification : dates, durée hebdomadaire ou salaire."
    return values, errors


CHECKS = {
    ContractChangeType.PROLONGATION: _prolongation,
    ContractChangeType.RENEWAL: _renewal,
    ContractChangeType.AMENDMENT: _amendment,
}


@transaction.atomic
def contract_change_request(
    *,
    advisor,
    user,
    type: str,
    motivation: str,
    new_contract_type: str = "",
    new_start: date | None = None,
    new_end: date | None = None,
    new_weekly_hours=None,
    new_salary: int | None = None,
    request=None,
) -> ContractChange:
    """The structure asks to prolong, renew or amend the contract in progress of one of its advisors: the hub
    validates (one open change per contract)."""
    structure = manager_structure(user)
    if not user.has_perm("workflows.manage_recruitment"):
        raise PermissionDenied("Votre rôle ne permet pas de modifier un contrat.")
    if not directory_scopes.visible_advisors(user).filter(pk=advisor.pk, structure=structure).exists():
        raise PermissionDenied("Ce conseiller n'est pas dans votre structure.")
    advisor = Advisor.objects.select_for_update().get(pk=advisor.pk)
    if advisor.status != AdvisorStatus.ACTIVE:
        raise ValidationError("Ce conseiller n'est plus en poste.")
    contract = conventions.active_contract(advisor)
    if contract is None or contract.structure_id != structure.pk:
        raise ValidationError("Ce conseiller n'a pas de contrat en cours avec votre structure.")
    if Rupture.objects.open().filter(advisor=advisor).exists():
        raise ValidationError(
            "Une fin de contrat est en cours pour ce conseiller : son contrat ne peut pas être modifié."
        )
    if ContractChange.objects.filter(contract=contract, status__in=OPEN_REQUEST_STATUSES).exists():
        raise ValidationError(ALREADY_OPEN)
    if type not in CHECKS:
        raise ValidationError({"type": "Choisissez la nature de la demande."})
    values, errors = CHECKS[type](
        contract,
        new_contract_type=new_contract_type,
        new_start=new_start,
        new_end=new_end,
        new_weekly_hours=new_weekly_hours,
        new_salary=new_salary,
    )
    if not 10 <= len((motivation or "").strip()) <= 1000:
        errors["motivation"] = "Le motif doit faire entre 10 et 1 000 caractères."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            change = ContractChange.objects.create(
                structure=structure,
                contract=contract,
                advisor=advisor,
                type=type,
                motivation=motivation.strip(),
                status=RequestStatus.DECISION,
                requested_by=user,
                **values,
            )
    except IntegrityError:
        raise ValidationError(ALREADY_OPEN) from None
    process = ContractChangeFlow.start.run(subject=change)
    ContractChange.objects.filter(pk=change.pk).update(process=process)
    change.process = process
    DecisionLog(kind=Kind.CONTRACT_CHANGE, actor=user, process=process, request=request).record(
        change, Verdict.SUBMITTED, reason=change.get_type_display()
    )
    notifications.contract_change_requested(change)
    return change


def contract_change_decide(
    *,
    work_item,
    user,
    decision: str,
    reason: str = "",
    message_to_applicant: str = "",
    internal_note: str = "",
    request=None,
) -> ContractChange:
    """The hub (or the national team) validates or refuses a contract change; a prolongation or an amendment applies
    at once, a renewal on the first day of the new contract (at once when that day has come)."""
    if decision not in (RequestDecision.GRANT, RequestDecision.REFUSE):
        raise ValidationError({"decision": "Choisissez une décision."})
    reason_label = require_reason(reason, message_to_applicant) if decision == RequestDecision.REFUSE else ""
    now = timezone.now()
    with performing(work_item, user, Step.CONTRACT_CHANGE_VALIDATION, request=request) as log:
        change = (
            ContractChange.objects.select_for_update()
            .select_related("advisor", "structure")
            .get(pk=work_item.subject_id)
        )
        if change.status != RequestStatus.DECISION:
            raise AlreadyProcessed
        change.decided_at = now
        log.process.decision = decision
        log.process.save()
        if decision == RequestDecision.REFUSE:
            change.status = RequestStatus.REFUSED
            change.save(update_fields=["status", "decided_at", "updated_at"])
            log.record(
                change,
                Verdict.REFUSED,
                reason=reason_label,
                internal_note=internal_note,
                message_to_applicant=message_to_applicant,
            )
        else:
            contract = locked(Contract, change.contract_id)
            if contract.status != ContractStatus.ACTIVE:
                raise ValidationError("Le contrat n'est plus en cours : la demande ne peut plus être validée.")
            if change.type == ContractChangeType.RENEWAL:
                change.status = RequestStatus.SCHEDULED
                verdict_reason = f"Nouveau contrat à partir du {_day(change.new_start)}"
            else:
                _change_contract(change, contract)
                change.status = RequestStatus.GRANTED
                verdict_reason = _summary(change)
            change.save(update_fields=["status", "decided_at", "updated_at"])
            log.record(
                change,
                Verdict.VALIDATED,
                reason=verdict_reason,
                internal_note=internal_note,
                message_to_applicant=message_to_applicant,
            )
            if change.type == ContractChangeType.RENEWAL and change.new_start <= timezone.localdate(now):
                _apply_renewal(change, now=now, actor=user, request=request)
    if decision == RequestDecision.REFUSE:
        notifications.contract_change_refused(change, reason_label, message_to_applicant)
    elif change.status != RequestStatus.CANCELLED:
        notifications.contract_change_validated(change, message_to_applicant)
        notifications.advisor_contract_changed(change)
    return change


def _summary(change) -> str:
    """What a validated change sets, in words (decision log, e-mails)."""
    parts = []
    if change.new_contract_type:
        parts.append(change.get_new_contract_type_display())
    if change.new_start:
        parts.append(f"début le {_day(change.new_start)}")
    if change.new_end:
        parts.append(f"fin le {_day(change.new_end)}")
    if change.new_weekly_hours is not None:
        parts.append(f"{hours_text(change.new_weekly_hours)} h par semaine")
    if change.new_salary is not None:
        parts.append(f"{change.new_salary} € brut mensuel")
    return ", ".join(parts)


def _sync_recruitment_end(advisor_id, end) -> None:
    """The recruitment keeps the end of the contract in progress (exports, pages that read it)."""
    Recruitment.objects.filter(advisor_id=advisor_id, status=RecruitmentStatus.ACTIVE).filter(
        Q(contract_start__isnull=True) | Q(contract_start__lt=end)
    ).exclude(contract_type=ContractType.CDI).update(contract_end=end, updated_at=timezone.now())


def _change_contract(change, contract) -> None:
    """Apply a prolongation or an amendment to the contract in progress."""
    fields = {"new_start": "start", "new_end": "end", "new_weekly_hours": "weekly_hours", "new_salary": "salary"}
    changed = []
    for source, target in fields.items():
        value = getattr(change, source)
        if value is not None:
            setattr(contract, target, value)
            changed.append(target)
    contract.save(update_fields=[*changed, "updated_at"])
    if change.new_end is not None:
        _sync_recruitment_end(contract.advisor_id, change.new_end)


def _apply_renewal(change, *, now, actor=None, request=None) -> bool:
    """Close the current contract (renewed) and open the next one; False (and the change cancelled) when the
    contract ended meanwhile or an end of contract is in progress."""
    old = locked(Contract, change.contract_id)
    log = DecisionLog(kind=Kind.CONTRACT_CHANGE, actor=actor, process=change.process, request=request)
    if old.status != ContractStatus.ACTIVE or Rupture.objects.open().filter(advisor_id=change.advisor_id).exists():
        change.status = RequestStatus.CANCELLED
        change.save(update_fields=["status", "updated_at"])
        log.record(
            change, Verdict.CANCELLED, reason="Contrat terminé ou fin de contrat en cours : pas de renouvellement"
        )
        return False
    conventions.contract_close(contract=old, ended_on=old.end, reason=ContractEndReason.RENEWED)
    new = conventions.contract_open(
        advisor=change.advisor,
        structure=old.structure,
        contract_type=change.new_contract_type,
        start=change.new_start,
        end=change.new_end,
        salary=change.new_salary,
        weekly_hours=change.new_weekly_hours if change.new_weekly_hours is not None else old.weekly_hours,
        is_coordinator_post=old.is_coordinator_post,
        follows=old,
    )
    change.new_contract = new
    change.status = RequestStatus.GRANTED
    change.save(update_fields=["new_contract", "status", "updated_at"])
    if change.new_end is not None:
        _sync_recruitment_end(change.advisor_id, change.new_end)
    log.record(change, Verdict.APPLIED, reason=f"Nouveau contrat du {_day(new.start)} : {_summary(change)}")
    return True


@transaction.atomic
def contract_change_cancel(*, change, user, comment: str, request=None) -> ContractChange:
    """The structure (or the national team) withdraws a change not decided yet, or a renewal not started yet."""
    if not scopes.visible_contract_changes(user).filter(pk=change.pk).exists():
        raise PermissionDenied("Cette demande est hors de votre périmètre.")
    if roles.active_role(user) not in (Role.STRUCTURE_MANAGER, Role.NATIONAL):
        raise PermissionDenied("Seule la structure ou l'équipe nationale peut annuler cette demande.")
    if len((comment or "").strip()) < 10:
        raise ValidationError({"comment": "Expliquez pourquoi la demande est annulée (10 caractères au moins)."})
    change = locked(ContractChange, change.pk)
    if change.status not in (RequestStatus.DECISION, RequestStatus.SCHEDULED):
        raise AlreadyProcessed("Cette demande est déjà traitée ou annulée.")
    was_scheduled = change.status == RequestStatus.SCHEDULED
    cancel_process(change.process, ContractChangeFlow)
    change.status = RequestStatus.CANCELLED
    change.save(update_fields=["status", "updated_at"])
    DecisionLog(kind=Kind.CONTRACT_CHANGE, actor=user, process=change.process, request=request).record(
        change, Verdict.CANCELLED, message_to_applicant=comment
    )
    notifications.contract_change_cancelled(change, comment, tell_advisor=was_scheduled)
    return change


def contract_changes_due(now):
    """Validated renewals whose new contract starts on or before the Paris date of `now`, not applied yet."""
    return ContractChange.objects.filter(
        type=ContractChangeType.RENEWAL, status=RequestStatus.SCHEDULED, new_start__lte=timezone.localdate(now)
    ).order_by("new_start", "pk")


def contract_change_apply(*, change, now) -> bool:
    """Apply one validated renewal whose date has come (a system action of the daily command); False when it is not
    due, already applied, or cancelled because the contract ended meanwhile. Locks and re-reads: applied once."""
    with transaction.atomic():
        change = contract_changes_due(now).select_for_update().filter(pk=change.pk).first()
        if change is None:
            return False
        applied = _apply_renewal(change, now=now)
    if applied:
        notifications.advisor_contract_changed(change)
    return applied


def _at_term(today: date):
    open_changes = ContractChange.objects.filter(contract=OuterRef("pk"), status__in=OPEN_REQUEST_STATUSES)
    open_ruptures = Rupture.objects.open().filter(advisor=OuterRef("advisor"))
    return Contract.objects.due_at_term(today).exclude(Exists(open_changes)).exclude(Exists(open_ruptures))


def contracts_due_at_term(now):
    """Fixed-term contracts whose end date has passed (Paris date of `now`), with no change (renewal included) nor
    end of contract in progress: they end at their term."""
    return _at_term(timezone.localdate(now)).select_related("advisor", "structure").order_by("end", "pk")


def contract_end_at_term(*, contract, now) -> bool:
    """End one advisor whose fixed-term contract has reached its term (a system action of the daily command); False
    when it is no longer due. Locks and re-reads: applied once."""
    with transaction.atomic():
        contract = _at_term(timezone.localdate(now)).select_for_update().filter(pk=contract.pk).first()
        if contract is None:
            return False
        advisor_end(advisor=contract.advisor, ended_on=contract.end, reason=ContractEndReason.TERM)
        contract.refresh_from_db()
    notifications.contract_ended_at_term(contract)
    return True
