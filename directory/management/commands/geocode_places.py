"""Geocode existing places from their address, in batches, under the address API's rate limit.

Places located at their commune's centre (and, with --all, those geocoded before) are tried; coordinates typed by
an advisor are never replaced. One request per place, paced at GEOCODER_RATE_PER_SECOND (the national API allows
50 per second and address); a failed answer keeps the place as it was. Safe to stop and run again.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory import services
from directory.enums import CoordinatesPrecision
from directory.geocoding import geocoder_enabled
from directory.models import Place


class Command(BaseCommand):
    help = (
        "Géocode l'adresse des lieux d'activité placés au centre de leur commune (--all : aussi ceux déjà "
        "géocodés), par lots, sous la limite de débit de l'API Adresse. Les coordonnées saisies ne sont jamais "
        "remplacées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Géocoder aussi les lieux déjà géocodés.")
        parser.add_argument("--batch-size", type=int, default=200, help="Lieux lus par lot (200 par défaut).")
        parser.add_argument("--limit", type=int, default=0, help="Nombre maximal de lieux traités (0 : tous).")

    def handle(self, *args, **options):
        if not geocoder_enabled():
            raise CommandError("GEOCODER_URL n'est pas renseignée : aucun géocodeur n'est configuré.")
        if options["batch_size"] < 1 or options["limit"] < 0:
            raise CommandError("--batch-size doit valoir au moins 1, et --limit 0 ou plus.")
        precisions = [CoordinatesPrecision.COMMUNE]
        if options["all"]:
            precisions += [CoordinatesPrecision.ADDRESS, CoordinatesPrecision.STREET]
        places = Place.objects.current().filter(coordinates_precision__in=precisions).select_related("commune")
        interval = 1.0 / settings.GEOCODER_RATE_PER_SECOND
        counts = dict.fromkeys(CoordinatesPrecision.values, 0)
        last_pk, done = 0, 0
        while True:
            batch = list(places.filter(pk__gt=last_pk).order_by("pk")[: options["batch_size"]])
            if not batch:
                break
            for place in batch:
                started = time.monotonic()
                located = services.place_locate(place=place)
                counts[located.coordinates_precision] += 1
                done += 1
                if options["limit"] and done >= options["limit"]:
                    break
                # Pace the calls: at most GEOCODER_RATE_PER_SECOND requests in any second.
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
            last_pk = batch[-1].pk
            if options["limit"] and done >= options["limit"]:
                break
            self.stdout.write(f"{done} lieux traités…")
        summary = ", ".join(f"{CoordinatesPrecision(key).label.lower()} : {count}" for key, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{done} lieux traités ({summary})."))
