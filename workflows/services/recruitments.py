"""The recruitments' parcours: preselection, contract, prefecture review, hub validation, deployment, cancellation
(the training step is in workflows/services/training.py)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import roles
from accounts.enums import Role
from accounts.services import user_invite
from directory import conventions
from directory.enums import AdvisorStatus, StructureStatus
from directory.models import Advisor, Place, PlaceAssignment, Structure
from territories.utils import distance_km
from workflows import notifications, scopes
from workflows.enums import (
    OPEN_RECRUITMENT_STATUSES,
    CandidateStatus,
    ContractType,
    Kind,
    PrefectureOpinion,
    RecruitmentHubDecision,
    RecruitmentStatus,
    Step,
    Verdict,
)
from workflows.flows import RecruitmentFlow
from workflows.models import AdvisorApplication, Recruitment
from workflows.selectors import free_posts
from workflows.services.common import (
    AlreadyProcessed,
    DecisionLog,
    cancel_process,
    locked,
    manager_structure,
    performing,
    require_reason,
    require_send_back_note,
    smic_error,
    validate_opinion,
)
from workflows.services.coordinators import coordinator_recruitment_deployed


def _check_quota(recruitment) -> None:
    structure = Structure.objects.select_for_update().get(pk=recruitment.structure_id)
    if free_posts(structure, exclude=recruitment) < 1:
        raise ValidationError(
            f"Plus aucun poste disponible : {structure.posts_granted} poste(s) attribué(s), tous occupés par des "
            "conseillers en poste ou des recrutements en cours."
        )


@transaction.atomic
def recruitment_preselect(*, candidate, user, request=None) -> Recruitment:
    """A structure manager preselects an available candidate: the recruitment parcours starts (contract to propose)."""
    structure = manager_structure(user)
    if structure.status != StructureStatus.VALIDATED:
        raise PermissionDenied("Votre structure n'est pas validée.")
    if not user.has_perm("workflows.manage_recruitment"):
        raise PermissionDenied
    candidate = locked(AdvisorApplication, candidate.pk)
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
    DecisionLog(kind=Kind.RECRUITMENT, actor=user, process=process, request=request).record(
        recruitment, Verdict.PRESELECTED
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
    if smic_error(salary):
        errors["salary"] = smic_error(salary)
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
    with performing(work_item, user, Step.RECRUITMENT_CONTRACT, request=request) as log:
        recruitment = locked(Recruitment, work_item.subject_id)
        _check_quota(recruitment)
        recruitment.contract_type = contract_type
        recruitment.contract_start = contract_start
        recruitment.contract_end = contract_end if contract_type != ContractType.CDI else None
        recruitment.salary = salary
        recruitment.is_coordinator_post = is_coordinator_post
        recruitment.proposed_at = timezone.now()
        recruitment.status = RecruitmentStatus.PREFECTURE_REVIEW
        recruitment.save()
        log.record(
            recruitment,
            Verdict.PROPOSED,
            reason=f"{recruitment.get_contract_type_display()}, {salary} € brut mensuel",
            message_to_applicant=message_to_applicant,
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
    validate_opinion(opinion, internal_note)
    reason_label = require_reason(reason, message_to_applicant) if opinion == PrefectureOpinion.UNFAVORABLE else ""
    with performing(work_item, user, Step.RECRUITMENT_PREFECTURE, request=request) as log:
        recruitment = locked(Recruitment, work_item.subject_id)
        favorable = opinion == PrefectureOpinion.FAVORABLE
        recruitment.status = RecruitmentStatus.HUB_VALIDATION if favorable else RecruitmentStatus.REFUSED
        recruitment.refusal_reason = "" if favorable else reason
        recruitment.save(update_fields=["status", "refusal_reason", "updated_at"])
        log.process.prefecture_favorable = favorable
        log.process.save()
        log.record(
            recruitment,
            Verdict.FAVORABLE if favorable else Verdict.REFUSED,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
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
    reason_label = require_reason(reason, message_to_applicant) if decision == RecruitmentHubDecision.REFUSE else ""
    if decision == RecruitmentHubDecision.SEND_BACK:
        require_send_back_note(internal_note)
    with performing(work_item, user, Step.RECRUITMENT_HUB, request=request) as log:
        recruitment = locked(Recruitment, work_item.subject_id)
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
        log.process.hub_decision = decision
        log.process.save()
        log.record(
            recruitment,
            verdict,
            reason=reason_label,
            internal_note=internal_note,
            message_to_applicant=message_to_applicant,
        )
    if decision == RecruitmentHubDecision.VALIDATE:
        notifications.recruitment_validated(recruitment, message_to_applicant)
    elif decision == RecruitmentHubDecision.REFUSE:
        notifications.recruitment_refused(recruitment, reason_label, message_to_applicant)
    else:
        notifications.recruitment_sent_back(recruitment, internal_note)
    return recruitment


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
    with performing(work_item, user, Step.RECRUITMENT_DEPLOYMENT, request=request) as log:
        recruitment = (
            Recruitment.objects.select_for_update()
            .select_related("structure", "candidate")
            .get(pk=work_item.subject_id)
        )
        structure, candidate = recruitment.structure, recruitment.candidate
        if recruitment.contract_start and started_at < recruitment.contract_start:
            raise ValidationError({"started_at": "La prise de poste ne peut pas précéder le début du contrat."})
        if recruitment.contract_end and started_at >= recruitment.contract_end:
            raise ValidationError({"started_at": "La prise de poste doit précéder la fin du contrat."})
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
        # The contract history starts here: the contract runs from the start of work to the contract's end.
        recruitment.contract = conventions.contract_open(
            advisor=advisor,
            structure=structure,
            contract_type=recruitment.contract_type,
            start=started_at,
            end=recruitment.contract_end,
            salary=recruitment.salary,
            is_coordinator_post=recruitment.is_coordinator_post,
        )
        recruitment.save(update_fields=["advisor", "started_at", "status", "contract", "updated_at"])
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
        log.record(recruitment, Verdict.DEPLOYED, reason=f"Lieu principal : {place.name}")
        if recruitment.is_coordinator_post:
            # Designated as a coordinator post: she becomes the coordinator now (role granted).
            coordinator_recruitment_deployed(recruitment=recruitment, advisor=advisor, actor=user, request=request)
    notifications.advisor_welcome(recruitment)
    return recruitment


@transaction.atomic
def recruitment_cancel(*, recruitment, user, message_to_applicant: str = "", request=None) -> Recruitment:
    """The structure (or the national team) cancels a recruitment not yet active; the message goes to the candidate."""
    if not scopes.visible_recruitments(user).filter(pk=recruitment.pk).exists():
        raise PermissionDenied("Ce recrutement est hors de votre périmètre.")
    if roles.active_role(user) not in (Role.STRUCTURE_MANAGER, Role.NATIONAL):
        raise PermissionDenied("Seule la structure peut annuler ce recrutement.")
    recruitment = locked(Recruitment, recruitment.pk)
    if recruitment.status not in OPEN_RECRUITMENT_STATUSES:
        raise AlreadyProcessed("Ce recrutement est déjà clos.")
    cancel_process(recruitment.process, RecruitmentFlow)
    recruitment.status = RecruitmentStatus.CANCELLED
    recruitment.save(update_fields=["status", "updated_at"])
    DecisionLog(kind=Kind.RECRUITMENT, actor=user, process=recruitment.process, request=request).record(
        recruitment, Verdict.CANCELLED, message_to_applicant=message_to_applicant
    )
    notifications.recruitment_cancelled(recruitment, message_to_applicant)
    return recruitment
