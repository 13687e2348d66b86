"""Writes on tags: create, rename, archive and merge, each checking who may do it (research/domain-coop.md §2.8)."""

import re
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.enums import Role
from accounts.roles import active_membership, department_codes
from directory.models import Advisor
from reporting import scopes
from reporting.enums import TagScope
from reporting.models import ActivityTag, CoordinationActivity, Tag
from territories.models import Department

NAME_MAX_LENGTH = 60
# A merge may only widen who sees the reports' tag: personal → departmental → national (never the other way).
WIDTH = {TagScope.PERSONAL: 0, TagScope.DEPARTMENT: 1, TagScope.NATIONAL: 2}


def normalized(name: str) -> str:
    """The comparison key of a tag name: accents, case and repeated spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", bare).strip().casefold()


def clean_name(name: str) -> str:
    """The name as stored (spaces collapsed), or a ValidationError in French."""
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name:
        raise ValidationError("Indiquez le nom de l'étiquette.")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"Le nom ne peut pas dépasser {NAME_MAX_LENGTH} caractères.")
    return name


def creatable_scopes(user) -> list[str]:
    """The tag scopes the user's active role may create."""
    membership = active_membership(user)
    if membership is None:
        return []
    if membership.role == Role.NATIONAL:
        return [TagScope.NATIONAL, TagScope.DEPARTMENT]
    if membership.role == Role.PREFECTURE:
        return [TagScope.DEPARTMENT]
    if membership.role == Role.COORDINATOR and membership.advisor_id:
        coordinated = Department.objects.filter(coordinators=membership.advisor_id).exists()
        return [TagScope.PERSONAL, TagScope.DEPARTMENT] if coordinated else [TagScope.PERSONAL]
    if membership.role == Role.ADVISOR and membership.advisor_id:
        return [TagScope.PERSONAL]
    return []


def creatable_departments(user) -> QuerySet[Department]:
    """The departments the user may create departmental tags for."""
    membership = active_membership(user)
    if membership is None:
        return Department.objects.none()
    if membership.role == Role.NATIONAL:
        return Department.objects.all()
    if membership.role == Role.PREFECTURE:
        return Department.objects.filter(code__in=department_codes(membership))
    if membership.role == Role.COORDINATOR:
        return Department.objects.filter(coordinators=membership.advisor_id)
    return Department.objects.none()


def _siblings(*, scope: str, owner_id=None, department_id=None) -> QuerySet[Tag]:
    """The live tags a new name must differ from: the same author's, the same department's, or the national ones."""
    tags = Tag.objects.filter(scope=scope, archived_at__isnull=True)
    if scope == TagScope.PERSONAL:
        return tags.filter(owner=owner_id)
    if scope == TagScope.DEPARTMENT:
        return tags.filter(department=department_id)
    return tags


def _check_unique(name: str, siblings: QuerySet[Tag]) -> None:
    key = normalized(name)
    for other in siblings.only("name"):
        if normalized(other.name) == key:
            raise ValidationError(f"Une étiquette « {other.name} » existe déjà : choisissez un autre nom.")


def _lock_keys(*, owner_id=None, department_id=None) -> None:
    """Serialise two creations or renames in one personal or departmental space (no duplicate by a race)."""
    if owner_id:
        list(Advisor.objects.select_for_update().filter(pk=owner_id).values_list("pk"))
    if department_id:
        list(Department.objects.select_for_update().filter(pk=department_id).values_list("pk"))


@transaction.atomic
def tag_create(*, user, name: str, scope: str, department=None, description: str = "") -> Tag:
    """Create a tag the user's role may create: personal (advisors, coordinators), departmental (coordinators of the
    department, its prefecture, the national team), national (the national team)."""
    if scope not in creatable_scopes(user):
        raise PermissionDenied("Vous ne pouvez pas créer ce type d'étiquette.")
    owner_id = department_id = None
    if scope == TagScope.PERSONAL:
        owner_id = active_membership(user).advisor_id
    elif scope == TagScope.DEPARTMENT:
        department_id = getattr(department, "pk", department)
        if not department_id or not creatable_departments(user).filter(pk=department_id).exists():
            raise PermissionDenied("Vous ne pouvez pas créer d'étiquette pour ce département.")
    name = clean_name(name)
    _lock_keys(owner_id=owner_id, department_id=department_id)
    _check_unique(name, _siblings(scope=scope, owner_id=owner_id, department_id=department_id))
    return Tag.objects.create(
        name=name,
        scope=scope,
        owner_id=owner_id,
        department_id=department_id,
        description=(description or "").strip()[:200],
        created_by=user,
    )


def _manageable(tag: Tag, user) -> Tag:
    """The tag, read again among those the user may manage (PermissionDenied otherwise)."""
    found = scopes.manageable_tags(user).filter(pk=tag.pk).first()
    if found is None:
        raise PermissionDenied("Vous ne pouvez pas modifier cette étiquette.")
    return found


@transaction.atomic
def tag_rename(*, tag: Tag, user, name: str, description: str | None = None) -> Tag:
    """Rename a tag (and change its description); the reports keep it."""
    current = _manageable(tag, user)
    name = clean_name(name)
    _lock_keys(owner_id=current.owner_id, department_id=current.department_id)
    siblings = _siblings(scope=current.scope, owner_id=current.owner_id, department_id=current.department_id)
    _check_unique(name, siblings.exclude(pk=current.pk))
    current.name = name
    if description is not None:
        current.description = description.strip()[:200]
    current.save(update_fields=["name", "description"])
    return current


@transaction.atomic
def tag_archive(*, tag: Tag, user) -> Tag:
    """Archive a tag: no longer offered on new reports, kept on past reports and in their statistics."""
    current = _manageable(tag, user)
    current.archived_at = timezone.now()
    current.save(update_fields=["archived_at"])
    return current


def _check_merge(source: Tag, target: Tag) -> None:
    if source.pk == target.pk:
        raise ValidationError("Choisissez une autre étiquette que celle à fusionner.")
    if WIDTH[target.scope] < WIDTH[source.scope]:
        raise ValidationError(
            "Une étiquette ne peut être fusionnée que dans une étiquette de portée égale ou plus large."
        )
    if target.scope == source.scope == TagScope.PERSONAL and target.owner_id != source.owner_id:
        raise ValidationError("Une étiquette personnelle ne peut être fusionnée que dans une de vos étiquettes.")
    if target.scope == source.scope == TagScope.DEPARTMENT and target.department_id != source.department_id:
        raise ValidationError("Deux étiquettes départementales ne se fusionnent que dans le même département.")


@transaction.atomic
def tag_merge(*, source: Tag, target: Tag, user) -> int:
    """Move every report (and coordination activity) of `source` to `target`, without duplicates, then delete
    `source`. Both must be manageable by the user. Returns how many reports gained the target."""
    source, target = _manageable(source, user), _manageable(target, user)
    _check_merge(source, target)
    links = ActivityTag.objects.filter(tag=source)
    both = ActivityTag.objects.filter(tag=target).values("activity_id")
    links.filter(activity_id__in=both).delete()
    moved = links.update(tag=target)
    through = CoordinationActivity.tags.through
    tagged = through.objects.filter(tag=target).values("coordinationactivity_id")
    coordination = through.objects.filter(tag=source)
    coordination.filter(coordinationactivity_id__in=tagged).delete()
    coordination.update(tag=target)
    source.delete()
    return moved
