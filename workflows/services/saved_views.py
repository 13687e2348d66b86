"""Saved views of the task lists (name a filter set, find it in the side menu) and the visits that mark new rows."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from accounts import roles
from accounts.decorators import AGENT_ROLES
from accounts.models import User
from workflows.filters import LISTS, query_without_page
from workflows.models import ListVisit, SavedView

SAVED_VIEWS_MAX = 20
NAME_MAX = 60
QUERY_MAX = 1000
# Two tabs, or a reload right after a visit, keep the markers of the visit before.
VISIT_WINDOW = timedelta(minutes=10)


def _check_user(user) -> None:
    if roles.active_role(user) not in AGENT_ROLES:
        raise PermissionDenied


def _clean(*, user, list_name, name, query, instance=None) -> tuple[str, str]:
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "Donnez un nom à cette vue."
    elif len(name) > NAME_MAX:
        errors["name"] = f"{NAME_MAX} caractères au maximum."
    elif (
        SavedView.objects.filter(user=user, list_name=list_name, name=name)
        .exclude(pk=instance.pk if instance else None)
        .exists()
    ):
        errors["name"] = "Vous avez déjà une vue de ce nom pour cette liste : choisissez-en un autre."
    query = query_without_page(QueryDict(query or ""))
    if len(query) > QUERY_MAX:
        errors["query"] = "Ces filtres sont trop longs pour être enregistrés."
    if errors:
        raise ValidationError(errors)
    return name, query


@transaction.atomic
def saved_view_create(*, user, list_name, name, query, request=None) -> SavedView:
    """Save the filters and sort of a task list under a name (at most SAVED_VIEWS_MAX views per user)."""
    _check_user(user)
    if list_name not in LISTS:
        raise ValidationError({"list_name": "Cette liste n'existe pas."})
    # Serialise a user's creations so that two tabs cannot both pass the cap.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if SavedView.objects.filter(user=user).count() >= SAVED_VIEWS_MAX:
        raise ValidationError(
            f"Vous avez déjà {SAVED_VIEWS_MAX} vues enregistrées, le maximum : supprimez-en une avant d'en créer "
            "une autre."
        )
    name, query = _clean(user=user, list_name=list_name, name=name, query=query)
    return SavedView.objects.create(user=user, list_name=list_name, name=name, query=query)


def saved_view_rename(*, saved_view, user, name, request=None) -> SavedView:
    """Rename one of one's saved views."""
    _check_user(user)
    if saved_view.user_id != user.pk:
        raise PermissionDenied
    saved_view.name, _ = _clean(
        user=user, list_name=saved_view.list_name, name=name, query=saved_view.query, instance=saved_view
    )
    saved_view.save(update_fields=["name"])
    return saved_view


def saved_view_delete(*, saved_view, user, request=None) -> None:
    """Delete one of one's saved views."""
    _check_user(user)
    if saved_view.user_id != user.pk:
        raise PermissionDenied
    saved_view.delete()


def list_visit_record(*, user, list_name, request=None):
    """Record a visit of a list's first page; returns the time since which rows are "nouveau" (None the first time).

    A visit within VISIT_WINDOW of the last one keeps the previous reference, so that a reload or a second tab does
    not make the markers vanish at once."""
    now = timezone.now()
    visit = ListVisit.objects.filter(user=user, list_name=list_name).first()
    if visit is None:
        ListVisit.objects.create(user=user, list_name=list_name, visited_at=now)
        return None
    if now - visit.visited_at >= VISIT_WINDOW:
        visit.previous_visit_at = visit.visited_at
    visit.visited_at = now
    ListVisit.objects.filter(pk=visit.pk).update(visited_at=now, previous_visit_at=visit.previous_visit_at)
    return visit.previous_visit_at


def list_new_since(*, user, list_name):
    """The time since which rows are "nouveau", read without recording a visit (pages after the first)."""
    return ListVisit.objects.filter(user=user, list_name=list_name).values_list("previous_visit_at", flat=True).first()
