"""Public places as open data, in the national « lieux de médiation numérique » schema.

Field names, order, types and value lists were checked against the npm package
@gouvfr-anct/lieux-de-mediation-numerique 2.3.0 (MIT, ANCT): `toSchemaLieuMediationNumerique` in
lib/esm/transfer/schema-lieux-de-mediation-numerique/ and the enumerations in lib/esm/models/. As there, list values
are joined with "|" and empty optional fields are left out. Used by the API (/api/lieux-mediation-numerique/) and
reusable by /open-data/.
"""

import re

from common import exports as export_files
from directory.enums import AccessType, StructureType
from directory.opening_hours import osm_opening_hours
from directory.selectors import located_public_places

SCHEMA_PACKAGE = "@gouvfr-anct/lieux-de-mediation-numerique 2.3.0"
SOURCE = "Conseiller numérique"
UNKNOWN_PIVOT = "00000000000000"

# Column order of the schema's CSV export (generalFields … collecteFields).
FIELDS = [
    "id",
    "nom",
    "pivot",
    "services",
    "typologie",
    "structure_parente",
    "commune",
    "code_postal",
    "adresse",
    "code_insee",
    "complement_adresse",
    "latitude",
    "longitude",
    "telephone",
    "courriels",
    "site_web",
    "presentation_resume",
    "presentation_detail",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "itinerance",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "horaires",
    "prise_rdv",
    "source",
    "date_maj",
]

# The programme's missions (values of the schema's `Service` enumeration).
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
# The schema's telephone pattern (models/contact/contact.js).
TELEPHONE = re.compile(
    r"^(?:(?:\+|00)(?:33|262|269|508|590|594|596|681|687|689)[\s.-]{0,3}(?:\(0\)[\s.-]{0,3})?|0)"
    r"(?:(?:[1-9](?:[\s.-]?\d{2}){4}|\d{2}(?:[\s.-]\d{3}){2})|\d{6}|\s\d{3}(?:\s\d{2}){3})$"
)


def _modalites_acces(place) -> list[str]:
    values = []
    if AccessType.FREE in place.access_types:
        values.append("Se présenter")
    if AccessType.APPOINTMENT in place.access_types:
        if place.phone:
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


def lieu_row(place) -> dict:
    """One place in the schema: keys in the schema's order, optional fields absent when empty."""
    structure = place.structure
    phone = (place.phone or "").strip()
    row = {
        "id": f"conseiller-numerique-lieu-{place.pk}",
        "nom": place.name,
        "pivot": (structure.siret if structure is not None and structure.siret else UNKNOWN_PIVOT),
        "services": "|".join(SERVICES),
        "typologie": TYPOLOGIES.get(structure.type, "") if structure is not None else "",
        "structure_parente": structure.get_network_display() if structure is not None and structure.network else "",
        "commune": place.commune.name,
        "code_postal": place.postal_code or place.commune.main_postal_code,
        "adresse": place.address,
        "code_insee": place.commune_id,
        "latitude": place.lat,
        "longitude": place.lon,
        "telephone": phone if TELEPHONE.match(phone) else "",
        "courriels": place.email,
        "site_web": place.website,
        "presentation_resume": (
            f"Accompagnement gratuit au numérique par les conseillers numériques de {structure.name}."
            if structure is not None
            else "Accompagnement gratuit au numérique par des conseillers numériques."
        ),
        "frais_a_charge": "Gratuit",
        "itinerance": "Itinérant" if place.itinerant else "Fixe",
        "modalites_acces": "|".join(_modalites_acces(place)),
        "modalites_accompagnement": "|".join(MODALITES_ACCOMPAGNEMENT),
        "dispositif_programmes_nationaux": "|".join(_programmes(structure)),
        "horaires": osm_opening_hours(place.opening_hours),
        "source": SOURCE,
        "date_maj": place.updated_at.date().isoformat(),
    }
    return {field: row[field] for field in FIELDS if row.get(field) not in ("", None)}


def lieux_de_mediation_numerique(*, department: str = "", commune: str = "") -> list[dict]:
    """Every public place (optionally of one department or commune) as schema rows, ordered by id; one query."""
    places = located_public_places().order_by("pk")
    if department:
        places = places.filter(department_id=department)
    if commune:
        places = places.filter(commune_id=commune)
    return [lieu_row(place) for place in places]


def write_csv(rows: list[dict], stream) -> None:
    """The rows as CSV with every schema column (empty cells for absent fields), comma-separated, UTF-8, no BOM."""
    table = [FIELDS, *([row.get(field) for field in FIELDS] for row in rows)]
    export_files.write_csv(stream, table, delimiter=",", bom=False, lineterminator="\n")
