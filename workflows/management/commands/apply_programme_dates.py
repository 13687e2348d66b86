"""Daily cron job: apply the programme's effects whose date has come (dry run unless --apply)."""

import logging

from accounts.enums import AuditAction
from accounts.jobs import RetentionCommand
from workflows.dated import JOBS

logger = logging.getLogger("cnum.workflows")


class Command(RetentionCommand):
    help = (
        "Applique les effets datés du dispositif dont la date est arrivée : conventions non renouvelées qui se "
        "terminent, conventions renouvelées qui commencent, contrats arrivés à leur terme, transferts et "
        "modifications de contrat à leur date d'effet, rappels de reconventionnement, postes des structures. "
        "Simulation par défaut : --apply pour agir. Idempotent."
    )
    audit_action = AuditAction.PROGRAMME_DATES_APPLIED

    def run(self, *, now, apply):
        parts, details = [], {}
        for job in JOBS:
            due = list(job.due(now))
            if not apply:
                parts.append(f"{len(due)} {job.name} (à faire)")
                details[job.name] = len(due)
                continue
            done, failed = 0, []
            for item in due:
                try:
                    done += bool(job.apply(item, now=now))
                except Exception:
                    # One broken dossier must not stop the others: it is logged and retried tomorrow.
                    logger.exception("%s : %s non appliqué", job.name, getattr(item, "pk", item))
                    failed.append(str(getattr(item, "pk", item)))
            parts.append(f"{done} {job.name}" + (f" ({len(failed)} en échec : {', '.join(failed)})" if failed else ""))
            details[job.name] = {"count": done, "failed": failed[:200]}
        return " ; ".join(parts) + ".", details
