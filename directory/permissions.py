"""Access to the Espace Coop: advisors and coordinators (active role) only; coordinators alone see their team."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts import scopes
from accounts.enums import Role

COOP_ROLES = (Role.ADVISOR, Role.COORDINATOR)


def coop_required(view):
    """The active role is advisor or coordinator; the view gets `request.advisor` (403 for every other role)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        membership = scopes.active_membership(request.user)
        if membership is None or membership.role not in COOP_ROLES or membership.advisor is None:
            raise PermissionDenied
        request.advisor = membership.advisor
        request.is_coordinator = membership.role == Role.COORDINATOR
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_required(view):
    """The active role is coordinator (403 otherwise, advisors included)."""

    @wraps(view)
    @coop_required
    def wrapper(request, *args, **kwargs):
        if not request.is_coordinator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
