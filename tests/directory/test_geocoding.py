"""Geocoding of places against a local fake of the national address API (no network): answers, failures, fallbacks."""

import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bench.loadkit.server import free_port
from directory import services
from directory.enums import CoordinatesPrecision
from directory.geocoding import geocode_address, locate
from directory.models import Place
from tests.directory.factories import AdvisorFactory, PlaceFactory, StructureFactory
from tests.territories.factories import commune

# 11 rue de la République, Paris 11e, as the national API would place it.
LON, LAT = 2.3701, 48.8674


class FakeGeocoder:
    """What the fake server answers next (`mode`) and the queries it received."""

    def __init__(self):
        self.mode = "housenumber"
        self.citycode = "75111"
        self.score = 0.93
        self.queries: list[dict] = []

    def feature(self, kind: str) -> dict:
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [LON, LAT]},
                    "properties": {
                        "label": "11 Rue de la République 75011 Paris",
                        "score": self.score,
                        "type": kind,
                        "citycode": self.citycode,
                        "postcode": "75011",
                    },
                }
            ],
        }


@pytest.fixture
def geocoder(settings):
    state = FakeGeocoder()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            state.queries.append({key: values[0] for key, values in parse_qs(urlparse(self.path).query).items()})
            if state.mode == "slow":
                time.sleep(1.0)
            if state.mode == "error":
                self.send_response(500)
                self.end_headers()
                return
            if state.mode == "garbage":
                body = b"<html>maintenance</html>"
            elif state.mode == "empty":
                body = json.dumps({"type": "FeatureCollection", "features": []}).encode()
            else:
                body = json.dumps(state.feature(state.mode)).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up (timeout)

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}/search/"
    settings.GEOCODER_TIMEOUT_SECONDS = 0.3
    settings.GEOCODER_MIN_SCORE = 0.6
    settings.GEOCODER_RATE_PER_SECOND = 50
    yield state
    server.shutdown()
    server.server_close()


def _geocode(**overrides):
    values = {
        "address": "11 rue de la République",
        "postal_code": "75011",
        "commune_code": "75111",
        "commune_name": "Paris 11e Arrondissement",
    }
    return geocode_address(**{**values, **overrides})


class TestGeocodeAddress:
    def test_a_house_number_is_an_address_precision(self, geocoder):
        found = _geocode()
        assert (found.latitude, found.longitude) == (LAT, LON)
        assert found.precision == CoordinatesPrecision.ADDRESS and found.geocoded_at is not None
        query = geocoder.queries[-1]
        assert query["q"] == "11 rue de la République Paris 11e Arrondissement"
        assert query["postcode"] == "75011" and query["limit"] == "1"

    @pytest.mark.parametrize("kind", ["street", "locality"])
    def test_a_street_or_lieu_dit_is_a_street_precision(self, geocoder, kind):
        geocoder.mode = kind
        assert _geocode().precision == CoordinatesPrecision.STREET

    def test_an_arrondissement_counts_for_its_city(self, geocoder):
        assert _geocode(commune_code="75056", commune_name="Paris").precision == CoordinatesPrecision.ADDRESS

    @pytest.mark.parametrize(
        ("mode", "overrides"),
        [
            ("slow", {}),  # longer than the timeout
            ("error", {}),  # HTTP 500
            ("garbage", {}),  # not JSON
            ("empty", {}),  # nothing found
            ("municipality", {}),  # only the commune found: our own centre is used instead
            ("housenumber", {"commune_code": "13055", "commune_name": "Marseille"}),  # another commune
        ],
    )
    def test_untrustworthy_answers_are_dropped(self, geocoder, mode, overrides, caplog):
        geocoder.mode = mode
        assert _geocode(**overrides) is None
        assert geocoder.queries  # the geocoder was asked

    def test_a_low_score_is_dropped(self, geocoder):
        geocoder.score = 0.41
        assert _geocode() is None

    def test_an_unreachable_geocoder_is_a_fallback_not_an_error(self, settings):
        settings.GEOCODER_URL = f"http://127.0.0.1:{free_port()}/search/"
        assert _geocode() is None

    def test_nothing_is_asked_when_disabled(self, geocoder, settings):
        settings.GEOCODER_URL = ""
        assert _geocode() is None
        assert geocoder.queries == []


@pytest.mark.django_db
class TestLocate:
    def test_the_commune_centre_is_the_fallback_with_its_precision(self, settings):
        settings.GEOCODER_URL = ""
        paris = commune("75111")
        location = locate(address="11 rue de la République", postal_code="75011", commune=paris)
        assert (location.latitude, location.longitude) == (paris.latitude, paris.longitude)
        assert location.precision == CoordinatesPrecision.COMMUNE and location.geocoded_at is None


def _values(**overrides):
    paris = commune("75111")
    values = {
        "name": "Médiathèque",
        "address": "11 rue de la République",
        "postal_code": "75011",
        "commune": paris,
        "latitude": paris.latitude,  # what the form fills in when the advisor leaves them empty
        "longitude": paris.longitude,
        "access_types": ["libre"],
        "itinerant": False,
        "is_public": True,
        "phone": "",
        "email": "",
        "website": "",
        "opening_hours": {},
    }
    return {**values, **overrides}


@pytest.mark.django_db
class TestPlaceServices:
    @pytest.fixture
    def advisor(self):
        return AdvisorFactory(structure=StructureFactory(commune=commune("75111"), postal_code="75011"))

    def test_a_new_place_is_geocoded(self, geocoder, advisor):
        place = services.place_create(advisor=advisor, values=_values())
        place.refresh_from_db()
        assert (place.latitude, place.longitude) == (LAT, LON)
        assert place.coordinates_precision == CoordinatesPrecision.ADDRESS and place.geocoded_at is not None

    def test_a_failing_geocoder_never_blocks_the_save(self, geocoder, advisor):
        geocoder.mode = "slow"
        place = services.place_create(advisor=advisor, values=_values())
        place.refresh_from_db()
        paris = commune("75111")
        assert (place.latitude, place.longitude) == (paris.latitude, paris.longitude)
        assert place.coordinates_precision == CoordinatesPrecision.COMMUNE

    def test_typed_coordinates_are_kept_and_not_geocoded(self, geocoder, advisor):
        place = services.place_create(advisor=advisor, values=_values(latitude=48.86, longitude=2.37))
        assert (place.latitude, place.longitude) == (48.86, 2.37)
        assert place.coordinates_precision == CoordinatesPrecision.TYPED
        assert geocoder.queries == []

    def test_an_unchanged_place_keeps_its_coordinates_and_a_new_address_is_geocoded_again(self, geocoder, advisor):
        place = services.place_create(advisor=advisor, values=_values(latitude=48.86, longitude=2.37))
        services.place_update(place=place, values=_values(latitude=48.86, longitude=2.37, name="Autre nom"))
        assert place.coordinates_precision == CoordinatesPrecision.TYPED and geocoder.queries == []
        services.place_update(
            place=place, values=_values(latitude=48.86, longitude=2.37, address="12 rue de la République")
        )
        assert place.coordinates_precision == CoordinatesPrecision.ADDRESS
        assert (place.latitude, place.longitude) == (LAT, LON)
        assert geocoder.queries[-1]["q"].startswith("12 rue de la République")

    def test_a_commune_centre_is_tried_again_at_the_next_save(self, geocoder, advisor):
        geocoder.mode = "error"
        place = services.place_create(advisor=advisor, values=_values())
        assert place.coordinates_precision == CoordinatesPrecision.COMMUNE
        geocoder.mode = "housenumber"
        services.place_update(place=place, values=_values(latitude=place.latitude, longitude=place.longitude))
        assert place.coordinates_precision == CoordinatesPrecision.ADDRESS


@pytest.mark.django_db
class TestGeocodePlacesCommand:
    def test_it_geocodes_commune_centres_and_leaves_typed_coordinates(self, geocoder):
        paris = commune("75111")
        structure = StructureFactory(commune=paris, postal_code="75011")
        centres = PlaceFactory.create_batch(3, structure=structure, address="11 rue de la République")
        typed = PlaceFactory(
            structure=structure, latitude=48.1, longitude=2.1, coordinates_precision=CoordinatesPrecision.TYPED
        )
        out = StringIO()
        call_command("geocode_places", "--batch-size", "2", stdout=out)
        for place in centres:
            place.refresh_from_db()
            assert place.coordinates_precision == CoordinatesPrecision.ADDRESS
            assert (place.latitude, place.longitude) == (LAT, LON)
        typed.refresh_from_db()
        assert (typed.latitude, typed.longitude, typed.coordinates_precision) == (48.1, 2.1, "saisie")
        assert len(geocoder.queries) == 3
        assert "3 lieux traités" in out.getvalue()

    def test_a_failure_keeps_a_better_earlier_answer(self, geocoder):
        place = PlaceFactory(
            structure=StructureFactory(commune=commune("75111"), postal_code="75011"),
            latitude=LAT,
            longitude=LON,
            coordinates_precision=CoordinatesPrecision.ADDRESS,
        )
        geocoder.mode = "error"
        call_command("geocode_places", "--all", stdout=StringIO())
        place.refresh_from_db()
        assert place.coordinates_precision == CoordinatesPrecision.ADDRESS and (place.latitude, place.longitude) == (
            LAT,
            LON,
        )

    def test_it_stops_at_the_limit(self, geocoder):
        structure = StructureFactory(commune=commune("75111"), postal_code="75011")
        PlaceFactory.create_batch(3, structure=structure)
        call_command("geocode_places", "--limit", "2", stdout=StringIO())
        assert Place.objects.filter(coordinates_precision=CoordinatesPrecision.ADDRESS).count() == 2

    def test_it_refuses_without_a_geocoder(self, settings):
        settings.GEOCODER_URL = ""
        with pytest.raises(CommandError, match="GEOCODER_URL"):
            call_command("geocode_places", stdout=StringIO())


@pytest.mark.django_db
class TestWhatTheAdvisorIsTold:
    def test_the_message_says_where_the_map_puts_the_place(self, client, advisor_user, geocoder):
        from tests.directory.test_coop_views import place_post

        commune("13055")
        client.force_login(advisor_user)
        geocoder.mode = "error"
        response = client.post(reverse("coop:place_create"), place_post(), follow=True)
        assert "placé au centre de la commune : vérifiez l'adresse" in html.unescape(response.text)
        geocoder.mode, geocoder.citycode = "housenumber", "13055"
        place = Place.objects.get(name="Médiathèque Louise-Michel")
        response = client.post(
            reverse("coop:place_edit", args=[place.pk]),
            place_post(latitude=str(place.latitude), longitude=str(place.longitude)),
            follow=True,
        )
        assert "Position sur la carte : adresse géocodée (numéro dans la voie)." in html.unescape(response.text)
