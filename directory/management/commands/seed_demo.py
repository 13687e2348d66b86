"""Create or refresh the demo data of every app (idempotent) and print the demo logins."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from directory.demo import DEMO_PASSWORD, PERSONAS
from territories.models import Commune


class Command(BaseCommand):
    help = "Crée ou met à jour les données de démonstration (idempotent) et affiche les comptes de démonstration."

    def handle(self, *args, **options):
        if not Commune.objects.filter(pk="75056").exists():
            raise CommandError("Chargez d'abord les territoires : manage.py load_territories")
        call_command("load_hubs", stdout=self.stdout)
        # Each app contributes its own seeder, listed in settings, so that no app imports the ones above it.
        for path in settings.DEMO_SEEDERS:
            summary = import_string(path)()
            self.stdout.write(f"{path}: {summary}")
        self.stdout.write(self.style.SUCCESS(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD}) :"))
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.email:<45} {persona.label}")
