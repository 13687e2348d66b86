"""Daily cron job: notify accounts unused for 2 years, deactivate them 30 days later (dry run unless --apply)."""

from accounts.enums import AuditAction
from accounts.inactivity import NOTICE_DAYS, process_inactive_accounts
from accounts.jobs import RetentionCommand


class Command(RetentionCommand):
    help = (
        "Comptes sans connexion depuis 2 ans (dernière connexion, ou création pour un compte jamais utilisé) : "
        f"un e-mail prévient {NOTICE_DAYS} jours avant, puis le compte est désactivé s'il n'a toujours pas servi. "
        "Une connexion annule l'avertissement. Simulation par défaut : --apply pour agir. Idempotent."
    )
    audit_action = AuditAction.INACTIVE_ACCOUNTS_PROCESSED

    def run(self, *, now, apply):
        report = process_inactive_accounts(now=now, apply=apply)
        if apply:
            summary = f"{len(report.notified)} compte(s) prévenu(s), {len(report.deactivated)} compte(s) désactivé(s)."
        else:
            summary = f"{len(report.notified)} compte(s) à prévenir, {len(report.deactivated)} compte(s) à désactiver."
        return summary, {
            "notified": len(report.notified),
            "deactivated": len(report.deactivated),
            "notified_users": report.notified[:200],
            "deactivated_users": report.deactivated[:200],
        }
