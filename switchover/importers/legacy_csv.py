"""The national team's CSV export of structures (admin-api `structures-csv`, « Fichier structures ») as documents.

The export (`admin-api:src/services/exports/…generateCsvStructure`) writes one row per structure: `Type` is only
« privée » / « publique » (the public kind is read from the legal category), `Statut` the raw statut, `ZRR` and
`Labelisée France Services` oui/non, `QPV` the raw qpvStatut, the quota and number of the last POSITIF COSELEC.
It has no ObjectId: the structure's external id is `pg-<ID Structure>` and a structure already imported from the
JSON export is recognised by its idPG.
"""

from switchover.importers.legacy_values import text

STRUCTURE_HEADER = "ID Structure"

# « Libellé catégorie juridique niv III » → the existing system's public type.
LEGAL_CATEGORIES = [
    ("communauté", "EPCI"),
    ("métropole", "EPCI"),
    ("syndicat", "EPCI"),
    ("établissement public de coopération", "EPCI"),
    ("département", "DEPARTEMENT"),
    ("région", "REGION"),
    ("groupement d'intérêt public", "GIP"),
    ("commune", "COMMUNE"),
]


def is_csv_document(document: dict) -> bool:
    return STRUCTURE_HEADER in document


def _public_type(category: str) -> str:
    key = category.lower().replace("’", "'")
    for fragment, legacy_type in LEGAL_CATEGORIES:
        if fragment in key:
            return legacy_type
    return "COLLECTIVITE"


def structure_from_csv(row: dict) -> dict:
    """A `structures-csv` row as a `structures` document (the columns the export has)."""
    category = row.get("Libellé catégorie juridique niv III", "")
    kind = row.get("Type", "").strip().lower()
    legacy_type = "PRIVATE" if kind.startswith("priv") else _public_type(category) if kind else ""
    quota = row.get("Nombre de conseillers validés par le COSELEC", "").strip()
    validated = row.get("Validée en COSELEC", "").strip().lower() == "oui"
    coselec = []
    if validated and quota.isdigit():
        coselec.append(
            {
                "avisCoselec": "POSITIF",
                "nombreConseillersCoselec": int(quota),
                "numero": row.get("Numéro COSELEC", ""),
            }
        )
    document = {
        "idPG": row.get(STRUCTURE_HEADER, ""),
        "siret": row.get("SIRET structure", "").replace("null", "").replace("undefined", ""),
        "nom": row.get("Dénomination", ""),
        "type": legacy_type or row.get("Type", ""),
        "statut": row.get("Statut", ""),
        "codePostal": row.get("Code postal", ""),
        "codeCommune": row.get("Code commune", "") or row.get("Code commune INSEE", ""),
        "contact": {
            "telephone": row.get("Téléphone", "").replace("undefined", ""),
            "email": row.get("Email", "").replace("undefined", ""),
        },
        "estZRR": row.get("ZRR", "").strip().lower() == "oui",
        "qpvStatut": row.get("QPV", "").strip() or None,
        "estLabelliseFranceServices": {"oui": "OUI", "non": "NON"}.get(
            row.get("Labelisée France Services", "").strip().lower()
        ),
        "reseau": row.get("Nom Grand Réseau", "") or None,
        "coselec": coselec,
        "nombreConseillersSouhaites": row.get("Nombre de conseillers souhaités", "") or None,
        "insee": {"adresse": {"libelle_voie": text(row.get("Adresse postale", ""), 255)}},
        "raisonSociale": row.get("Raison sociale", "") or None,
        "categorieJuridique": category or None,
        "emailsAdministrateurs": row.get("Emails administrateurs", "") or None,
    }
    if kind and not kind.startswith("priv"):
        document["typeExport"] = row.get("Type", "")
    return document
