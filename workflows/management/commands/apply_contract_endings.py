"""Daily cron job: apply the validated ends of contract whose date has come (dry run unless --apply)."""

import logging

from accounts.enums import AuditAction
from accounts.jobs import RetentionCommand
from workflows import services

logger = logging.getLogger("cnum.workflows")


class Command(RetentionCommand):
    help = (
        "Applique les fins de contrat validées dont la date est arrivée : conseiller sorti du dispositif, rôle et "
        "Espace Coop retirés, lieux détachés, poste libéré, conseiller prévenu par e-mail. Simulation par défaut : "
        "--apply pour agir. Idempotent."
    )
    audit_action = AuditAction.CONTRACT_ENDINGS_APPLIED

    def run(self, *, now, apply):
        due = list(services.contract_endings_due(now).select_related("advisor"))
        applied, failed = [], []
        for rupture in due:
            if not apply:
                continue
            try:
                if services.rupture_apply(rupture=rupture, now=now):
                    applied.append(rupture.pk)
            except Exception:
                # One broken dossier must not keep the other advisors in post: it is logged and retried tomorrow.
                logger.exception("Fin de contrat %s non appliquée", rupture.pk)
                failed.append(rupture.pk)
        if not apply:
            return f"{len(due)} fin(s) de contrat à appliquer.", {"count": len(due), "ruptures": [r.pk for r in due]}
        summary = f"{len(applied)} fin(s) de contrat appliquée(s)."
        if failed:
            summary += f" {len(failed)} en échec (voir les journaux) : {', '.join(map(str, failed))}."
        return summary, {"count": len(applied), "ruptures": applied[:200], "failed": failed}
