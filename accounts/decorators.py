"""Views open to some active roles only: one factory, and the named decorators every app uses."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.enums import Role
from accounts.roles import active_membership

AGENT_ROLES = (Role.STRUCTURE_MANAGER, Role.PREFECTURE, Role.HUB, Role.NATIONAL)
COOP_ROLES = (Role.ADVISOR, Role.COORDINATOR)
PILOTAGE_ROLES = (Role.NATIONAL, Role.HUB, Role.PREFECTURE, Role.STRUCTURE_MANAGER, Role.COORDINATOR)


def role_required(*roles: str, advisor: bool = False):
    """Anonymous users go to the login page; an active role outside `roles` answers 403.

    With `advisor=True` the membership must also name an advisor, which the view gets as `request.advisor`
    (and `request.is_coordinator`)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            membership = active_membership(request.user)
            if membership is None or membership.role not in roles:
                raise PermissionDenied
            if advisor:
                if membership.advisor is None:
                    raise PermissionDenied
                request.advisor = membership.advisor
                request.is_coordinator = membership.role == Role.COORDINATOR
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Espace agents (/espace/): structure managers, prefecture and hub agents, national admins.
agent_required = role_required(*AGENT_ROLES)
# Espace Coop (/coop/): advisors and coordinators with their advisor record; the team pages are the coordinator's.
coop_required = role_required(*COOP_ROLES, advisor=True)
coordinator_required = role_required(Role.COORDINATOR, advisor=True)
# Tableau de pilotage (/pilotage/).
pilotage_required = role_required(*PILOTAGE_ROLES)
# User management and the audit log.
national_required = role_required(Role.NATIONAL)
