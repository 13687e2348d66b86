"""Bulk actions on selected dossiers (a decision allowed in bulk, an assignment, a label): the selection re-read
through the user's scope, the confirmation's summary (nothing written), then a job whose every dossier is handled
in its own transaction, under its own lock, by the same service as a single action, and keeps its own outcome."""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import roles
from workflows import scopes, tasks
from workflows.audiences import reads_internal_notes
from workflows.bulk_decisions import NotEligible, bulk_decision
from workflows.enums import BulkAction, Step
from workflows.filters import filtered_work_items
from workflows.models import BulkJob, BulkJobItem, WorkItem
from workflows.services.assignment import agent_label
from workflows.services.bulk_run import OTHER_STEP, bulk_job_run
from workflows.services.labels import clean_label_name

INLINE_LIMIT = 20  # larger selections run as background tasks
PARTS = 4  # the background tasks of a large job, run side by side by the task workers
MAX_SELECTION = 2000
LISTS = ("queue", "inbox")


def _check_agent(user) -> None:
    if user is None or not user.is_authenticated or not reads_internal_notes(roles.active_role(user)):
        raise PermissionDenied("Les traitements groupés sont réservés aux agents.")


# --- The selection ------------------------------------------------------------------------------------------------


@dataclass
class Selection:
    """The open tasks of a selection the user may see, and how many selected ones were left out."""

    items: list = field(default_factory=list)
    dropped: int = 0
    error: str = ""


def list_rows(user, list_name: str, query_string: str):
    """The rows of a task list ("queue" or "inbox") under its filters' query string (none when a filter is invalid)."""
    filterset, rows = filtered_work_items(user, "inbox" if list_name == "inbox" else "queue", query_string)
    return rows if not filterset.is_bound or filterset.is_valid() else rows.none()


def _ids(values) -> list[int]:
    seen = {}
    for value in values:
        value = str(value).strip()
        if value.isdigit() and len(value) < 19:
            seen.setdefault(int(value), None)
    return list(seen)


def bulk_selection(*, user, item_ids=(), list_name: str = "", query: str = "") -> Selection:
    """The open tasks of the selection, always re-read through the user's scope: ids out of scope (or closed since)
    are dropped and counted; "all the rows of a list" is the list's rows under its filters."""
    _check_agent(user)
    visible = scopes.visible_work_items(user).open()
    if list_name:
        if list_name not in LISTS:
            return Selection(error="Liste inconnue.")
        rows = list_rows(user, list_name, query)
        ids = list(rows.order_by("due_at", "pk").values_list("pk", flat=True)[: MAX_SELECTION + 1])
        asked = len(ids)
    else:
        ids = _ids(item_ids)
        asked = len(ids)
    if not ids:
        return Selection(error="Sélectionnez au moins un dossier.")
    if len(ids) > MAX_SELECTION:
        return Selection(error=f"Sélectionnez au plus {MAX_SELECTION} dossiers : affinez les filtres.")
    items = list(visible.filter(pk__in=ids).select_related("owner").order_by("due_at", "pk"))
    return Selection(items=items, dropped=asked - len(items))


# --- The confirmation's summary -----------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    work_item: WorkItem
    eligible: bool
    outcome: str  # what it will get, or why it cannot take this action


@dataclass
class Preview:
    rows: list
    step_counts: list  # (step label, count)

    @property
    def eligible(self):
        return [row for row in self.rows if row.eligible]

    @property
    def ineligible(self):
        return [row for row in self.rows if not row.eligible]


def _taken_elsewhere(work_item, user, national: bool) -> str:
    if work_item.owner_id and work_item.owner_id != user.pk and not national:
        return f"Déjà pris en charge par {agent_label(work_item.owner)}."
    return ""


def _decision_outcome(decision, work_item, user, national, actionable) -> tuple[bool, str]:
    if work_item.step != decision.step or work_item.step not in actionable:
        return False, OTHER_STEP
    taken = _taken_elsewhere(work_item, user, national)
    if taken:
        return False, taken
    try:
        return True, decision.outcome(work_item)
    except NotEligible as error:
        return False, str(error)


def bulk_preview(*, user, action: str, params: dict, work_items) -> Preview:
    """What the action would do to each dossier of the selection (nothing is written)."""
    _check_agent(user)
    national = roles.is_national(user)
    actionable = set(scopes.actionable_steps(user))
    decision = bulk_decision(params.get("decision", "")) if action == BulkAction.DECIDE else None
    rows = []
    for work_item in work_items:
        if action == BulkAction.DECIDE:
            eligible, outcome = _decision_outcome(decision, work_item, user, national, actionable)
        elif action == BulkAction.ASSIGN:
            if work_item.step not in actionable:
                eligible, outcome = False, OTHER_STEP
            elif work_item.owner_id and work_item.owner_id == params.get("assignee"):
                eligible, outcome = False, f"Déjà confié à {agent_label(work_item.owner)}."
            else:
                taken = _taken_elsewhere(work_item, user, national)
                eligible, outcome = not taken, taken or f"Confié à {params.get('assignee_label', '')}"
        else:
            eligible, outcome = True, f"Étiquette « {params.get('name', '')} »"
        rows.append(PreviewRow(work_item, eligible, outcome))
    steps = Counter(work_item.step for work_item in work_items)
    return Preview(rows=rows, step_counts=sorted((Step(step).label, n) for step, n in steps.items()))


# --- The job ------------------------------------------------------------------------------------------------------


def _check_params(user, action: str, params: dict) -> tuple[str, dict, str]:
    """The job's step, its clean parameters and its summary's verb, or ValidationError."""
    if action == BulkAction.DECIDE:
        decision = bulk_decision(params.get("decision", ""))
        if decision is None or decision.step not in scopes.actionable_steps(user):
            raise ValidationError({"action": "Cette décision n'est pas possible en groupe pour votre rôle."})
        note = (params.get("internal_note") or "").strip()
        if decision.note_required and not 10 <= len(note) <= 1000:
            raise ValidationError({"internal_note": "La note interne doit faire entre 10 et 1 000 caractères."})
        clean = {
            "decision": decision.value,
            "internal_note": note,
            "message_to_applicant": (params.get("message_to_applicant") or "").strip(),
        }
        return decision.step, clean, decision.label
    if action == BulkAction.ASSIGN:
        assignee = get_user_model().objects.filter(pk=params.get("assignee"), is_active=True).first()
        if assignee is None:
            raise ValidationError({"assignee": "Choisissez l'agent à qui confier les dossiers."})
        return "", {"assignee": assignee.pk}, f"Confier à {agent_label(assignee)}"
    if action == BulkAction.LABEL:
        name = clean_label_name(params.get("name", ""))
        return "", {"name": name}, f"Étiquette « {name} »"
    raise ValidationError({"action": "Choisissez une action."})


def bulk_job_create(*, user, action: str, step: str = "", params: dict, work_item_ids, request=None) -> BulkJob:
    """Record a bulk action on the selected tasks the user may see (others dropped and counted), then run it now for
    a small selection or in the background for a large one."""
    _check_agent(user)
    job_step, clean, verb = _check_params(user, action, params)
    if step and job_step and step != job_step:
        raise ValidationError({"action": "La décision ne correspond pas à l'étape choisie."})
    selection = bulk_selection(user=user, item_ids=work_item_ids)
    if selection.error:
        raise ValidationError(selection.error)
    clean["dropped"] = selection.dropped
    total = len(selection.items)
    with transaction.atomic():
        job = BulkJob.objects.create(
            user=user,
            membership=roles.active_membership(user),
            action=action,
            step=job_step,
            params=clean,
            summary=f"{verb} — {total} dossier{'s' if total > 1 else ''}"[:500],
            total=total,
        )
        BulkJobItem.objects.bulk_create(
            BulkJobItem(job=job, work_item=item, kind=item.kind, subject_id=item.subject_id, title=item.title[:255])
            for item in selection.items
        )
    if total <= INLINE_LIMIT:
        return bulk_job_run(job.pk)
    parts = min(PARTS, total)

    def enqueue():
        for part in range(parts):
            tasks.run_bulk_job.enqueue(job_id=job.pk, part=part, parts=parts)

    transaction.on_commit(enqueue)
    return job


def my_bulk_jobs(user):
    """The bulk jobs the user launched, newest first."""
    return scopes.visible_bulk_jobs(user)
