"""What every notification shares: the one e-mail template, date and message lines, and the recipients."""

from django.db.models import Q
from django.urls import reverse
from django.utils import formats

from accounts.emails import send_templated_email
from accounts.enums import Role
from accounts.models import Membership
from workflows import tokens
from workflows.links import absolute

TEMPLATE = "workflows/notification"


def send(
    *,
    to,
    subject: str,
    heading: str,
    paragraphs: list[str],
    name: str = "",
    details=None,
    action=None,
    notes=None,
    candidate=None,
):
    """One notification e-mail; `action` is (label, absolute url). A candidate's e-mails end with the link to
    their personal data (see, download, erase)."""
    action_label, action_url = action if action else ("", "")
    send_templated_email(
        to=to,
        subject=subject,
        template=TEMPLATE,
        context={
            "heading": heading,
            "name": name,
            "paragraphs": paragraphs,
            "details": details or [],
            "action_label": action_label,
            "action_url": action_url,
            "notes": notes or [],
            "privacy_url": candidate_manage_url(candidate) if candidate is not None else "",
        },
    )


def date_text(value) -> str:
    return formats.date_format(value, "j F Y") if value else "—"


def message_detail(label: str, message: str) -> list[tuple[str, str]]:
    """The applicant's message as an e-mail detail line (none when empty). Never pass an internal note here."""
    return [(label, message)] if message.strip() else []


def territory_memberships(roles, department_code: str):
    """The active prefecture and hub memberships (of these roles) whose territory covers a department."""
    covers = Q(role=Role.PREFECTURE) & (Q(department_id=department_code) | Q(region__departments=department_code))
    covers |= Q(role=Role.HUB, hub__departments=department_code)
    return Membership.objects.active().filter(covers, role__in=list(roles), user__is_active=True)


def territorial_agents(role: str, department_code: str) -> list[str]:
    """E-mails of the active agents of a role (prefecture or hub) whose territory covers a department."""
    return sorted(set(territory_memberships([role], department_code).values_list("user__email", flat=True)))


def national_admins() -> list[str]:
    return sorted(
        set(
            Membership.objects.active()
            .filter(role=Role.NATIONAL, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


def structure_managers(structure_id) -> list[str]:
    if structure_id is None:
        return []
    memberships = Membership.objects.active().filter(
        role=Role.STRUCTURE_MANAGER, structure_id=structure_id, user__is_active=True
    )
    return sorted(set(memberships.values_list("user__email", flat=True)))


def advisor_address(advisor) -> list[str]:
    """Where to tell an advisor about her contract: her account's e-mail, else her professional or personal one."""
    email = (advisor.user.email if advisor.user_id else "") or advisor.professional_email or advisor.email
    return [email] if email else []


def candidate_manage_url(candidate) -> str:
    return absolute(
        reverse("candidature:candidate_manage", args=[tokens.make_token(tokens.MANAGE_CANDIDATE, candidate.pk)])
    )
