"""Create the public site (idempotent): pages, news, resource library, editorial groups and workflow."""

from django.core.management.base import BaseCommand

from content.seed import seed_content


class Command(BaseCommand):
    help = "Crée ou complète le site public : pages, actualités, ressources, groupes éditoriaux (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sans-demo",
            action="store_true",
            help="Production : arborescence, pages du dispositif, thématiques, groupes et circuit de relecture, "
            "sans les actualités, ressources et documents de démonstration.",
        )

    def handle(self, *args, **options):
        self.stdout.write(f"Site public : {seed_content(demo=not options['sans_demo'])}")
