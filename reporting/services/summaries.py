"""The structures' choice about the monthly summary (reporting/monthly_summary.py sends it)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership
from reporting.models import MonthlySummarySetting


def monthly_summary_setting_update(*, user, structure_id: int, enabled: bool) -> MonthlySummarySetting:
    """Turn the summary on or off for a structure the user manages (an active structure-manager role)."""
    manages = Membership.objects.active().filter(user=user, role=Role.STRUCTURE_MANAGER, structure_id=structure_id)
    if not user.is_active or not manages.exists():
        raise PermissionDenied("Seuls les gestionnaires de la structure règlent son bilan mensuel.")
    setting, _ = MonthlySummarySetting.objects.update_or_create(
        structure_id=structure_id,
        defaults={"enabled": enabled, "changed_by": user, "changed_at": timezone.now()},
    )
    return setting
