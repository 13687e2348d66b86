"""Writes on accounts: invitations, membership grants and revocations, role switch, audit."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import roles
from accounts.emails import send_templated_email
from accounts.enums import ROLE_GROUPS, AuditAction, Role
from accounts.identity import normalize_login
from accounts.models import AuditEvent, Membership
from accounts.tokens import invitation_token_generator
from common.client_address import client_ip

User = get_user_model()

SCOPE_FIELDS = ("department", "region", "hub", "structure", "advisor")


def user_agent(request) -> str:
    """The caller's browser as it announces itself (truncated), or "" outside a request."""
    if request is None:
        return ""
    return request.META.get("HTTP_USER_AGENT", "")[:255]


def audit_record(
    *, actor, action: str, target=None, details: dict | None = None, request=None, label: str | None = None
) -> AuditEvent:
    """Append one event to the audit log: who (and their e-mail at the time), what, on what, from where.

    `label` replaces the target's name when that name is personal data the log must not outlive (candidates).
    """
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(label if label is not None else str(target) if target is not None else "")[:255],
        details=details or {},
        ip_address=client_ip(request),
        user_agent=user_agent(request),
    )


def invitation_url(user) -> str:
    """The one-time link that lets an invited user choose their password."""
    path = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def membership_grant(*, user, role: str, granted_by, request=None, **scope) -> Membership:
    """Give a user a role over a scope; refuse a duplicate of an active membership."""
    unknown = set(scope) - set(SCOPE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown scope fields: {', '.join(sorted(unknown))}")
    scope = {field: scope.get(field) for field in SCOPE_FIELDS}
    duplicate = Membership.objects.active().filter(user=user, role=role, **scope)
    if duplicate.exists():
        raise ValidationError("Cet utilisateur a déjà ce rôle sur ce périmètre.", code="duplicate")
    membership = Membership(user=user, role=role, granted_by=granted_by, **scope)
    membership.full_clean(exclude=["user", "granted_by", "revoked_by"])
    membership.save()
    if role == Role.NATIONAL and not user.is_staff:
        # National admins are the only users of the Django admin.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if user.active_membership_id is None:
        user.active_membership = membership
        user.save(update_fields=["active_membership"])
    role_groups_sync(user=user)
    audit_record(
        actor=granted_by,
        action=AuditAction.MEMBERSHIP_GRANTED,
        target=membership,
        details={"user": user.email, "role": role, "scope": membership.scope_label},
        request=request,
    )
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, revoked_by, request=None) -> Membership:
    """Withdraw a role; the record stays (who granted it, who withdrew it, when)."""
    if membership.revoked_at is not None:
        raise ValidationError("Ce rôle a déjà été retiré.", code="already_revoked")
    membership.revoked_at = timezone.now()
    membership.revoked_by = revoked_by
    membership.save(update_fields=["revoked_at", "revoked_by"])
    user = membership.user
    changed = []
    if user.active_membership_id == membership.pk:
        user.active_membership = user.memberships.active().first()
        changed.append("active_membership")
    if membership.role == Role.NATIONAL and not user.memberships.active().filter(role=Role.NATIONAL).exists():
        user.is_staff = False
        changed.append("is_staff")
    if changed:
        user.save(update_fields=changed)
    role_groups_sync(user=user)
    roles.forget_active_membership(user)
    audit_record(
        actor=revoked_by,
        action=AuditAction.MEMBERSHIP_REVOKED,
        target=membership,
        details={"user": user.email, "role": membership.role, "scope": membership.scope_label},
        request=request,
    )
    return membership


def role_groups_sync(*, user) -> None:
    """Put the user in the auth group of each site role they hold (Éditeurs, Modérateurs) and out of the others."""
    held = set(user.memberships.active().filter(role__in=list(ROLE_GROUPS)).values_list("role", flat=True))
    for role, name in ROLE_GROUPS.items():
        if role in held:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        else:
            user.groups.remove(*Group.objects.filter(name=name))


def role_switch(*, user, membership_id: int, request=None) -> Membership:
    """Make one of the user's active memberships the role they work under."""
    membership = user.memberships.active().with_scope().filter(pk=membership_id).first()
    if membership is None:
        raise ValidationError("Ce rôle n'est pas disponible.", code="unknown_membership")
    previous_id = user.active_membership_id
    user.active_membership = membership
    user.save(update_fields=["active_membership"])
    roles.forget_active_membership(user)
    if previous_id != membership.pk:
        audit_record(
            actor=user,
            action=AuditAction.ROLE_SWITCHED,
            target=membership,
            details={"role": membership.role, "scope": membership.scope_label},
            request=request,
        )
    return membership


@transaction.atomic
def user_invite(
    *, email: str, first_name: str, last_name: str, role: str, invited_by, request=None, **scope
) -> tuple[User, Membership]:
    """Create (or find) an account by e-mail, grant the role and e-mail a one-time link to set a password."""
    email = normalize_login(email)
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    membership = membership_grant(user=user, role=role, granted_by=invited_by, request=request, **scope)
    audit_record(
        actor=invited_by,
        action=AuditAction.USER_INVITED,
        target=user,
        details={"role": role, "scope": membership.scope_label, "new_account": created},
        request=request,
    )
    if not user.is_active:
        # A disabled account stays disabled: the role is recorded, no link is sent (only an admin reactivates).
        return user, membership
    if user.has_usable_password():
        send_templated_email(
            to=user.email,
            subject="Votre accès multi-compte Conseiller numérique",
            template="accounts/new_role",
            context={"user": user, "membership": membership, "invited_by": invited_by},
        )
    else:
        send_templated_email(
            to=user.email,
            subject="Créer votre compte utilisateur Conseiller numérique",
            template="accounts/invitation",
            context={"user": user, "membership": membership, "invited_by": invited_by, "url": invitation_url(user)},
        )
    return user, membership


def invitation_accept(*, user, password: str, request=None) -> None:
    """Set the password chosen from an invitation link; the link stops working at once. A disabled account is
    refused: only a national admin reactivates it, never a link."""
    if not user.is_active:
        raise ValidationError("Ce compte est désactivé.", code="account_disabled")
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action=AuditAction.INVITATION_ACCEPTED, target=user, request=request)
