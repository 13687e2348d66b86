"""Monthly cron job: delete audit events older than 5 years, their retention period (dry run unless --apply)."""

from accounts.enums import AuditAction
from accounts.jobs import RetentionCommand, months_before
from accounts.models import AuditEvent

AUDIT_RETENTION_YEARS = 5  # also written in the PostgreSQL trigger (accounts migration 0007)


class Command(RetentionCommand):
    help = (
        f"Supprime les événements du journal d'audit de plus de {AUDIT_RETENTION_YEARS} ans, seule suppression "
        "que le journal accepte. Simulation par défaut : --apply pour agir. Idempotent."
    )
    audit_action = AuditAction.AUDIT_LOG_PURGED

    def run(self, *, now, apply):
        cutoff = months_before(now, 12 * AUDIT_RETENTION_YEARS)
        if apply:
            count = AuditEvent.objects.purge_older_than(cutoff)
            return f"{count} événement(s) supprimé(s).", {"count": count}
        count = AuditEvent.objects.filter(created_at__lt=cutoff).count()
        return f"{count} événement(s) à supprimer.", {"count": count}
