"""Daily cron job: anonymise candidacies inactive for 2 years (dry run unless --apply)."""

from accounts.enums import AuditAction
from accounts.jobs import RetentionCommand
from workflows.retention import anonymise_candidates


class Command(RetentionCommand):
    help = (
        "Anonymise les candidatures de conseiller sans activité depuis 2 ans (ni la candidature ni ses "
        "recrutements modifiés) : nom, coordonnées, motivation et CV effacés ; département, commune, diplôme, "
        "dates et issues gardés pour les statistiques. Les candidats recrutés ne sont pas concernés. "
        "Simulation par défaut : --apply pour agir. Idempotent."
    )
    audit_action = AuditAction.CANDIDATES_ANONYMISED

    def run(self, *, now, apply):
        report = anonymise_candidates(now=now, apply=apply)
        verb = "anonymisée(s)" if apply else "à anonymiser"
        return f"{report.count} candidature(s) {verb}.", {"count": report.count, "candidates": report.ids[:200]}
