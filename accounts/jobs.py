"""The shared shape of the personal-data retention commands: dry run by default, `--apply` to act, a summary
logged and printed, and one audit event per applied run (even when nothing was due: it proves the job ran)."""

import logging
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

logger = logging.getLogger("cnum.retention")


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


class RetentionCommand(BaseCommand):
    """Subclasses set `audit_action` and implement `run(now=, apply=) -> (summary, details)`."""

    audit_action = ""

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--apply", action="store_true", help="Agit réellement. Sans cette option, rien n'est modifié."
        )
        mode.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche ce qui serait fait, sans rien modifier (comportement par défaut).",
        )
        parser.add_argument("--now", help="Date et heure de référence (AAAA-MM-JJTHH:MM), pour les essais.")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError("--now attend une date au format AAAA-MM-JJTHH:MM.")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        apply = options["apply"]
        summary, details = self.run(now=now, apply=apply)
        prefix = "" if apply else "[simulation, relancer avec --apply pour agir] "
        logger.info("%s: %s%s", self.job_name(), prefix, summary)
        self.stdout.write(f"{prefix}{summary}")
        if apply:
            from accounts.services import audit_record

            audit_record(actor=None, action=self.audit_action, details={"job": self.job_name(), **details})

    def job_name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    def run(self, *, now, apply: bool) -> tuple[str, dict]:
        raise NotImplementedError
