"""Daily cron job: remind advisors silent for 30 days, and advisor + structure managers at 45 days (idempotent)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reporting.reminders import send_activity_reminders


class Command(BaseCommand):
    help = (
        "Envoie les relances aux conseillers sans compte-rendu d'activité depuis 30 jours, et aux conseillers et "
        "gestionnaires de structure à 45 jours. Idempotent : chaque relance n'est envoyée qu'une fois."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte les relances dues sans rien envoyer.")
        parser.add_argument("--date", help="Date du jour à considérer (AAAA-MM-JJ), par défaut aujourd'hui.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date attend une date au format AAAA-MM-JJ.") from None
        report = send_activity_reminders(today=today, dry_run=options["dry_run"])
        prefix = "À envoyer" if options["dry_run"] else "Envoyées"
        self.stdout.write(
            f"{prefix} : {report.first} relance(s) à 30 jours, {report.second} relance(s) à 45 jours "
            f"(dont {report.managers} e-mail(s) aux gestionnaires de structure)."
        )
