"""Public places as open data, in the national « lieux de médiation numérique » schema v1.0.2, exactly.

Design note. The reference is the official Table Schema (LaMednum/standard-mediation-num, v1.0.2, vendored in
directory/data/schemas/ with its provenance), no longer the ANCT npm package whose column order and phone pattern
differed. Every column of the schema is written, in the schema's order (FIELDS is read from the vendored file, so
the two cannot drift); values follow its types, patterns and value lists, multiple values joined with "|":
- `pivot`: the structure's SIRET when both its SIREN key and SIRET key are right, its 10-digit RIDET (New
  Caledonia), else the schema's documented placeholder 00000000000000 — never a value the pattern would refuse.
- `telephone`: the international form the pattern wants (directory.phones), or empty.
- `presentation_resume`: at most 280 characters (cut on a word, with « … »).
- `typologie`: the schema gives no closed list in v1.0.2; we keep data·inclusion's codes (MUNI, DEPT, REG, EPCI)
  for public bodies and leave it empty otherwise.
- `date_maj`: the day (Paris time) the place or its structure last changed.
- the precision of the coordinates (adresse / rue / commune / saisie) has no column in the schema: the CSV stays
  strictly the schema; the JSON API adds `precision_coordonnees` after the schema's fields, documented there as an
  extension (EXTENSION_FIELDS).
Used by the API (/api/lieux-mediation-numerique/ and its CSV) and reusable by /open-data/.
"""

import json
import re
from pathlib import Path

from django.utils import timezone

from common import exports as export_files
from directory.enums import AccessType, CoordinatesPrecision, StructureType
from directory.opening_hours import osm_opening_hours
from directory.phones import international_phone
from directory.selectors import located_public_places
from directory.validators import siret_is_valid

SCHEMA_PATH = Path(__file__).parent / "data" / "schemas" / "lieux-de-mediation-numerique-v1.0.2.json"
SCHEMA_VERSION = "v1.0.2"
SCHEMA_URL = "https://github.com/LaMednum/standard-mediation-num"
# The reference as the /open-data/ page names it (reporting/views/public.py reads this name).
SCHEMA_PACKAGE = f"version {SCHEMA_VERSION} du standard LaMednum/standard-mediation-num"
SOURCE = "Conseiller numérique"
UNKNOWN_PIVOT = "00000000000000"
RESUME_MAX_LENGTH = 280
POSTAL_CODE = re.compile(r"^\d{5}$")


def _schema_fields() -> list[str]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return [field["name"] for field in json.load(handle)["fields"]]


# The schema's columns, in its order: id, pivot, nom, commune, code_postal, code_insee, adresse, … prise_rdv.
FIELDS = _schema_fields()
# Fields of the JSON API that the schema does not have (never written to the CSV).
EXTENSION_FIELDS = ["precision_coordonnees"]

# The programme's missions (values of the schema's `services` list).
SERVICES = [
    "Maîtrise des outils numériques du quotidien",
    "Aide aux démarches administratives",
    "Utilisation sécurisée du numérique",
    "Compréhension du monde numérique",
    "Parentalité et éducation avec le numérique",
    "Insertion professionnelle via le numérique",
]
MODALITES_ACCOMPAGNEMENT = ["Accompagnement individuel", "Dans un atelier collectif"]
TYPOLOGIES = {
    StructureType.COMMUNE: "MUNI",
    StructureType.DEPARTMENT: "DEPT",
    StructureType.REGION: "REG",
    StructureType.EPCI: "EPCI",
}


def _modalites_acces(place, phone: str) -> list[str]:
    values = []
    if AccessType.FREE in place.access_types:
        values.append("Se présenter")
    if AccessType.APPOINTMENT in place.access_types:
        if phone:
            values.append("Téléphoner")
        if place.email:
            values.append("Contacter par mail")
    if AccessType.NO_PUBLIC in place.access_types:
        values.append("Ce lieu n'accueille pas de public")
    return values


def _programmes(structure) -> list[str]:
    programmes = ["Conseillers numériques"]
    if structure is not None and structure.france_services_label:
        programmes.append("France Services")
    if structure is not None and structure.aidants_connect_label:
        programmes.append("Aidants Connect")
    return programmes


def pivot(structure) -> str:
    """The schema's pivot: a fully valid SIRET, else a 10-digit RIDET, else 00000000000000."""
    if structure is None:
        return UNKNOWN_PIVOT
    if structure.siret and siret_is_valid(structure.siret):
        return structure.siret
    if structure.ridet and len(structure.ridet) == 10 and structure.ridet.isdigit():
        return structure.ridet
    return UNKNOWN_PIVOT


def shorten(text: str, limit: int = RESUME_MAX_LENGTH) -> str:
    """The text cut to `limit` characters on a word boundary, « … » marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _resume(structure) -> str:
    if structure is None:
        return "Accompagnement gratuit au numérique par des conseillers numériques."
    return shorten(f"Accompagnement gratuit au numérique par les conseillers numériques de {structure.name}.")


def _date_maj(place) -> str:
    changed = place.updated_at
    if place.structure is not None and place.structure.updated_at > changed:
        changed = place.structure.updated_at
    return timezone.localdate(changed).isoformat()


def coordinates_precision(place) -> str:
    """How the published coordinates of a located place were obtained ("" when it has none)."""
    if place.lat is None:
        return ""
    if place.latitude is None:
        # The commune's centre stands in for a place without coordinates of its own (located_public_places).
        return CoordinatesPrecision.COMMUNE
    return place.coordinates_precision


def lieu_row(place) -> dict:
    """One place in the schema: keys in the schema's order, then the extension; empty fields absent."""
    structure = place.structure
    phone = international_phone(place.phone or "", place.department_id)
    row = {
        "id": f"conseiller-numerique-lieu-{place.pk}",
        "pivot": pivot(structure),
        "nom": " ".join(place.name.split()),
        "commune": place.commune.name,
        "code_postal": place.postal_code
        if POSTAL_CODE.match(place.postal_code or "")
        else place.commune.main_postal_code,
        "code_insee": place.commune_id,
        "adresse": " ".join(place.address.split()),
        "latitude": place.lat,
        "longitude": place.lon,
        "typologie": TYPOLOGIES.get(structure.type, "") if structure is not None else "",
        "telephone": phone,
        "courriels": place.email,
        "site_web": place.website,
        "horaires": osm_opening_hours(place.opening_hours),
        "presentation_resume": _resume(structure),
        "source": SOURCE,
        "itinerance": "Itinérant" if place.itinerant else "Fixe",
        "structure_parente": structure.get_network_display() if structure is not None and structure.network else "",
        "date_maj": _date_maj(place),
        "services": "|".join(SERVICES),
        "frais_a_charge": "Gratuit",
        "dispositif_programmes_nationaux": "|".join(_programmes(structure)),
        "modalites_acces": "|".join(_modalites_acces(place, phone)),
        "modalites_accompagnement": "|".join(MODALITES_ACCOMPAGNEMENT),
        "precision_coordonnees": coordinates_precision(place),
    }
    return {field: row[field] for field in [*FIELDS, *EXTENSION_FIELDS] if row.get(field) not in ("", None)}


def lieux_de_mediation_numerique(*, department: str = "", commune: str = "") -> list[dict]:
    """Every public place (optionally of one department or commune) as schema rows, ordered by id; one query."""
    places = located_public_places().order_by("pk")
    if department:
        places = places.filter(department_id=department)
    if commune:
        places = places.filter(commune_id=commune)
    return [lieu_row(place) for place in places]


def write_csv(rows: list[dict], stream) -> None:
    """The rows as the schema's CSV: every column in its order (empty cells when absent), comma, UTF-8, no BOM."""
    table = [FIELDS, *([row.get(field) for field in FIELDS] for row in rows)]
    export_files.write_csv(stream, table, delimiter=",", bom=False, lineterminator="\n")
