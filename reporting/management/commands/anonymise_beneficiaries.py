"""Daily cron job: anonymise followed beneficiaries untouched and unaccompanied for the retention period."""

from django.conf import settings

from accounts.enums import AuditAction
from accounts.jobs import RetentionCommand
from reporting.services.beneficiaries import beneficiary_anonymise_inactive


class Command(RetentionCommand):
    help = (
        "Anonymise les personnes suivies par les conseillers sans modification de leur fiche ni accompagnement "
        "depuis BENEFICIARY_RETENTION_MONTHS mois (12 par défaut) : nom, prénom, téléphone, e-mail, année de "
        "naissance, commune et notes effacés ; genre, tranche d'âge et statut gardés pour les statistiques. "
        "Simulation par défaut : --apply pour agir. Idempotent."
    )
    audit_action = AuditAction.BENEFICIARIES_ANONYMISED

    def run(self, *, now, apply):
        report = beneficiary_anonymise_inactive(now=now, apply=apply)
        verb = "anonymisée(s)" if apply else "à anonymiser"
        months = settings.BENEFICIARY_RETENTION_MONTHS
        return (
            f"{report.count} personne(s) suivie(s) sans activité depuis {months} mois {verb}.",
            {"count": report.count, "beneficiaries": report.ids[:200], "months": months},
        )
