"""The structure applications' parcours: submission, e-mail confirmation, withdrawal, prefecture review, hub
decision (grant, refuse, send back, duplicate)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.services import user_invite
from directory import conventions
from directory.enums import StructureStatus
from directory.models import Structure
from workflows import notifications
from workflows.enums import (
    OPEN_STRUCTURE_APPLICATION_STATUSES,
    Kind,
    PrefectureOpinion,
    Step,
    StructureApplicationStatus,
    StructureHubDecision,
    Verdict,
)
from workflows.flows import StructureApplicationFlow
from workflows.models import StructureApplication
from workflows.services.common import (
    AlreadyProcessed,
    DecisionLog,
    cancel_process,
    locked,
    performing,
    require_reason,
    require_send_back_note,
    save_new,
    validate_opinion,
)


@transaction.atomic
def structure_application_submit(*, data: dict, request=None) -> StructureApplication:
    """Record a structure application from the public form and e-mail the confirmation link."""
    if StructureApplication.objects.siret_in_use(data["siret"]):
        raise ValidationError({"siret": "Ce SIRET est déjà utilisé par une candidature en cours ou une structure."})
    application = StructureApplication(**data)
    save_new(application, "siret", "Ce SIRET est déjà utilisé par une candidature en cours.")
    DecisionLog(kind=Kind.STRUCTURE).record(application, Verdict.SUBMITTED)
    notifications.structure_application_received(application)
    return application


@transaction.atomic
def structure_application_confirm(*, application_id: int) -> StructureApplication:
    """Confirm the contact's e-mail: the application enters its parcours (prefecture review). Idempotent."""
    application = locked(StructureApplication, application_id)
    if application.status != StructureApplicationStatus.UNCONFIRMED:
        return application
    application.status = StructureApplicationStatus.PREFECTURE_REVIEW
    application.email_confirmed_at = timezone.now()
    application.save(update_fields=["status", "email_confirmed_at", "updated_at"])
    process = StructureApplicationFlow.start.run(subject=application)
    StructureApplication.objects.filter(pk=application.pk).update(process=process)
    application.process = process
    DecisionLog(kind=Kind.STRUCTURE, process=process).record(application, Verdict.CONFIRMED)
    notifications.structure_application_confirmed(application)
    return application


@transaction.atomic
def structure_application_withdraw(*, application_id: int) -> StructureApplication:
    """The applicant withdraws (signed link from their e-mail): the parcours stops."""
    application = locked(StructureApplication, application_id)
    if application.status not in OPEN_STRUCTURE_APPLICATION_STATUSES:
        raise AlreadyProcessed("Cette candidature est déjà close.")
    cancel_process(application.process, StructureApplicationFlow)
    application.status = StructureApplicationStatus.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    DecisionLog(kind=Kind.STRUCTURE, process=application.process).record(application, Verdict.WITHDRAWN)
    notifications.structure_application_withdrawn(application)
    return application


def structure_prefecture_review(
    *, work_item, user, opinion: str, internal_note: str, message_to_applicant: str = "", request=None
) -> StructureApplication:
    """The prefecture's opinion (with an internal note for the hub); the application goes to the hub either way and
    the structure is told so (with the message, never the note)."""
    validate_opinion(opinion, internal_note)
    with performing(work_item, user, Step.STRUCTURE_PREFECTURE, request=request) as log:
        application = locked(StructureApplication, work_item.subject_id)
        application.prefecture_opinion = opinion
        application.status = StructureApplicationStatus.HUB_VALIDATION
        application.save(update_fields=["prefecture_opinion", "status", "updated_at"])
        log.process.prefecture_favorable = opinion == PrefectureOpinion.FAVORABLE
        log.process.save()
        log.record(
            application,
            Verdict.FAVORABLE if opinion == PrefectureOpinion.FAVORABLE else Verdict.UNFAVORABLE,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
        )
    notifications.structure_application_reviewed(application, message_to_applicant)
    return application


def structure_hub_decide(
    *,
    work_item,
    user,
    decision: str,
    posts_granted=None,
    reason="",
    internal_note="",
    message_to_applicant="",
    request=None,
) -> StructureApplication:
    """The hub's decision: grant N posts (structure validated, manager invited), refuse, send back, or duplicate."""
    if decision not in StructureHubDecision.values:
        raise ValidationError({"decision": "Choisissez une décision."})
    reason_label = ""
    if decision == StructureHubDecision.REFUSE:
        reason_label = require_reason(reason, message_to_applicant)
    if decision == StructureHubDecision.SEND_BACK:
        require_send_back_note(internal_note)
    with performing(work_item, user, Step.STRUCTURE_HUB, request=request) as log:
        application = locked(StructureApplication, work_item.subject_id)
        verdicts = {
            StructureHubDecision.GRANT: Verdict.GRANTED,
            StructureHubDecision.REFUSE: Verdict.REFUSED,
            StructureHubDecision.SEND_BACK: Verdict.SENT_BACK,
            StructureHubDecision.DUPLICATE: Verdict.DUPLICATE,
        }
        if decision == StructureHubDecision.GRANT:
            if not isinstance(posts_granted, int) or not 1 <= posts_granted <= application.advisors_wanted:
                raise ValidationError(
                    {"posts_granted": f"Attribuez entre 1 et {application.advisors_wanted} poste(s) (nombre demandé)."}
                )
            _grant(application, posts_granted, user, request)
            reason_label = f"{posts_granted} poste(s)"
        elif decision == StructureHubDecision.SEND_BACK:
            application.status = StructureApplicationStatus.PREFECTURE_REVIEW
            application.prefecture_opinion = ""
        else:
            application.status = (
                StructureApplicationStatus.REFUSED
                if decision == StructureHubDecision.REFUSE
                else StructureApplicationStatus.DUPLICATE
            )
            application.refusal_reason = reason if decision == StructureHubDecision.REFUSE else ""
            application.decided_at = timezone.now()
            if decision == StructureHubDecision.DUPLICATE:
                reason_label = "Doublon"
        application.save()
        log.process.hub_decision = decision
        log.process.save()
        log.record(
            application,
            verdicts[decision],
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
        )
    if decision == StructureHubDecision.GRANT:
        notifications.structure_application_granted(application, message_to_applicant)
    elif decision == StructureHubDecision.SEND_BACK:
        notifications.structure_application_sent_back(application, internal_note)
    else:
        notifications.structure_application_refused(
            application, reason_label, message_to_applicant, duplicate=decision == StructureHubDecision.DUPLICATE
        )
    return application


def _grant(application, posts_granted, user, request):
    if application.structure_id is not None:
        # An application imported from the existing system, whose structure row was imported too: it is validated.
        structure = application.structure
        structure.status = StructureStatus.VALIDATED
        structure.posts_granted = posts_granted
        structure.validated_at = timezone.now()
        structure.save(update_fields=["status", "posts_granted", "validated_at", "updated_at"])
    else:
        structure = _structure_create(application, posts_granted)
    _grant_convention(application, structure, posts_granted, user, request)


def _structure_create(application, posts_granted):
    commune = application.commune
    return Structure.objects.create(
        siret=application.siret,
        name=application.name,
        type=application.type,
        status=StructureStatus.VALIDATED,
        address=application.address,
        postal_code=commune.main_postal_code,
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        contact_first_name=application.contact_first_name,
        contact_last_name=application.contact_last_name,
        contact_function=application.contact_function,
        contact_email=application.contact_email,
        contact_phone=application.contact_phone,
        posts_granted=posts_granted,
        validated_at=timezone.now(),
    )


def _grant_convention(application, structure, posts_granted, user, request):
    # The posts are the convention's: granted from today for the convention's period.
    conventions.convention_open(
        structure=structure,
        start=timezone.localdate(),
        posts=posts_granted,
        actor=user,
        reference=f"Candidature n° {application.pk}",
    )
    application.structure = structure
    application.posts_granted = posts_granted
    application.status = StructureApplicationStatus.GRANTED
    application.decided_at = timezone.now()
    user_invite(
        email=application.contact_email,
        first_name=application.contact_first_name,
        last_name=application.contact_last_name,
        role=Role.STRUCTURE_MANAGER,
        invited_by=user,
        request=request,
        structure=structure,
    )
