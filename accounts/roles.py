"""Memberships and the active role, and the one public entry that answers "what may this user see?".

Every view, export and API endpoint starts from scoped querysets, so that an object outside the user's active
scope is simply absent (and a lookup of it answers 404). Each app declares the rule for its own models beside
them (`directory/scopes.py`, `workflows/scopes.py`, `reporting/scopes.py`) with `@scope_rule(Model)`, so that
accounts never imports the apps above it; `restrict(queryset, user)` applies the rule of the queryset's model.
Rules take the user and read their active membership; a user without one sees nothing.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

from accounts.enums import Role
from accounts.models import Membership
from territories.models import Department

_CACHE_ATTRIBUTE = "_scope_membership"

ScopeRule = Callable[..., QuerySet]
_RULES: dict[type[Model], ScopeRule] = {}


def scope_rule(model: type[Model]) -> Callable[[ScopeRule], ScopeRule]:
    """Register the decorated `rule(user) -> QuerySet` as what restrict() applies to querysets of model."""

    def register(rule: ScopeRule) -> ScopeRule:
        known = _RULES.get(model)
        if known is not None and (known.__module__, known.__qualname__) != (rule.__module__, rule.__qualname__):
            raise ImproperlyConfigured(
                f"{model._meta.label} already has a scope rule ({known.__module__}.{known.__qualname__})."
            )
        _RULES[model] = rule
        return rule

    return register


def restrict(queryset: QuerySet, user) -> QuerySet:
    """The rows of a model queryset that the user may see, by the rule registered for its model.

    A model without a rule is a programming error, never an unrestricted queryset."""
    rule = _RULES.get(queryset.model)
    if rule is None:
        raise ImproperlyConfigured(
            f"No scope rule is registered for {queryset.model._meta.label}: declare one with @scope_rule in the "
            "scopes module of its app (imported by its AppConfig.ready())."
        )
    return queryset & rule(user)


def scope_rule_of(model: type[Model]):
    """The scope rule registered for a model: `rule(user)` is the queryset of its rows the user may see."""
    rule = _RULES.get(model)
    if rule is None:
        raise ImproperlyConfigured(f"No scope rule is registered for {model._meta.label}.")
    return rule


def scoped_models() -> list[type[Model]]:
    """The models restrict() knows a rule for."""
    return sorted(_RULES, key=lambda model: model._meta.label)


def active_membership(user) -> Membership | None:
    """The membership the user works under: the chosen one while still valid, otherwise their oldest active one."""
    if user is None or not user.is_authenticated:
        return None
    if hasattr(user, _CACHE_ATTRIBUTE):
        return getattr(user, _CACHE_ATTRIBUTE)
    membership = user.active_membership
    if membership is None or membership.revoked_at is not None:
        membership = user.memberships.active().with_scope().first()
    setattr(user, _CACHE_ATTRIBUTE, membership)
    return membership


def act_as(user, membership: Membership) -> None:
    """Read the user's scope from this membership (commands that work through each of a user's roles)."""
    setattr(user, _CACHE_ATTRIBUTE, membership)


def forget_active_membership(user) -> None:
    """Drop the cached membership after a role switch or a revocation."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def active_role(user) -> str | None:
    membership = active_membership(user)
    return membership.role if membership else None


def is_national(user) -> bool:
    return active_role(user) == Role.NATIONAL


@scope_rule(Department)
def visible_departments(user) -> QuerySet[Department]:
    """Departments whose data the user may see as a territorial agent (all of them for national admins)."""
    membership = active_membership(user)
    if membership is None:
        return Department.objects.none()
    if membership.role == Role.NATIONAL:
        return Department.objects.all()
    if membership.role == Role.PREFECTURE:
        if membership.department_id:
            return Department.objects.filter(pk=membership.department_id)
        return Department.objects.filter(region_id=membership.region_id)
    if membership.role == Role.HUB:
        return Department.objects.filter(hubs=membership.hub_id)
    if membership.role == Role.STRUCTURE_MANAGER:
        return Department.objects.filter(structures=membership.structure_id)
    return Department.objects.none()


def is_territorial(membership: Membership) -> bool:
    """A prefecture or hub membership: its scope is a set of departments."""
    return membership.role in (Role.PREFECTURE, Role.HUB)


def department_codes(membership: Membership):
    """A subquery of department codes for a prefecture or hub membership."""
    if membership.role == Role.PREFECTURE and membership.department_id:
        return [membership.department_id]
    if membership.role == Role.PREFECTURE:
        return Department.objects.filter(region_id=membership.region_id).values("code")
    return Department.objects.filter(hubs=membership.hub_id).values("code")
