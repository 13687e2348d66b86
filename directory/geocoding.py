"""Coordinates of a place from its address (the national address API when configured), with their precision.

Design note. GEOCODER_URL names a search endpoint answering like the Base Adresse Nationale's
(https://api-adresse.data.gouv.fr/search/ or its successor https://data.geopf.fr/geocodage/search): GET with `q`
(the address and the commune's name), `postcode`, `limit=1`, answered by GeoJSON whose first feature has
`geometry.coordinates` [longitude, latitude] and `properties.score` / `type` / `citycode`. A result is kept only when
its score reaches GEOCODER_MIN_SCORE, its INSEE code is the place's commune (an arrondissement of Paris, Lyon or
Marseille counts for its city) and it is a house number (precision « adresse ») or a street or lieu-dit (« rue »);
anything else — not configured, timeout (GEOCODER_TIMEOUT_SECONDS, 2 s by default), error, low score, other
commune, only the municipality found — falls back to the commune's centre (« commune »). A save is never blocked
nor failed by the geocoder. The stdlib's urllib is enough for one GET and keeps this free of a runtime dependency.
The batch command `geocode_places` paces its calls under the API's limit (50 requests per second and address).
"""

import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from directory.enums import CoordinatesPrecision

logger = logging.getLogger(__name__)

RESULT_PRECISIONS = {
    "housenumber": CoordinatesPrecision.ADDRESS,
    "street": CoordinatesPrecision.STREET,
    "locality": CoordinatesPrecision.STREET,
}
# INSEE codes of the cities split into municipal arrondissements, and the prefix of their arrondissements' codes.
ARRONDISSEMENT_PREFIXES = {"75056": "751", "69123": "6938", "13055": "132"}
USER_AGENT = "conseiller-numerique (géocodage des lieux d'activité)"


@dataclass(frozen=True)
class Location:
    """Where a place is, how precisely, and when the geocoder said so (None when it did not)."""

    latitude: float | None
    longitude: float | None
    precision: str
    geocoded_at: datetime | None = None


def geocoder_enabled() -> bool:
    return bool(settings.GEOCODER_URL)


def _same_commune(found: str, commune_code: str) -> bool:
    if found == commune_code:
        return True
    prefix = ARRONDISSEMENT_PREFIXES.get(commune_code)
    return prefix is not None and found.startswith(prefix)


def _query(*, address: str, postal_code: str, commune_name: str) -> str:
    params = {"q": f"{address} {commune_name}".strip(), "limit": "1"}
    if postal_code:
        params["postcode"] = postal_code
    separator = "&" if "?" in settings.GEOCODER_URL else "?"
    return f"{settings.GEOCODER_URL}{separator}{urllib.parse.urlencode(params)}"


def geocode_address(*, address: str, postal_code: str, commune_code: str, commune_name: str) -> Location | None:
    """The address's location from the geocoder, or None when it is off, fails or gives no trustworthy answer."""
    if not geocoder_enabled() or not address.strip():
        return None
    request = urllib.request.Request(
        _query(address=address, postal_code=postal_code, commune_name=commune_name),
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.GEOCODER_TIMEOUT_SECONDS) as response:
            payload = json.loads(response.read())
        feature = (payload.get("features") or [None])[0]
        if feature is None:
            return None
        longitude, latitude = (float(value) for value in feature["geometry"]["coordinates"][:2])
        properties = feature.get("properties") or {}
        score = float(properties.get("score") or 0)
        kind = str(properties.get("type") or "")
        found_commune = str(properties.get("citycode") or "")
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        # OSError covers timeouts, refused connections and HTTP errors (urllib.error.URLError is one).
        logger.warning("Géocodage impossible (%s) : le centre de la commune %s est utilisé.", error, commune_code)
        return None
    precision = RESULT_PRECISIONS.get(kind)
    if precision is None or score < settings.GEOCODER_MIN_SCORE or not _same_commune(found_commune, commune_code):
        logger.info(
            "Géocodage écarté pour la commune %s (type %s, score %.2f, commune trouvée %s).",
            commune_code,
            kind or "?",
            score,
            found_commune or "?",
        )
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return Location(latitude, longitude, precision, timezone.now())


def locate(*, address: str, postal_code: str, commune) -> Location:
    """The geocoded address when the geocoder gives a trustworthy answer, else the commune's centre."""
    found = geocode_address(
        address=address, postal_code=postal_code, commune_code=commune.pk, commune_name=commune.name
    )
    if found is not None:
        return found
    return Location(commune.latitude, commune.longitude, CoordinatesPrecision.COMMUNE)
