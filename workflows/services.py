"""Every write of the recruitment parcours. Views, commands and tests call these functions, never raw Viewflow
transitions: each one checks the role permission AND the scope of the user, whatever calls it, takes the
process lock, refuses a task that is no longer open (AlreadyProcessed: "Cette étape a déjà été traitée"),
records the decision (append-only log + audit), then executes the task.
"""

from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from accounts import scopes
from accounts.enums import AuditAction, Role
from accounts.services import audit_record, membership_revoke, user_invite
from common.dates import DateInputError, parse_date
from directory.enums import AdvisorStatus, StructureStatus
from directory.models import Advisor, Place, PlaceAssignment, Structure
from territories.utils import distance_km
from workflows import notifications
from workflows.enums import (
    OPEN_RUPTURE_STATUSES,
    RECRUITMENT_IN_PROGRESS,
    STEP_PERMISSIONS,
    CandidateStatus,
    ContractType,
    Kind,
    PrefectureOpinion,
    RecruitmentHubDecision,
    RecruitmentStatus,
    RefusalReason,
    RuptureDecision,
    RuptureMotive,
    RuptureStatus,
    Step,
    StructureApplicationStatus,
    StructureHubDecision,
    Verdict,
)
from workflows.flows import RecruitmentFlow, RuptureFlow, StructureApplicationFlow
from workflows.models import (
    AdvisorApplication,
    Decision,
    Recruitment,
    Rupture,
    StructureApplication,
    Training,
    WorkItem,
)

ALREADY_PROCESSED = "Cette étape a déjà été traitée."
OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class AlreadyProcessed(Exception):
    """The task was completed (or the dossier closed) in the meantime: nothing was changed."""

    def __init__(self, message=ALREADY_PROCESSED):
        super().__init__(message)


# --- Helpers ------------------------------------------------------------------------------------------------------


def _role_label(user) -> str:
    membership = scopes.active_membership(user) if user is not None else None
    return str(membership) if membership else ""


def decision_record(
    *,
    kind,
    subject,
    verdict,
    actor=None,
    step="",
    reason="",
    internal_note="",
    message_to_applicant="",
    process=None,
    request=None,
):
    """Append one line to the decision log (and, for a person's decision, to the audit log).

    `internal_note` is for agents only; `message_to_applicant` is read by the structure and the candidate too."""
    decision = Decision.objects.create(
        kind=kind,
        subject_id=subject.pk,
        process=process,
        step=step,
        verdict=verdict,
        reason=reason[:200],
        internal_note=internal_note.strip(),
        message_to_applicant=message_to_applicant.strip(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor.get_full_name() or actor.email) if actor is not None and actor.is_authenticated else "",
        actor_role=_role_label(actor) if actor is not None and actor.is_authenticated else "",
    )
    if actor is not None and actor.is_authenticated:
        audit_record(
            actor=actor,
            action=AuditAction.WORKFLOW_DECISION,
            target=subject,
            details={"step": step, "verdict": verdict, "reason": reason, "kind": kind},
            request=request,
        )
    return decision


def _subject_in_scope(user, kind, subject_id) -> bool:
    querysets = {
        Kind.STRUCTURE: scopes.visible_structure_applications,
        Kind.RECRUITMENT: scopes.visible_recruitments,
        Kind.RUPTURE: scopes.visible_ruptures,
    }
    return querysets[kind](user).filter(pk=subject_id).exists()


def check_can_act(user, work_item) -> None:
    """The role permission of the step (Viewflow's node permission) and the territory, or PermissionDenied."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Vous devez être connecté.")
    if not user.has_perm(STEP_PERMISSIONS[work_item.step]):
        raise PermissionDenied("Votre rôle ne permet pas de traiter cette étape.")
    if not _subject_in_scope(user, work_item.kind, work_item.subject_id):
        raise PermissionDenied("Ce dossier est hors de votre périmètre.")


def _close_finished_work_items(process) -> None:
    WorkItem.objects.filter(process=process, is_open=True).exclude(task__status__in=OPEN_TASK_STATUSES).update(
        is_open=False, closed_at=timezone.now()
    )


@contextmanager
def _performing(work_item, user, step):
    """Lock the process, re-read the task, check it is still open and the user may act, start it; on leaving the
    block, execute it (the flow moves on) and close the finished work items."""
    if work_item.step != step:
        raise AlreadyProcessed
    check_can_act(user, work_item)
    task = work_item.task
    with task.activation() as activation:
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise AlreadyProcessed
        if task.status == STATUS.ASSIGNED and task.owner_id != user.pk:
            if not scopes.is_national(user):
                raise PermissionDenied(f"Cette tâche est prise en charge par {task.owner}.")
            activation.reassign(user)
        if task.status == STATUS.NEW:
            if not activation.assign.has_perm(user):
                raise PermissionDenied("Votre rôle ne permet pas de traiter cette étape.")
            activation.assign(user)
        activation.start(None)
        yield activation
        activation.execute()
        _close_finished_work_items(activation.process)


def open_work_item(kind, subject_id, step=None):
    """The open task of a dossier (at a given step), or None."""
    items = WorkItem.objects.select_related("task", "owner").filter(kind=kind, subject_id=subject_id, is_open=True)
    if step:
        items = items.filter(step=step)
    return items.order_by("pk").first()


def _cancel_process(process, flow_class) -> None:
    if process is not None and process.status not in (STATUS.DONE, STATUS.CANCELED):
        flow_class.instance.cancel(process)
        _close_finished_work_items(process)


# --- Task assignment ----------------------------------------------------------------------------------------------


@transaction.atomic
def task_take(*, work_item, user, request=None) -> None:
    """Take charge of a task: it leaves "À traiter" and goes to the user's "Mes tâches"."""
    check_can_act(user, work_item)
    task = work_item.task
    with task.activation() as activation:
        if task.status != STATUS.NEW:
            if task.status == STATUS.ASSIGNED and task.owner_id == user.pk:
                return
            raise AlreadyProcessed("Cette tâche a déjà été prise en charge ou traitée.")
        if not activation.assign.has_perm(user):
            raise PermissionDenied("Votre rôle ne permet pas de traiter cette étape.")
        activation.assign(user)
    WorkItem.objects.filter(pk=work_item.pk).update(owner=user)
    decision_record(
        kind=work_item.kind,
        subject=_subject(work_item),
        verdict=Verdict.TAKEN,
        actor=user,
        step=work_item.step,
        process=work_item.process,
        request=request,
    )


@transaction.atomic
def task_release(*, work_item, user, request=None) -> None:
    """Give a task back to the team (its owner, or a national admin)."""
    check_can_act(user, work_item)
    task = work_item.task
    with task.activation() as activation:
        if task.status != STATUS.ASSIGNED:
            raise AlreadyProcessed
        if task.owner_id != user.pk and not scopes.is_national(user):
            raise PermissionDenied("Seule la personne en charge peut libérer cette tâche.")
        activation.unassign()
    WorkItem.objects.filter(pk=work_item.pk).update(owner=None)
    decision_record(
        kind=work_item.kind,
        subject=_subject(work_item),
        verdict=Verdict.RELEASED,
        actor=user,
        step=work_item.step,
        process=work_item.process,
        request=request,
    )


def _subject(work_item):
    models = {Kind.STRUCTURE: StructureApplication, Kind.RECRUITMENT: Recruitment, Kind.RUPTURE: Rupture}
    return models[work_item.kind].objects.get(pk=work_item.subject_id)


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _require_reason(reason: str, message_to_applicant: str) -> str:
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": "Choisissez un motif de refus."})
    if reason == RefusalReason.OTHER and not message_to_applicant.strip():
        raise ValidationError({"message_to_applicant": "Précisez le motif dans le message au demandeur."})
    return RefusalReason(reason).label


def _require_send_back_note(internal_note: str) -> None:
    if len(internal_note.strip()) < 10:
        raise ValidationError(
            {"internal_note": "Expliquez au préfet ce qui doit être réexaminé (10 caractères au moins)."}
        )


# --- Structure applications ---------------------------------------------------------------------------------------


def siret_in_use(siret: str) -> str | None:
    """Why this SIRET cannot apply again (an open application or a structure uses it), or None."""
    if Structure.objects.filter(siret=siret).exists():
        return "structure"
    if StructureApplication.objects.filter(
        siret=siret,
        status__in=[
            StructureApplicationStatus.UNCONFIRMED,
            StructureApplicationStatus.PREFECTURE_REVIEW,
            StructureApplicationStatus.HUB_VALIDATION,
        ],
    ).exists():
        return "application"
    return None


def _save_new(instance, field: str, message: str) -> None:
    """Insert an application; a unique constraint lost to a concurrent submission becomes a field error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None


@transaction.atomic
def structure_application_submit(*, data: dict, request=None) -> StructureApplication:
    """Record a structure application from the public form and e-mail the confirmation link."""
    if siret_in_use(data["siret"]):
        raise ValidationError({"siret": "Ce SIRET est déjà utilisé par une candidature en cours ou une structure."})
    application = StructureApplication(**data)
    _save_new(application, "siret", "Ce SIRET est déjà utilisé par une candidature en cours.")
    decision_record(kind=Kind.STRUCTURE, subject=application, verdict=Verdict.SUBMITTED)
    notifications.structure_application_received(application)
    return application


@transaction.atomic
def structure_application_confirm(*, application_id: int) -> StructureApplication:
    """Confirm the contact's e-mail: the application enters its parcours (prefecture review). Idempotent."""
    application = _locked(StructureApplication, application_id)
    if application.status != StructureApplicationStatus.UNCONFIRMED:
        return application
    application.status = StructureApplicationStatus.PREFECTURE_REVIEW
    application.email_confirmed_at = timezone.now()
    application.save(update_fields=["status", "email_confirmed_at", "updated_at"])
    process = StructureApplicationFlow.start.run(subject=application)
    StructureApplication.objects.filter(pk=application.pk).update(process=process)
    application.process = process
    decision_record(kind=Kind.STRUCTURE, subject=application, verdict=Verdict.CONFIRMED, process=process)
    notifications.structure_application_confirmed(application)
    return application


@transaction.atomic
def structure_application_withdraw(*, application_id: int) -> StructureApplication:
    """The applicant withdraws (signed link from their e-mail): the parcours stops."""
    application = _locked(StructureApplication, application_id)
    if application.status not in (
        StructureApplicationStatus.UNCONFIRMED,
        StructureApplicationStatus.PREFECTURE_REVIEW,
        StructureApplicationStatus.HUB_VALIDATION,
    ):
        raise AlreadyProcessed("Cette candidature est déjà close.")
    _cancel_process(application.process, StructureApplicationFlow)
    application.status = StructureApplicationStatus.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    decision_record(kind=Kind.STRUCTURE, subject=application, verdict=Verdict.WITHDRAWN, process=application.process)
    notifications.structure_application_withdrawn(application)
    return application


def _validate_opinion(opinion: str, internal_note: str) -> None:
    if opinion not in PrefectureOpinion.values:
        raise ValidationError({"opinion": "Choisissez un avis."})
    if not 10 <= len(internal_note.strip()) <= 1000:
        raise ValidationError({"internal_note": "La note interne doit faire entre 10 et 1 000 caractères."})


def structure_prefecture_review(
    *, work_item, user, opinion: str, internal_note: str, message_to_applicant: str = "", request=None
) -> StructureApplication:
    """The prefecture's opinion (with an internal note for the hub); the application goes to the hub either way and
    the structure is told so (with the message, never the note)."""
    _validate_opinion(opinion, internal_note)
    with _performing(work_item, user, Step.STRUCTURE_PREFECTURE) as activation:
        application = _locked(StructureApplication, work_item.subject_id)
        application.prefecture_opinion = opinion
        application.status = StructureApplicationStatus.HUB_VALIDATION
        application.save(update_fields=["prefecture_opinion", "status", "updated_at"])
        activation.process.prefecture_favorable = opinion == PrefectureOpinion.FAVORABLE
        activation.process.save()
        decision_record(
            kind=Kind.STRUCTURE,
            subject=application,
            verdict=Verdict.FAVORABLE if opinion == PrefectureOpinion.FAVORABLE else Verdict.UNFAVORABLE,
            actor=user,
            step=Step.STRUCTURE_PREFECTURE,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
            process=activation.process,
            request=request,
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
        reason_label = _require_reason(reason, message_to_applicant)
    if decision == StructureHubDecision.SEND_BACK:
        _require_send_back_note(internal_note)
    with _performing(work_item, user, Step.STRUCTURE_HUB) as activation:
        application = _locked(StructureApplication, work_item.subject_id)
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
        activation.process.hub_decision = decision
        activation.process.save()
        decision_record(
            kind=Kind.STRUCTURE,
            subject=application,
            verdict=verdicts[decision],
            actor=user,
            step=Step.STRUCTURE_HUB,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
            process=activation.process,
            request=request,
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
    commune = application.commune
    structure = Structure.objects.create(
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


# --- Candidates ---------------------------------------------------------------------------------------------------


@transaction.atomic
def candidate_submit(*, data: dict, request=None) -> AdvisorApplication:
    """Record a candidacy from the public form (CV stored privately) and e-mail the confirmation link."""
    candidate = AdvisorApplication(**data)
    commune = candidate.commune
    candidate.latitude, candidate.longitude = commune.latitude, commune.longitude
    _save_new(candidate, "email", "Une candidature en cours utilise déjà cette adresse e-mail.")
    decision_record(kind=Kind.CANDIDATE, subject=candidate, verdict=Verdict.SUBMITTED)
    notifications.candidate_received(candidate)
    return candidate


@transaction.atomic
def candidate_confirm(*, candidate_id: int) -> AdvisorApplication:
    """Confirm the candidate's e-mail: they join the pool that structures search. Idempotent."""
    candidate = _locked(AdvisorApplication, candidate_id)
    if candidate.status != CandidateStatus.UNCONFIRMED:
        return candidate
    candidate.status = CandidateStatus.AVAILABLE
    candidate.email_confirmed_at = timezone.now()
    candidate.save(update_fields=["status", "email_confirmed_at", "updated_at"])
    decision_record(kind=Kind.CANDIDATE, subject=candidate, verdict=Verdict.CONFIRMED)
    notifications.candidate_confirmed(candidate)
    return candidate


def _stop_open_recruitments(candidate, *, status, actor=None, by_candidate=False):
    recruitments = Recruitment.objects.select_related("structure", "candidate").filter(
        candidate=candidate, status__in=[RecruitmentStatus.PRESELECTED, *RECRUITMENT_IN_PROGRESS]
    )
    for recruitment in recruitments:
        _cancel_process(recruitment.process, RecruitmentFlow)
        recruitment.status = status
        recruitment.save(update_fields=["status", "updated_at"])
        decision_record(
            kind=Kind.RECRUITMENT,
            subject=recruitment,
            verdict=Verdict.WITHDRAWN if by_candidate else Verdict.CANCELLED,
            actor=actor,
            process=recruitment.process,
        )
        notifications.recruitment_cancelled(recruitment, "", by_candidate=by_candidate)


@transaction.atomic
def candidate_withdraw(*, candidate_id: int) -> AdvisorApplication:
    """The candidate withdraws (signed link): out of the pool, open recruitments stopped, structures told."""
    candidate = _locked(AdvisorApplication, candidate_id)
    if candidate.status not in (CandidateStatus.UNCONFIRMED, CandidateStatus.AVAILABLE):
        raise AlreadyProcessed("Cette candidature n'est plus active.")
    _stop_open_recruitments(candidate, status=RecruitmentStatus.WITHDRAWN, by_candidate=True)
    candidate.status = CandidateStatus.WITHDRAWN
    candidate.withdrawn_at = timezone.now()
    candidate.save(update_fields=["status", "withdrawn_at", "updated_at"])
    decision_record(kind=Kind.CANDIDATE, subject=candidate, verdict=Verdict.WITHDRAWN)
    return candidate


@transaction.atomic
def candidate_erase(*, candidate_id: int) -> AdvisorApplication:
    """Erase a candidacy's personal data and CV; the anonymous row stays for counts (commune, dates, status)."""
    candidate = _locked(AdvisorApplication, candidate_id)
    if candidate.status == CandidateStatus.RECRUITED:
        raise ValidationError("Vous êtes recruté : vos données sont désormais gérées par votre employeur.")
    if candidate.status == CandidateStatus.ERASED:
        return candidate
    if candidate.status in (CandidateStatus.UNCONFIRMED, CandidateStatus.AVAILABLE):
        _stop_open_recruitments(candidate, status=RecruitmentStatus.WITHDRAWN, by_candidate=True)
    if candidate.cv:
        storage, name = candidate.cv.storage, candidate.cv.name
        transaction.on_commit(lambda: storage.delete(name))
    # The task index carries the name too (titles, search): scrub it.
    WorkItem.objects.filter(
        kind=Kind.RECRUITMENT, subject_id__in=Recruitment.objects.filter(candidate=candidate).values("pk")
    ).update(title=f"Candidature effacée n° {candidate.pk}", search_text="")
    candidate.first_name = candidate.last_name = candidate.email = candidate.phone = ""
    candidate.motivation = candidate.diploma_name = ""
    candidate.has_diploma = False
    candidate.cv = ""
    candidate.status = CandidateStatus.ERASED
    candidate.withdrawn_at = candidate.withdrawn_at or timezone.now()
    candidate.save()
    decision_record(kind=Kind.CANDIDATE, subject=candidate, verdict=Verdict.ERASED)
    return candidate


# --- Recruitments -------------------------------------------------------------------------------------------------


def free_posts(structure, *, exclude=None) -> int:
    """Posts granted minus recruitments in progress minus active advisors (the programme's quota rule)."""
    in_progress = Recruitment.objects.filter(structure=structure, status__in=RECRUITMENT_IN_PROGRESS)
    if exclude is not None:
        in_progress = in_progress.exclude(pk=exclude.pk)
    active = Advisor.objects.filter(structure=structure, status=AdvisorStatus.ACTIVE).count()
    return structure.posts_granted - in_progress.count() - active


def _check_quota(recruitment) -> None:
    structure = Structure.objects.select_for_update().get(pk=recruitment.structure_id)
    if free_posts(structure, exclude=recruitment) < 1:
        raise ValidationError(
            f"Plus aucun poste disponible : {structure.posts_granted} poste(s) attribué(s), tous occupés par des "
            "conseillers en poste ou des recrutements en cours."
        )


def _manager_structure(user) -> Structure:
    membership = scopes.active_membership(user)
    if membership is None or membership.role not in (Role.STRUCTURE_MANAGER,):
        raise PermissionDenied("Seul un gestionnaire de structure peut recruter.")
    return membership.structure


@transaction.atomic
def recruitment_preselect(*, candidate, user, request=None) -> Recruitment:
    """A structure manager preselects an available candidate: the recruitment parcours starts (contract to propose)."""
    structure = _manager_structure(user)
    if structure.status != StructureStatus.VALIDATED:
        raise PermissionDenied("Votre structure n'est pas validée.")
    if not user.has_perm("workflows.manage_recruitment"):
        raise PermissionDenied
    candidate = _locked(AdvisorApplication, candidate.pk)
    if candidate.status != CandidateStatus.AVAILABLE:
        raise ValidationError("Ce candidat n'est plus disponible.")
    engaged = candidate.engaged_recruitment()
    if engaged is not None:
        raise ValidationError(_engaged_message(engaged, structure))
    distance = None
    if None not in (candidate.latitude, candidate.longitude, structure.latitude, structure.longitude):
        distance = round(
            distance_km(candidate.latitude, candidate.longitude, structure.latitude, structure.longitude), 1
        )
    try:
        with transaction.atomic():
            recruitment = Recruitment.objects.create(
                structure=structure, candidate=candidate, preselected_by=user, distance_km=distance
            )
    except IntegrityError:
        # A concurrent preselection won the unique constraint: say who holds the candidate now.
        raise ValidationError(_engaged_message(candidate.engaged_recruitment(), structure)) from None
    process = RecruitmentFlow.start.run(subject=recruitment)
    Recruitment.objects.filter(pk=recruitment.pk).update(process=process)
    recruitment.process = process
    decision_record(
        kind=Kind.RECRUITMENT,
        subject=recruitment,
        verdict=Verdict.PRESELECTED,
        actor=user,
        process=process,
        request=request,
    )
    notifications.candidate_preselected(recruitment)
    return recruitment


def _engaged_message(engaged, structure) -> str:
    """Why a candidate cannot be preselected: already engaged with this structure or with another one."""
    if engaged is not None and engaged.structure_id == structure.pk:
        return "Vous avez déjà présélectionné ce candidat."
    return (
        "Ce candidat est déjà engagé dans un recrutement avec une autre structure (présélection, examen, formation "
        "ou poste) : un candidat ne peut être recruté que par une seule structure à la fois."
    )


def _validate_contract(contract_type, contract_start, contract_end, salary) -> None:
    errors = {}
    if contract_type not in ContractType.values:
        errors["contract_type"] = "Choisissez un type de contrat."
    if contract_start is None:
        errors["contract_start"] = "Indiquez la date de début du contrat."
    elif contract_start < timezone.localdate():
        errors["contract_start"] = "La date de début ne peut pas être passée."
    if contract_type == ContractType.CDI and contract_end:
        errors["contract_end"] = "Un CDI n'a pas de date de fin."
    if contract_type and contract_type != ContractType.CDI:
        if contract_end is None:
            errors["contract_end"] = "Indiquez la date de fin du contrat (obligatoire sauf pour un CDI)."
        elif contract_start and contract_end <= contract_start:
            errors["contract_end"] = "La date de fin doit suivre la date de début."
    if salary is None or salary < settings.SMIC_MONTHLY_GROSS:
        errors["salary"] = (
            f"Le salaire brut mensuel doit être au moins égal au SMIC ({settings.SMIC_MONTHLY_GROSS} €)."
        )
    if errors:
        raise ValidationError(errors)


def recruitment_propose_contract(
    *,
    work_item,
    user,
    contract_type: str,
    contract_start: date,
    contract_end: date | None,
    salary: int,
    is_coordinator_post: bool = False,
    message_to_applicant: str = "",
    request=None,
) -> Recruitment:
    """The structure proposes the contract (type, dates, salary ≥ SMIC, coordinator post); the quota is enforced."""
    _validate_contract(contract_type, contract_start, contract_end, salary)
    with _performing(work_item, user, Step.RECRUITMENT_CONTRACT) as activation:
        recruitment = _locked(Recruitment, work_item.subject_id)
        _check_quota(recruitment)
        recruitment.contract_type = contract_type
        recruitment.contract_start = contract_start
        recruitment.contract_end = contract_end if contract_type != ContractType.CDI else None
        recruitment.salary = salary
        recruitment.is_coordinator_post = is_coordinator_post
        recruitment.proposed_at = timezone.now()
        recruitment.status = RecruitmentStatus.PREFECTURE_REVIEW
        recruitment.save()
        decision_record(
            kind=Kind.RECRUITMENT,
            subject=recruitment,
            verdict=Verdict.PROPOSED,
            actor=user,
            step=Step.RECRUITMENT_CONTRACT,
            reason=f"{recruitment.get_contract_type_display()}, {salary} € brut mensuel",
            message_to_applicant=message_to_applicant,
            process=activation.process,
            request=request,
        )
    notifications.contract_proposed(recruitment)
    return recruitment


def recruitment_prefecture_review(
    *,
    work_item,
    user,
    opinion: str,
    reason: str = "",
    internal_note: str = "",
    message_to_applicant: str = "",
    request=None,
) -> Recruitment:
    """The prefecture's opinion on a recruitment: favorable → hub (structure told); unfavorable → refused (reason
    and message e-mailed to the candidate and the structure)."""
    _validate_opinion(opinion, internal_note)
    reason_label = _require_reason(reason, message_to_applicant) if opinion == PrefectureOpinion.UNFAVORABLE else ""
    with _performing(work_item, user, Step.RECRUITMENT_PREFECTURE) as activation:
        recruitment = _locked(Recruitment, work_item.subject_id)
        favorable = opinion == PrefectureOpinion.FAVORABLE
        recruitment.status = RecruitmentStatus.HUB_VALIDATION if favorable else RecruitmentStatus.REFUSED
        recruitment.refusal_reason = "" if favorable else reason
        recruitment.save(update_fields=["status", "refusal_reason", "updated_at"])
        activation.process.prefecture_favorable = favorable
        activation.process.save()
        decision_record(
            kind=Kind.RECRUITMENT,
            subject=recruitment,
            verdict=Verdict.FAVORABLE if favorable else Verdict.REFUSED,
            actor=user,
            step=Step.RECRUITMENT_PREFECTURE,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
            process=activation.process,
            request=request,
        )
    if favorable:
        notifications.recruitment_prefecture_favorable(recruitment, message_to_applicant)
    else:
        notifications.recruitment_refused(recruitment, reason_label, message_to_applicant)
    return recruitment


def recruitment_hub_decide(
    *,
    work_item,
    user,
    decision: str,
    reason: str = "",
    internal_note: str = "",
    message_to_applicant: str = "",
    request=None,
) -> Recruitment:
    """The hub validates (quota checked again), refuses (reason e-mailed) or sends back to the prefecture."""
    if decision not in RecruitmentHubDecision.values:
        raise ValidationError({"decision": "Choisissez une décision."})
    reason_label = _require_reason(reason, message_to_applicant) if decision == RecruitmentHubDecision.REFUSE else ""
    if decision == RecruitmentHubDecision.SEND_BACK:
        _require_send_back_note(internal_note)
    with _performing(work_item, user, Step.RECRUITMENT_HUB) as activation:
        recruitment = _locked(Recruitment, work_item.subject_id)
        if decision == RecruitmentHubDecision.VALIDATE:
            _check_quota(recruitment)
            recruitment.status = RecruitmentStatus.TRAINING
            verdict = Verdict.VALIDATED
        elif decision == RecruitmentHubDecision.REFUSE:
            recruitment.status = RecruitmentStatus.REFUSED
            recruitment.refusal_reason = reason
            verdict = Verdict.REFUSED
        else:
            recruitment.status = RecruitmentStatus.PREFECTURE_REVIEW
            verdict = Verdict.SENT_BACK
        recruitment.save(update_fields=["status", "refusal_reason", "updated_at"])
        activation.process.hub_decision = decision
        activation.process.save()
        decision_record(
            kind=Kind.RECRUITMENT,
            subject=recruitment,
            verdict=verdict,
            actor=user,
            step=Step.RECRUITMENT_HUB,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
            process=activation.process,
            request=request,
        )
    if decision == RecruitmentHubDecision.VALIDATE:
        notifications.recruitment_validated(recruitment, message_to_applicant)
    elif decision == RecruitmentHubDecision.REFUSE:
        notifications.recruitment_refused(recruitment, reason_label, message_to_applicant)
    else:
        notifications.recruitment_sent_back(recruitment, internal_note)
    return recruitment


def _validate_training(session_start, session_end, completed, certified) -> None:
    errors = {}
    if session_start is None:
        errors["session_start"] = "Indiquez la date de début de la formation."
    if session_end is None:
        errors["session_end"] = "Indiquez la date de fin de la formation."
    elif session_start and session_end < session_start:
        errors["session_end"] = "La fin de la formation ne peut pas précéder son début."
    if certified and not completed:
        errors["certified"] = "Un conseiller ne peut être certifié que si sa formation est terminée."
    if completed and session_end and session_end > timezone.localdate():
        errors["completed"] = "Une formation qui se termine dans le futur ne peut pas être déclarée terminée."
    if errors:
        raise ValidationError(errors)


def _hub_validation_date(recruitment):
    """The (Paris) day the hub last validated this recruitment, or None."""
    validated = (
        Decision.objects.filter(
            kind=Kind.RECRUITMENT, subject_id=recruitment.pk, step=Step.RECRUITMENT_HUB, verdict=Verdict.VALIDATED
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(validated) if validated else None


def _validate_training_in_contract(recruitment, session_start, session_end) -> None:
    """A training falls between the hub's validation of the recruitment and the end of the contract."""
    errors = {}
    validated_on = _hub_validation_date(recruitment)
    if validated_on and session_start < validated_on:
        errors["session_start"] = (
            "La formation ne peut pas commencer avant la validation du recrutement par le hub "
            f"(le {validated_on:%d/%m/%Y})."
        )
    if recruitment.contract_end and session_end > recruitment.contract_end:
        errors["session_end"] = (
            f"La formation ne peut pas se terminer après la fin du contrat (le {recruitment.contract_end:%d/%m/%Y})."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def recruitment_record_training(
    *, work_item, user, session_start, session_end, completed: bool, certified: bool, internal_note="", request=None
) -> Recruitment:
    """Record the training session; once completed, the recruitment moves on to the deployment.

    Every way in (the decision form, the training operator's CSV) goes through here, so the dates are checked
    against the recruitment once: after the hub's validation, within the contract.
    """
    _validate_training(session_start, session_end, completed, certified)
    if work_item.step == Step.RECRUITMENT_TRAINING:  # another step: AlreadyProcessed below says so
        check_can_act(user, work_item)  # before reading the recruitment's dates into an error message
        recruitment = Recruitment.objects.get(pk=work_item.subject_id)
        _validate_training_in_contract(recruitment, session_start, session_end)
    if not completed:
        # Dates only: the task stays open until the training is completed.
        check_can_act(user, work_item)
        current = WorkItem.objects.select_for_update().filter(pk=work_item.pk, is_open=True).first()
        if work_item.step != Step.RECRUITMENT_TRAINING or current is None:
            raise AlreadyProcessed
        if current.owner_id not in (None, user.pk) and not scopes.is_national(user):
            raise PermissionDenied(f"Cette tâche est prise en charge par {current.owner}.")
        recruitment = _locked(Recruitment, work_item.subject_id)
        _save_training(recruitment, session_start, session_end, False, False, user)
        decision_record(
            kind=Kind.RECRUITMENT,
            subject=recruitment,
            verdict=Verdict.TRAINED,
            actor=user,
            step=Step.RECRUITMENT_TRAINING,
            reason="Dates de formation enregistrées",
            internal_note=internal_note,
            process=work_item.process,
            request=request,
        )
        return recruitment
    with _performing(work_item, user, Step.RECRUITMENT_TRAINING) as activation:
        recruitment = _locked(Recruitment, work_item.subject_id)
        _save_training(recruitment, session_start, session_end, True, certified, user)
        recruitment.status = RecruitmentStatus.DEPLOYMENT
        recruitment.save(update_fields=["status", "updated_at"])
        decision_record(
            kind=Kind.RECRUITMENT,
            subject=recruitment,
            verdict=Verdict.TRAINED,
            actor=user,
            step=Step.RECRUITMENT_TRAINING,
            reason="Formation terminée, certifié" if certified else "Formation terminée, non certifié",
            internal_note=internal_note,
            process=activation.process,
            request=request,
        )
    notifications.training_recorded(recruitment)
    return recruitment


def _save_training(recruitment, session_start, session_end, completed, certified, user):
    Training.objects.update_or_create(
        recruitment=recruitment,
        defaults={
            "session_start": session_start,
            "session_end": session_end,
            "completed": completed,
            "certified": certified,
            "recorded_by": user,
            "recorded_at": timezone.now(),
        },
    )


def recruitment_deploy(
    *, work_item, user, started_at: date, place=None, new_place_name="", new_place_address="", request=None
) -> Recruitment:
    """Deployment: the advisor record, their account (invited by e-mail) and principal place; the advisor is active."""
    errors = {}
    if started_at is None:
        errors["started_at"] = "Indiquez la date de prise de poste."
    if place is None and not (new_place_name.strip() and new_place_address.strip()):
        errors["place"] = "Choisissez le lieu d'activité principal ou décrivez un nouveau lieu (nom et adresse)."
    if errors:
        raise ValidationError(errors)
    with _performing(work_item, user, Step.RECRUITMENT_DEPLOYMENT) as activation:
        recruitment = (
            Recruitment.objects.select_for_update()
            .select_related("structure", "candidate")
            .get(pk=work_item.subject_id)
        )
        structure, candidate = recruitment.structure, recruitment.candidate
        if recruitment.contract_start and started_at < recruitment.contract_start:
            raise ValidationError({"started_at": "La prise de poste ne peut pas précéder le début du contrat."})
        if recruitment.contract_end and started_at > recruitment.contract_end:
            raise ValidationError({"started_at": "La prise de poste ne peut pas suivre la fin du contrat."})
        if place is not None and place.structure_id != structure.pk:
            raise ValidationError({"place": "Ce lieu n'appartient pas à la structure."})
        training = getattr(recruitment, "training", None)
        advisor = Advisor.objects.create(
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            email=candidate.email,
            phone=candidate.phone,
            structure=structure,
            status=AdvisorStatus.ACTIVE,
            started_at=started_at,
            training_start=training.session_start if training else None,
            training_end=training.session_end if training else None,
            certified=bool(training and training.certified),
            is_coordinator=recruitment.is_coordinator_post,
        )
        if place is None:
            commune = structure.commune
            place = Place.objects.create(
                name=new_place_name.strip(),
                address=new_place_address.strip(),
                postal_code=structure.postal_code,
                commune=commune,
                latitude=structure.latitude or commune.latitude,
                longitude=structure.longitude or commune.longitude,
                structure=structure,
            )
        PlaceAssignment.objects.create(place=place, advisor=advisor, is_principal=True)
        recruitment.advisor = advisor
        recruitment.started_at = started_at
        recruitment.status = RecruitmentStatus.ACTIVE
        recruitment.save(update_fields=["advisor", "started_at", "status", "updated_at"])
        candidate.status = CandidateStatus.RECRUITED
        candidate.advisor = advisor
        candidate.save(update_fields=["status", "advisor", "updated_at"])
        account, _ = user_invite(
            email=candidate.email,
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            role=Role.ADVISOR,
            invited_by=user,
            request=request,
            advisor=advisor,
        )
        advisor.user = account
        advisor.save(update_fields=["user"])
        decision_record(
            kind=Kind.RECRUITMENT,
            subject=recruitment,
            verdict=Verdict.DEPLOYED,
            actor=user,
            step=Step.RECRUITMENT_DEPLOYMENT,
            reason=f"Lieu principal : {place.name}",
            process=activation.process,
            request=request,
        )
    notifications.advisor_welcome(recruitment)
    return recruitment


@transaction.atomic
def recruitment_cancel(*, recruitment, user, message_to_applicant: str = "", request=None) -> Recruitment:
    """The structure (or the national team) cancels a recruitment not yet active; the message goes to the candidate."""
    if not scopes.visible_recruitments(user).filter(pk=recruitment.pk).exists():
        raise PermissionDenied("Ce recrutement est hors de votre périmètre.")
    if scopes.active_role(user) not in (Role.STRUCTURE_MANAGER, Role.NATIONAL):
        raise PermissionDenied("Seule la structure peut annuler ce recrutement.")
    recruitment = _locked(Recruitment, recruitment.pk)
    if recruitment.status not in (RecruitmentStatus.PRESELECTED, *RECRUITMENT_IN_PROGRESS):
        raise AlreadyProcessed("Ce recrutement est déjà clos.")
    _cancel_process(recruitment.process, RecruitmentFlow)
    recruitment.status = RecruitmentStatus.CANCELLED
    recruitment.save(update_fields=["status", "updated_at"])
    decision_record(
        kind=Kind.RECRUITMENT,
        subject=recruitment,
        verdict=Verdict.CANCELLED,
        actor=user,
        message_to_applicant=message_to_applicant,
        process=recruitment.process,
        request=request,
    )
    notifications.recruitment_cancelled(recruitment, message_to_applicant)
    return recruitment


# --- Ends of contract ---------------------------------------------------------------------------------------------


@transaction.atomic
def rupture_notify(*, advisor, user, end_date: date, motive: str, comment: str = "", request=None) -> Rupture:
    """The structure notifies an end of contract (date ≤ contract end, motive): validation by the hub or ANCT."""
    structure = _manager_structure(user)
    if not scopes.visible_advisors(user).filter(pk=advisor.pk, structure=structure).exists():
        raise PermissionDenied("Ce conseiller n'est pas dans votre structure.")
    advisor = Advisor.objects.select_for_update().get(pk=advisor.pk)
    if advisor.status != AdvisorStatus.ACTIVE:
        raise ValidationError("Ce conseiller n'est plus en poste.")
    recruitment = Recruitment.objects.filter(advisor=advisor).first()
    errors = {}
    if end_date is None:
        errors["end_date"] = "Indiquez la date de fin de contrat."
    else:
        if recruitment and recruitment.contract_end and end_date > recruitment.contract_end:
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
    decision_record(
        kind=Kind.RUPTURE,
        subject=rupture,
        verdict=Verdict.NOTIFIED,
        actor=user,
        reason=rupture.get_motive_display(),
        message_to_applicant=comment,
        process=process,
        request=request,
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
    with _performing(work_item, user, Step.RUPTURE_VALIDATION) as activation:
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
        activation.process.decision = decision
        activation.process.save()
        decision_record(
            kind=Kind.RUPTURE,
            subject=rupture,
            verdict=verdict,
            actor=user,
            step=Step.RUPTURE_VALIDATION,
            reason=f"Effective le {rupture.end_date:%d/%m/%Y}" if verdict == Verdict.VALIDATED else "",
            message_to_applicant=comment,
            process=activation.process,
            request=request,
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
    """End the advisor, detach her places, close her recruitment (the post is freed) and revoke her roles."""
    advisor = Advisor.objects.select_for_update().get(pk=rupture.advisor_id)
    advisor.status = AdvisorStatus.ENDED
    advisor.ended_at = rupture.end_date
    advisor.save(update_fields=["status", "ended_at"])
    PlaceAssignment.objects.filter(advisor=advisor).delete()
    Recruitment.objects.filter(advisor=advisor, status=RecruitmentStatus.ACTIVE).update(
        status=RecruitmentStatus.ENDED, updated_at=now
    )
    if advisor.user_id:
        for membership in advisor.user.memberships.active().filter(advisor=advisor):
            membership_revoke(membership=membership, revoked_by=actor, request=request)
    rupture.advisor = advisor
    rupture.status = RuptureStatus.VALIDATED
    rupture.applied_at = now
    rupture.save(update_fields=["status", "applied_at"])
    decision_record(
        kind=Kind.RUPTURE,
        subject=rupture,
        verdict=Verdict.ENDED,
        actor=actor,
        reason=f"Fin de contrat au {rupture.end_date:%d/%m/%Y}",
        process=rupture.process,
        request=request,
    )


def contract_endings_due(now):
    """Validated ruptures whose end date has come (Paris date of `now`) and that are not applied yet."""
    return Rupture.objects.filter(
        status=RuptureStatus.SCHEDULED, applied_at__isnull=True, end_date__lte=timezone.localdate(now)
    ).order_by("end_date", "pk")


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
    if scopes.active_role(user) not in (Role.STRUCTURE_MANAGER, Role.NATIONAL):
        raise PermissionDenied("Seule la structure ou l'équipe nationale peut annuler cette fin de contrat.")
    if len(comment.strip()) < 10:
        raise ValidationError(
            {"comment": "Expliquez pourquoi la fin de contrat est annulée (10 caractères au moins)."}
        )
    rupture = _locked(Rupture, rupture.pk)
    if rupture.status not in OPEN_RUPTURE_STATUSES:
        raise AlreadyProcessed("Cette fin de contrat est déjà appliquée ou annulée.")
    _cancel_process(rupture.process, RuptureFlow)
    rupture.status = RuptureStatus.CANCELLED
    rupture.save(update_fields=["status"])
    decision_record(
        kind=Kind.RUPTURE,
        subject=rupture,
        verdict=Verdict.CANCELLED,
        actor=user,
        message_to_applicant=comment,
        process=rupture.process,
        request=request,
    )
    notifications.advisor_contract_ending_cancelled(rupture, comment)
    return rupture


def rupture_provide_documents(*, work_item, user, answer: str, request=None) -> Rupture:
    """The structure answers the request for documents; the end of contract goes back to validation."""
    if len(answer.strip()) < 10:
        raise ValidationError({"answer": "Décrivez les pièces transmises (10 caractères au moins)."})
    with _performing(work_item, user, Step.RUPTURE_DOCUMENTS) as activation:
        rupture = _locked(Rupture, work_item.subject_id)
        rupture.documents_answer = answer
        rupture.status = RuptureStatus.NOTIFIED
        rupture.save(update_fields=["documents_answer", "status"])
        decision_record(
            kind=Kind.RUPTURE,
            subject=rupture,
            verdict=Verdict.DOCUMENTS_PROVIDED,
            actor=user,
            step=Step.RUPTURE_DOCUMENTS,
            message_to_applicant=answer,
            process=activation.process,
            request=request,
        )
    notifications.rupture_documents_provided(rupture)
    return rupture


# --- Training results import ----------------------------------------------------------------------------------------

TRAINING_COLUMNS = ["email", "date_debut", "date_fin", "terminee", "certifie"]


def _parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("oui", "o", "1", "true", "vrai", "yes"):
        return True
    if lowered in ("non", "n", "0", "false", "faux", "no", ""):
        return False
    raise ValueError(value)


def training_import(*, user, text: str, request=None) -> list[dict]:
    """Apply a training operator's CSV (email;date_debut;date_fin;terminee;certifie), row by row.

    Each row is its own transaction; the report says, per line, what happened and why.
    """
    import csv
    import io

    from workflows.enums import TrainingImportOutcome

    sample = text[:2048]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [column for column in TRAINING_COLUMNS if column not in headers]
    if missing:
        raise ValidationError(f"Colonnes manquantes : {', '.join(missing)}.")
    report = []
    for line_number, raw in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        email = row.get("email", "").lower()
        outcome = {"line": line_number, "email": email, "outcome": TrainingImportOutcome.ERROR, "message": ""}
        try:
            session_start, session_end = parse_date(row["date_debut"]), parse_date(row["date_fin"])
        except DateInputError as error:
            # The same bounded reader as the forms: a year 9999 is refused here too, with the window in the message.
            outcome["message"] = f"Date invalide (format attendu : JJ/MM/AAAA) : {error.message}"
            report.append(outcome)
            continue
        try:
            completed, certified = _parse_bool(row["terminee"]), _parse_bool(row["certifie"])
        except ValueError:
            outcome["message"] = "Valeur invalide pour terminee ou certifie (oui/non)."
            report.append(outcome)
            continue
        work_item = (
            scopes.visible_work_items(user)
            .filter(is_open=True, step=Step.RECRUITMENT_TRAINING)
            .filter(subject_id__in=Recruitment.objects.filter(candidate__email__iexact=email).values("pk"))
            .select_related("task")
            .first()
        )
        if work_item is None:
            outcome["outcome"] = TrainingImportOutcome.SKIPPED
            outcome["message"] = "Aucun conseiller en formation avec cette adresse dans votre périmètre."
            report.append(outcome)
            continue
        try:
            recruitment_record_training(
                work_item=work_item,
                user=user,
                session_start=session_start,
                session_end=session_end,
                completed=completed,
                certified=certified,
                internal_note="Import du fichier de l'organisme de formation",
                request=request,
            )
        except ValidationError as error:
            outcome["message"] = " ".join(error.messages)
        except (AlreadyProcessed, PermissionDenied) as error:
            outcome["message"] = str(error)
        else:
            outcome["outcome"] = TrainingImportOutcome.UPDATED
            outcome["message"] = (
                "Formation terminée : prise de poste à enregistrer." if completed else "Dates enregistrées."
            )
        report.append(outcome)
    return report
