"""Reads of the recruitment parcours shared by views, services and commands (every write is in services)."""

from django.db.models import Count

from directory.enums import AdvisorStatus
from directory.models import Advisor
from workflows import scopes
from workflows.enums import Step
from workflows.models import Decision, Recruitment, Rupture, WorkItem


def queue_items(user):
    """Open tasks nobody took, at the steps the user's role may act on, in their territory or structure."""
    return scopes.visible_work_items(user).open().filter(owner__isnull=True, step__in=scopes.actionable_steps(user))


def inbox_items(user):
    """Open tasks the user took (still within their current scope)."""
    return scopes.visible_work_items(user).open().filter(owner=user)


def step_counts(items) -> list[tuple[str, str, int]]:
    """(step, label, count) for each step present: one aggregate query."""
    rows = items.order_by().values("step").annotate(n=Count("pk"))
    return sorted(((row["step"], Step(row["step"]).label, row["n"]) for row in rows), key=lambda r: r[1])


def timeline(kind, subject_id):
    """The decision log of one dossier (or candidacy), oldest first."""
    return Decision.objects.filter(kind=kind, subject_id=subject_id).order_by("created_at", "pk")


def open_work_item(kind, subject_id, step=None):
    """The open task of a dossier (at a given step), or None."""
    items = WorkItem.objects.open().select_related("task", "owner").filter(kind=kind, subject_id=subject_id)
    if step:
        items = items.filter(step=step)
    return items.order_by("pk").first()


def free_posts(structure, *, exclude=None) -> int:
    """Posts granted minus recruitments in progress minus active advisors (the programme's quota rule)."""
    in_progress = Recruitment.objects.in_progress().filter(structure=structure)
    if exclude is not None:
        in_progress = in_progress.exclude(pk=exclude.pk)
    active = Advisor.objects.filter(structure=structure, status=AdvisorStatus.ACTIVE).count()
    return structure.posts_granted - in_progress.count() - active


def contract_endings_due(now):
    """Validated ruptures whose end date has come (Paris date of `now`) and that are not applied yet."""
    return Rupture.objects.due(now).order_by("end_date", "pk")
