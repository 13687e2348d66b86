"""Monthly cron job: e-mail each structure's managers the activity of its advisors the previous month (idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.monthly_summary import MonthError, month_label, parse_month, send_monthly_summaries


class Command(BaseCommand):
    help = (
        "Envoie aux gestionnaires de chaque structure le bilan mensuel d'activité de ses conseillers (par défaut le "
        "mois précédent). Idempotent : chaque structure reçoit un seul bilan par mois ; les structures qui l'ont "
        "refusé n'en reçoivent pas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", help="Mois terminé à résumer (AAAA-MM), pour renvoyer explicitement un mois passé non envoyé."
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte les bilans dus sans rien envoyer.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            month = parse_month(options["month"], today=today) if options["month"] else None
            report = send_monthly_summaries(month=month, today=today, dry_run=options["dry_run"])
        except MonthError as error:
            raise CommandError(str(error)) from None
        prefix = "À envoyer" if options["dry_run"] else "Envoyés"
        self.stdout.write(
            f"Bilan de {month_label(report.month)} — {prefix} : {report.structures} structure(s), "
            f"{report.emails} e-mail(s) ; déjà envoyés : {report.skipped_already_sent} ; refusés par la structure : "
            f"{report.skipped_opted_out} ; sans gestionnaire : {report.skipped_without_manager}."
        )
