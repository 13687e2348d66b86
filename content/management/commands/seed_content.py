"""Create the public site's page tree (idempotent): the home page as the root of the default site."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from content.models import HomePage

HOME_INTRO = (
    "<p>13 millions de personnes sont éloignées du numérique. Les conseillers numériques, formés et "
    "financés par l'État, les accompagnent vers l'autonomie, partout en France.</p>"
)


class Command(BaseCommand):
    help = "Crée ou met à jour les pages du site public (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        # Wagtail's migrations create the locale and the root; a flushed database (transactional tests) has neither.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = HomePage.objects.first()
        if home is None:
            home = root.add_child(instance=HomePage(title="Conseiller numérique", slug="accueil", intro=HOME_INTRO))
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=home, is_default_site=True, site_name="Conseiller numérique"
            )
        elif site.root_page_id != home.pk:
            old_root = site.root_page
            site.root_page = home
            site.site_name = "Conseiller numérique"
            site.save()
            # The welcome page Wagtail creates at install time is no longer reachable: remove it.
            if old_root.specific_class is Page and not old_root.get_children().exists():
                old_root.delete()
        self.stdout.write(f"Site public : page d'accueil « {home.title} » (id {home.pk}).")
