"""403 and 404 pages that name the user's other role under which the page opens, and offer to switch to it."""

from django.db import transaction
from django.shortcuts import render
from django.urls import Resolver404, resolve

from accounts import roles
from common.api_errors import error_response, is_api_path

# Enough for every real combination of roles; bounds the work of an error page.
MAX_ROLES_TRIED = 6


def _opens_under(request, match, membership) -> bool:
    """Replay the request as if the user worked under `membership`, writing nothing (GET only, rolled back)."""
    roles.act_as(request.user, membership)
    try:
        with transaction.atomic():
            response = match.func(request, *match.args, **match.kwargs)
            transaction.set_rollback(True)
    except Exception:  # noqa: BLE001 - refused (403, 404) or failing under that role too: an error page never fails
        return False
    finally:
        roles.forget_active_membership(request.user)
    # Not response.close(): it sends request_finished, whose handler closes the database connection in the middle
    # of the real request. A file response only needs its file closed.
    stream = getattr(response, "file_to_stream", None)
    if stream is not None:
        stream.close()
    return 200 <= response.status_code < 300


def roles_that_open(request) -> list:
    """The user's other active memberships under which this page would open."""
    user = getattr(request, "user", None)
    if request.method not in ("GET", "HEAD") or user is None or not user.is_authenticated:
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    current = roles.active_membership(user)
    others = user.memberships.active().with_scope().exclude(pk=getattr(current, "pk", None))[:MAX_ROLES_TRIED]
    found = [membership for membership in others if _opens_under(request, match, membership)]
    if current is not None:
        roles.act_as(user, current)
    return found


def permission_denied(request, exception=None):
    """handler403: the DSFR page, with the roles of the user that may open this page."""
    return render(request, "403.html", {"switch_roles": roles_that_open(request)}, status=403)


def page_not_found(request, exception=None):
    """handler404: the DSFR page; an object of another of the user's scopes offers the switch instead of a dead end.

    Under /api/ the API's JSON error instead (no page, no role replay)."""
    if is_api_path(request.path_info):
        return error_response(404, message="Rien à cette adresse de l'API. Documentation : /api/docs.")
    return render(request, "404.html", {"switch_roles": roles_that_open(request)}, status=404)
