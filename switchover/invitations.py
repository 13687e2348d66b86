"""Inviting the imported advisors to log in: they come without an account (Advisor.user is null).

An invitation does what a validated recruitment does (workflows.services.recruitments): an account, the advisor
membership, the invitation e-mail with the link to choose a password, and the coordinator role for a coordinator.
No new field records it: the account itself (Advisor.user, the user's date_joined) and the audit log's
"Utilisateur invité" event say who was invited when, and an advisor with an account is never invited again.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.enums import Role
from accounts.identity import normalize_login
from accounts.models import Membership, User
from accounts.roles import is_national
from accounts.services import membership_grant, user_invite
from directory.enums import AdvisorStatus
from directory.models import Advisor
from switchover.models import LegacyRecord

NO_EMAIL = Q(professional_email="") & Q(email="")


def imported_advisors() -> QuerySet[Advisor]:
    """Advisors created by the import of the existing system's `conseillers`."""
    imported = LegacyRecord.objects.filter(collection="conseillers", target_id__isnull=False).values("target_id")
    return Advisor.objects.filter(pk__in=imported)


def imported_advisors_to_invite() -> QuerySet[Advisor]:
    """Imported advisors still at work, without an account, who have an e-mail address."""
    return (
        imported_advisors()
        .filter(user__isnull=True, status=AdvisorStatus.ACTIVE)
        .exclude(NO_EMAIL)
        .select_related("structure__department")
        .order_by("last_name", "first_name", "pk")
    )


def imported_advisors_without_email() -> QuerySet[Advisor]:
    """Imported advisors at work without an account who cannot be invited: no e-mail address at all."""
    return imported_advisors().filter(NO_EMAIL, user__isnull=True, status=AdvisorStatus.ACTIVE)


def invitation_address(advisor) -> str:
    """The address the invitation goes to: the professional one first, else the personal one."""
    return (advisor.professional_email or advisor.email or "").strip()


def _require_national(user) -> None:
    if not is_national(user):
        raise PermissionDenied("Seule l'équipe nationale invite les conseillers repris de l'ancien système.")


@transaction.atomic
def advisor_invite(*, user, advisor, request=None) -> User:
    """Create the account of an advisor who has none, grant her role(s) and e-mail her the invitation link."""
    _require_national(user)
    advisor = Advisor.objects.select_for_update().get(pk=advisor.pk)
    if advisor.user_id is not None:
        raise ValidationError(
            "Ce conseiller a déjà un compte : il n'est pas invité une seconde fois.", code="has_account"
        )
    if advisor.status == AdvisorStatus.ENDED:
        raise ValidationError("Le contrat de ce conseiller est terminé : il ne peut pas être invité.", code="ended")
    email = invitation_address(advisor)
    if not email:
        raise ValidationError(
            "Ce conseiller n'a ni adresse e-mail professionnelle ni adresse personnelle : complétez sa fiche.",
            code="no_email",
        )
    owner = User.objects.filter(email__iexact=normalize_login(email)).first()
    if owner is not None and Advisor.objects.filter(user=owner).exists():
        raise ValidationError(
            f"L'adresse {email} est déjà celle du compte d'un autre conseiller : corrigez la fiche.",
            code="email_taken",
        )
    account, _ = user_invite(
        email=email,
        first_name=advisor.first_name,
        last_name=advisor.last_name,
        role=Role.ADVISOR,
        invited_by=user,
        request=request,
        advisor=advisor,
    )
    if advisor.is_coordinator:
        # A coordinator recruited here gets the coordinator role at her start (workflows.services.coordinators).
        held = Membership.objects.active().filter(user=account, role=Role.COORDINATOR, advisor=advisor)
        if not held.exists():
            membership_grant(user=account, role=Role.COORDINATOR, granted_by=user, request=request, advisor=advisor)
    advisor.user = account
    advisor.save(update_fields=["user"])
    return account


@dataclass
class InvitationBatch:
    """What a batch did: how many invited, and who was refused with the reason."""

    invited: list[Advisor] = field(default_factory=list)
    refused: list[tuple[Advisor, str]] = field(default_factory=list)


def advisors_invite_imported(
    *, user, limit: int | None = None, department=None, request=None, dry_run: bool = False
) -> InvitationBatch:
    """Invite the imported advisors without an account (each in its own transaction: one refusal stops nothing)."""
    _require_national(user)
    queue = imported_advisors_to_invite().order_by("pk")
    if department is not None:
        queue = queue.filter(structure__department=department)
    if limit is not None:
        queue = queue[:limit]
    batch = InvitationBatch()
    for advisor in list(queue):
        if dry_run:
            batch.invited.append(advisor)
            continue
        try:
            advisor_invite(user=user, advisor=advisor, request=request)
        except ValidationError as error:
            batch.refused.append((advisor, " ".join(error.messages)))
        else:
            batch.invited.append(advisor)
    return batch
