"""The side menu's saved views: each with its count in the current scope (one aggregate query per list), at most
MENU_COUNTS_SECONDS old: the menu is on every espace page, the "Mes vues" page and the lists themselves count live."""

import hashlib

from django import template
from django.core.cache import cache

from accounts import roles
from accounts.decorators import AGENT_ROLES
from workflows import scopes
from workflows.filters import saved_view_counts
from workflows.views.saved_views import SESSION_KEY, saved_view_url

register = template.Library()

# Whether the user has saved views is remembered in the session (SESSION_KEY): the other pages of an agent without
# any cost no query; these pages always read them (and refresh it), creating or deleting a view resets it.
READING_PAGES = {"workflows:home", "workflows:queue", "workflows:inbox", "workflows:saved_views"}
# At national scale the counts of 20 views cost ~28 ms (bench/workflows_lists.py): kept this long for the menu.
MENU_COUNTS_SECONDS = 30


def _menu_counts(user, views) -> dict[int, int]:
    """The views' counts, shared for MENU_COUNTS_SECONDS by the pages of the same user, role and views."""
    signature = repr([(view.pk, view.list_name, view.query) for view in views]).encode()
    membership = roles.active_membership(user)
    key = f"saved-view-counts:{user.pk}:{membership.pk if membership else 0}:{hashlib.sha256(signature).hexdigest()}"
    counts = cache.get(key)
    if counts is None:
        counts = saved_view_counts(user, views)
        cache.set(key, counts, MENU_COUNTS_SECONDS)
    return counts


@register.inclusion_tag("workflows/espace/instruction/_saved_views_items.html", takes_context=True)
def saved_views_menu(context) -> dict:
    """The saved views of the user for the side menu (none outside the espace agents' roles)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or roles.active_role(user) not in AGENT_ROLES:
        return {"views": []}
    match = getattr(request, "resolver_match", None)
    if request.session.get(SESSION_KEY) is not True and (match is None or match.view_name not in READING_PAGES):
        return {"views": []}
    views = list(scopes.visible_saved_views(user))
    if request.session.get(SESSION_KEY) is not bool(views):
        request.session[SESSION_KEY] = bool(views)
    counts = _menu_counts(user, views) if views else {}
    current = request.get_full_path()
    entries = [
        {
            "name": view.name,
            "url": (url := saved_view_url(view)),
            "count": counts.get(view.pk),
            "current": url == current,
        }
        for view in views
    ]
    return {"views": entries}
