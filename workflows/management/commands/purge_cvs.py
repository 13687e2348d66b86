"""Daily cron job: delete the CVs uploaded more than 6 months ago (dry run unless --apply)."""

from accounts.enums import AuditAction
from accounts.jobs import RetentionCommand
from workflows.retention import purge_cvs


class Command(RetentionCommand):
    help = (
        "Supprime les CV (fichier et champ) des candidatures déposées il y a plus de 6 mois (date du dépôt du "
        "formulaire, où le CV est joint). Simulation par défaut : --apply pour agir. Idempotent."
    )
    audit_action = AuditAction.CVS_PURGED

    def run(self, *, now, apply):
        report = purge_cvs(now=now, apply=apply)
        verb = "supprimé(s)" if apply else "à supprimer"
        return f"{report.count} CV {verb}.", {"count": report.count, "candidates": report.ids[:200]}
