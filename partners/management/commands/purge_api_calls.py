"""Daily cron job: delete the partner API calls logged before the retention period (dry run unless --apply)."""

from django.conf import settings

from accounts.enums import AuditAction
from accounts.jobs import RetentionCommand, months_before
from partners.services import api_calls_purge


class Command(RetentionCommand):
    help = (
        "Supprime du journal des appels à l'API partenaires les appels de plus de PARTNER_API_CALLS_RETENTION_MONTHS "
        "mois (12 par défaut). Simulation par défaut : --apply pour agir. Idempotent."
    )
    audit_action = AuditAction.API_CALLS_PURGED

    def run(self, *, now, apply):
        months = settings.PARTNER_API_CALLS_RETENTION_MONTHS
        count = api_calls_purge(cutoff=months_before(now, months), apply=apply)
        verb = "supprimé(s)" if apply else "à supprimer"
        return f"{count} appel(s) à l'API partenaires de plus de {months} mois {verb}.", {
            "count": count,
            "months": months,
        }
