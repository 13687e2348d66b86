"""Template context for the site header: the active role and the roles the user may switch to."""

from django.conf import settings

from accounts import roles


def navigation(request):
    user = getattr(request, "user", None)
    context = {"PROCONNECT_ENABLED": settings.PROCONNECT_ENABLED}
    if user is None or not user.is_authenticated:
        return context
    membership = roles.active_membership(user)
    context["active_membership"] = membership
    context["active_role"] = membership.role if membership else None
    # Evaluated lazily: only the header's role switch reads it.
    context["user_memberships"] = user.memberships.active().with_scope()
    return context
