"""The structure manager's self-service: the structure's contact and address, and the co-managers she invites."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.enums import AuditAction, Role
from accounts.identity import normalize_login
from accounts.models import Membership
from accounts.services import audit_record, user_invite
from directory.models import Structure
from workflows.services.common import manager_structure

CONTACT_FIELDS = [
    "address",
    "contact_first_name",
    "contact_last_name",
    "contact_function",
    "contact_email",
    "contact_phone",
]


@transaction.atomic
def structure_contact_update(*, user, values: dict, request=None) -> Structure:
    """Change the manager's structure's contact and address (SIRET, name and type stay); the department follows the
    commune. The audit log keeps which fields changed (not their values: the contact is personal data)."""
    structure = Structure.objects.select_for_update().get(pk=manager_structure(user).pk)
    commune = values.get("commune")
    if commune is None:
        raise ValidationError({"commune_query": "Indiquez la commune de la structure."})
    changed = [name for name in CONTACT_FIELDS if getattr(structure, name) != values[name]]
    for name in CONTACT_FIELDS:
        setattr(structure, name, values[name])
    department_before = structure.department_id
    if structure.commune_id != commune.pk:
        changed.append("commune")
        structure.commune = commune
        structure.postal_code = commune.main_postal_code or ""
        structure.latitude, structure.longitude = commune.latitude, commune.longitude
    if not changed:
        return structure
    structure.save()
    details = {"fields": changed}
    if structure.department_id != department_before:
        details["department"] = [department_before, structure.department_id]
    audit_record(actor=user, action=AuditAction.STRUCTURE_UPDATED, target=structure, details=details, request=request)
    return structure


def structure_managers_of(structure) -> list[Membership]:
    """The active manager memberships of a structure, with their accounts."""
    return list(
        Membership.objects.active()
        .filter(role=Role.STRUCTURE_MANAGER, structure=structure)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


@transaction.atomic
def structure_manager_invite(*, user, email: str, first_name: str, last_name: str, request=None) -> Membership:
    """Invite a co-manager of the manager's own structure (an account is created or found, and e-mailed)."""
    structure = Structure.objects.select_for_update().get(pk=manager_structure(user).pk)
    email = normalize_login(email)
    already = Membership.objects.active().filter(
        role=Role.STRUCTURE_MANAGER, structure=structure, user__email__iexact=email
    )
    if already.exists():
        raise ValidationError({"email": "Cette adresse gère déjà votre structure."})
    _, membership = user_invite(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.STRUCTURE_MANAGER,
        invited_by=user,
        request=request,
        structure=structure,
    )
    return membership
