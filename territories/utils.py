"""Small helpers on geographic codes and text, shared by every app."""

import math
import unicodedata


def department_code_for_commune(insee_code: str) -> str:
    """Return the department code of a commune INSEE code (971xx → 971, 2A004 → 2A, 75056 → 75)."""
    return insee_code[:3] if insee_code.startswith("97") else insee_code[:2]


def normalize_search(text: str) -> str:
    """Lower-case, accent-free, hyphens and apostrophes as spaces: 'Saint-Étienne' → 'saint etienne'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    for separator in ("-", "'", "’"):
        stripped = stripped.replace(separator, " ")
    return " ".join(stripped.lower().split())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    radius = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """Return (min_lat, max_lat, min_lon, max_lon) around a point, to pre-filter rows before exact distances."""
    dlat = radius_km / 111.2
    dlon = radius_km / max(111.2 * math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
