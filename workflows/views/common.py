"""Helpers shared by the espace agents views: access, pagination with a bounded count, form errors."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from accounts import scopes
from accounts.enums import Role

AGENT_ROLES = {Role.STRUCTURE_MANAGER, Role.PREFECTURE, Role.HUB, Role.NATIONAL}
MAX_COUNT = 1000


def agent_required(view):
    """Logged-in users working as a structure manager, prefecture or hub agent, or national admin."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if scopes.active_role(request.user) not in AGENT_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if scopes.active_role(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class BoundedPaginator(Paginator):
    """Counts at most MAX_COUNT + 1 rows, so that a page costs the same whatever the size of the queue."""

    @cached_property
    def count(self):
        # Ordering is useless to a count and would make the database sort the whole list first.
        return self.object_list.order_by()[: MAX_COUNT + 1].count()

    @property
    def count_is_capped(self) -> bool:
        return self.count > MAX_COUNT


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching fields (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
