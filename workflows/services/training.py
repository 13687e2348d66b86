"""The training step of a recruitment: the decision form and the training operator's CSV import both record it
here."""

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from common.dates import DateInputError, parse_date
from workflows import notifications, scopes
from workflows.enums import Kind, RecruitmentStatus, Step, TrainingImportOutcome, Verdict
from workflows.models import Decision, Recruitment, Training, WorkItem
from workflows.services.common import AlreadyProcessed, DecisionLog, check_can_act, locked, performing


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
        current = WorkItem.objects.open().select_for_update().filter(pk=work_item.pk).first()
        if work_item.step != Step.RECRUITMENT_TRAINING or current is None:
            raise AlreadyProcessed
        if current.owner_id not in (None, user.pk) and not roles.is_national(user):
            raise PermissionDenied(f"Cette tâche est prise en charge par {current.owner}.")
        recruitment = locked(Recruitment, work_item.subject_id)
        _save_training(recruitment, session_start, session_end, False, False, user)
        DecisionLog.of_task(work_item, user, request).record(
            recruitment, Verdict.TRAINED, reason="Dates de formation enregistrées", internal_note=internal_note
        )
        return recruitment
    with performing(work_item, user, Step.RECRUITMENT_TRAINING, request=request) as log:
        recruitment = locked(Recruitment, work_item.subject_id)
        _save_training(recruitment, session_start, session_end, True, certified, user)
        recruitment.status = RecruitmentStatus.DEPLOYMENT
        recruitment.save(update_fields=["status", "updated_at"])
        log.record(
            recruitment,
            Verdict.TRAINED,
            reason="Formation terminée, certifié" if certified else "Formation terminée, non certifié",
            internal_note=internal_note,
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
            .open()
            .filter(step=Step.RECRUITMENT_TRAINING)
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
