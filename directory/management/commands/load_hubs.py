"""Load the 17 hubs of digital inclusion and the departments each one covers (idempotent)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.models import Hub
from territories.models import Department

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "hubs.json"


class Command(BaseCommand):
    help = "Charge les 17 hubs territoriaux et leurs départements (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not Department.objects.exists():
            raise CommandError("Chargez d'abord les territoires : manage.py load_territories")
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        for entry in data["hubs"]:
            hub, _ = Hub.objects.update_or_create(slug=entry["slug"], defaults={"name": entry["name"]})
            departments = Department.objects.filter(region__in=entry["regions"]) | Department.objects.filter(
                code__in=entry["departments"]
            )
            hub.departments.set(departments)
        self.stdout.write(f"{Hub.objects.count()} hubs, {Hub.departments.through.objects.count()} rattachements.")
