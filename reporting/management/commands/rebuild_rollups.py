"""Recompute the activity rollups from the reports (repairs after a bulk import or a manual fix)."""

import time

from django.core.management.base import BaseCommand

from reporting.rollups import rebuild


class Command(BaseCommand):
    help = "Recalcule tous les agrégats d'activité à partir des comptes-rendus (réparation, import en masse)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = rebuild()
        self.stdout.write(f"{rows} lignes d'agrégats recalculées en {time.perf_counter() - started:.1f} s.")
