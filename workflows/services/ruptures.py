"""The ends of contract: notification by the structure, validation (or documents requested), application on
their date, cancellation."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import roles
from accounts.enums import Role
from directory import conventions
from directory import scopes as directory_scopes
from directory.enums import AdvisorStatus, ContractEndReason
from directory.models import Advisor
from workflows import notifications, scopes
from workflows.attachments import check_files
from workflows.enums import (
    OPEN_RUPTURE_STATUSES,
    AttachmentAudience,
    Kind,
    RuptureDecision,
    RuptureMotive,
    RuptureStatus,
    Step,
    Verdict,
)
from workflows.flows import RuptureFlow
from workflows.models import Recruitment, Rupture
from workflows.selectors import contract_endings_due
from workflows.services.advisors import advisor_end
from workflows.services.attachments import attachment_store
from workflows.services.common import (
    AlreadyProcessed,
    DecisionLog,
    cancel_process,
    locked,
    manager_structure,
    performing,
)


@transaction.atomic
def rupture_notify(*, advisor, user, end_date: date, motive: str, comment: str = "", request=None) -> Rupture:
    """The structure notifies an end of contract (date ≤ contract end, motive): validation by the hub or ANCT."""
    structure = manager_structure(user)
    if not directory_scopes.visible_advisors(user).filter(pk=advisor.pk, structure=structure).exists():
        raise PermissionDenied("Ce conseiller n'est pas dans votre structure.")
    advisor = Advisor.objects.select_for_update().get(pk=advisor.pk)
    if advisor.status != AdvisorStatus.ACTIVE:
        raise ValidationError("Ce conseiller n'est plus en poste.")
    recruitment = Recruitment.objects.filter(advisor=advisor).first()
    errors = {}
    if end_date is None:
        errors["end_date"] = "Indiquez la date de fin de contrat."
    else:
        # The contract in progress says where it ends (it may have been prolonged or renewed since recruitment).
        contract = conventions.active_contract(advisor)
        contract_end = contract.end if contract else (recruitment.contract_end if recruitment else None)
        if contract_end and end_date > contract_end:
            errors["end_date"] = "La date de rupture ne peut pas dépasser la fin du contrat."
        if advisor.started_at and end_date < advisor.started_at:
            errors["end_date"] = "La date de rupture ne peut pas précéder la prise de poste."
    if motive not in RuptureMotive.values:
        errors["motive"] = "Choisissez un motif."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            rupture = Rupture.objects.create(
                advisor=advisor,
                structure=structure,
                recruitment=recruitment,
                end_date=end_date,
                motive=motive,
                comment=comment,
                notified_by=user,
            )
    except IntegrityError:
        raise ValidationError("Une fin de contrat est déjà en cours pour ce conseiller.") from None
    process = RuptureFlow.start.run(subject=rupture)
    Rupture.objects.filter(pk=rupture.pk).update(process=process)
    rupture.process = process
    DecisionLog(kind=Kind.RUPTURE, actor=user, process=process, request=request).record(
        rupture, Verdict.NOTIFIED, reason=rupture.get_motive_display(), message_to_applicant=comment
    )
    notifications.rupture_notified(rupture)
    notifications.advisor_contract_ending_notified(rupture)
    return rupture


def rupture_decide(*, work_item, user, decision: str, comment: str = "", request=None) -> Rupture:
    """Validate the end of contract or ask for missing documents.

    A validated rupture takes effect on its date: at once when the date is today or past, otherwise it stays
    scheduled (the advisor keeps her role, her Coop and her post) until `apply_contract_endings` applies it.
    """
    if decision not in RuptureDecision.values:
        raise ValidationError({"decision": "Choisissez une décision."})
    if decision == RuptureDecision.REQUEST_DOCUMENTS and len(comment.strip()) < 10:
        raise ValidationError({"comment": "Listez les pièces demandées (10 caractères au moins)."})
    now = timezone.now()
    with performing(work_item, user, Step.RUPTURE_VALIDATION, request=request) as log:
        rupture = (
            Rupture.objects.select_for_update().select_related("advisor", "structure").get(pk=work_item.subject_id)
        )
        if decision == RuptureDecision.VALIDATE:
            rupture.status = RuptureStatus.SCHEDULED
            rupture.validated_at = now
            verdict = Verdict.VALIDATED
        else:
            rupture.status = RuptureStatus.INCOMPLETE
            rupture.documents_request = comment
            verdict = Verdict.DOCUMENTS_REQUESTED
        rupture.save()
        log.process.decision = decision
        log.process.save()
        log.record(
            rupture,
            verdict,
            reason=f"Effective le {rupture.end_date:%d/%m/%Y}" if verdict == Verdict.VALIDATED else "",
            message_to_applicant=comment,
        )
        due = decision == RuptureDecision.VALIDATE and rupture.end_date <= timezone.localdate(now)
        if due:
            _apply(rupture, now=now, actor=user, request=request)
    if decision == RuptureDecision.VALIDATE:
        notifications.rupture_validated(rupture)
        if due:
            notifications.advisor_contract_ended(rupture)
        else:
            notifications.advisor_contract_ending_scheduled(rupture)
    else:
        notifications.rupture_documents_requested(rupture)
    return rupture


def _apply(rupture, *, now, actor=None, request=None) -> None:
    """End the advisor (contract closed, places detached, post freed, roles revoked) and close the rupture."""
    advisor = advisor_end(
        advisor=rupture.advisor,
        ended_on=rupture.end_date,
        reason=ContractEndReason.RUPTURE,
        actor=actor,
        request=request,
    )
    rupture.advisor = advisor
    rupture.status = RuptureStatus.VALIDATED
    rupture.applied_at = now
    rupture.save(update_fields=["status", "applied_at"])
    DecisionLog(kind=Kind.RUPTURE, actor=actor, process=rupture.process, request=request).record(
        rupture, Verdict.ENDED, reason=f"Fin de contrat au {rupture.end_date:%d/%m/%Y}"
    )


def rupture_apply(*, rupture, now) -> bool:
    """Apply one validated end of contract whose date has come; False when it is not due (or already applied).

    A system action (the scheduled command): no user, so no permission to check; the lock and the re-read make
    two concurrent runs apply it once.
    """
    with transaction.atomic():
        rupture = contract_endings_due(now).select_for_update().filter(pk=rupture.pk).first()
        if rupture is None:
            return False
        _apply(rupture, now=now)
    notifications.advisor_contract_ended(rupture)
    return True


@transaction.atomic
def rupture_cancel(*, rupture, user, comment: str, request=None) -> Rupture:
    """The structure (or the national team) withdraws an end of contract not yet applied: the advisor stays."""
    if not scopes.visible_ruptures(user).filter(pk=rupture.pk).exists():
        raise PermissionDenied("Cette fin de contrat est hors de votre périmètre.")
    if roles.active_role(user) not in (Role.STRUCTURE_MANAGER, Role.NATIONAL):
        raise PermissionDenied("Seule la structure ou l'équipe nationale peut annuler cette fin de contrat.")
    if len(comment.strip()) < 10:
        raise ValidationError(
            {"comment": "Expliquez pourquoi la fin de contrat est annulée (10 caractères au moins)."}
        )
    rupture = locked(Rupture, rupture.pk)
    if rupture.status not in OPEN_RUPTURE_STATUSES:
        raise AlreadyProcessed("Cette fin de contrat est déjà appliquée ou annulée.")
    cancel_process(rupture.process, RuptureFlow)
    rupture.status = RuptureStatus.CANCELLED
    rupture.save(update_fields=["status"])
    DecisionLog(kind=Kind.RUPTURE, actor=user, process=rupture.process, request=request).record(
        rupture, Verdict.CANCELLED, message_to_applicant=comment
    )
    notifications.advisor_contract_ending_cancelled(rupture, comment)
    return rupture


def rupture_provide_documents(*, work_item, user, answer: str, files=(), request=None) -> Rupture:
    """The structure answers the request for documents (text and files, read by the structure and the agents); the
    end of contract goes back to validation."""
    if len(answer.strip()) < 10:
        raise ValidationError({"answer": "Décrivez les pièces transmises (10 caractères au moins)."})
    try:
        checked = check_files(files)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None
    with performing(work_item, user, Step.RUPTURE_DOCUMENTS, request=request) as log:
        rupture = locked(Rupture, work_item.subject_id)
        rupture.documents_answer = answer
        rupture.status = RuptureStatus.NOTIFIED
        rupture.save(update_fields=["documents_answer", "status"])
        for item in checked:
            attachment_store(
                checked=item,
                kind=Kind.RUPTURE,
                subject_id=rupture.pk,
                audience=AttachmentAudience.STRUCTURE,
                user=user,
                label=user.get_full_name() or user.email,
            )
        names = ", ".join(item.name for item in checked)
        log.record(
            rupture,
            Verdict.DOCUMENTS_PROVIDED,
            reason=f"{len(checked)} pièce(s) jointe(s)" if checked else "",
            message_to_applicant=f"{answer}\n\nPièces jointes : {names}" if checked else answer,
        )
    notifications.rupture_documents_provided(rupture)
    return rupture
