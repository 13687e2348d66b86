"""The validated structures as open data: the historical `structures_open_data.csv`, its XLSX twin, its Table Schema.

Design note (issue 18 §2). The reference is the existing system's export script (anct-cnum, Node), which wrote:
- the header below byte for byte (typographic apostrophe U+2019 in « l’Etat »), `;` separator, "\\n" line ends and no
  BOM: kept, so the header line's bytes are exactly the historical ones and existing readers keep working; spreadsheet
  users get the XLSX, where codes stay text (« 01 », « 01000 ») and numbers and dates stay typed;
- vocabularies: Type « privée »/« publique », ZRR « oui »/« non », QPV « oui »/« non »/« Non défini », France services
  « oui »/« non »/« non renseigné » (our booleans are never unknown, so the last two values are never written but stay
  in the schema), dates JJ/MM/AAAA, the full address between double quotes, the raison sociale without commas;
- one quirk is NOT kept: each data row ended with a stray ";" (18 cells under 17 headers), which every Table Schema
  validator reports as an extra cell. Rows have exactly 17 cells;
- « Nombre de conseillers validés par le COSELEC » is `Structure.posts_granted`, the posts of the convention in force
  with its avenants (kept by directory.conventions), the « postes attribués » of every dashboard;
- a structure is published once validated and from its validation date: a validation dated in the future is not
  shown before that day. A validated structure without a validation date is published with an empty date.
The file is described by `reporting/data/schemas/structures-open-data.json` (Table Schema, served next to it), and the
tests validate the whole export with frictionless.
"""

import json
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain
from pathlib import Path

from django.utils import timezone

from common import exports as export_files
from directory.enums import StructureType
from directory.models import Structure
from reporting.indicators import fr_number

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "schemas" / "structures-open-data.json"
FILENAME = "structures_open_data"
COLUMNS = [
    "id",
    "Raison sociale",
    "Commune INSEE",
    "Département",
    "Région",
    "Nombre de conseillers validés par le COSELEC",
    "Date de validation en comité de sélection",
    "Type",
    "SIRET",
    "Code département",
    "Adresse",
    "Code commune INSEE",
    "Code postal",
    "Investissement financier estimatif total de l\u2019Etat",
    "ZRR",
    "QPV",
    "France services",
]
ADDRESS_COLUMN = COLUMNS.index("Adresse")

# The State's commitment per advisor granted, in euros (historical export script).
PRIVATE_SUBSIDY = Decimal(32_000)
PUBLIC_SUBSIDY = Decimal(50_000)
OVERSEAS_PUBLIC_SUBSIDIES = {"971": Decimal(70_000), "972": Decimal(70_000), "973": Decimal(70_000)}
OVERSEAS_PUBLIC_SUBSIDIES |= {"974": Decimal(67_500), "976": Decimal(67_500)}
TRAINING = Decimal("4805")
OUTFIT = Decimal("297.228")
CERTIFICATION = Decimal("326.60")


def state_investment(*, private: bool, department_code: str, posts: int) -> int:
    """The State's estimated commitment in euros: (subsidy + 4 805 + 297,228 + 326,60) × posts, rounded to the euro.

    Subsidy per post: private structure 32 000 €; public structure 50 000 € in metropolitan France, 70 000 € in
    Guadeloupe, Martinique and Guyane (971, 972, 973), 67 500 € in La Réunion and Mayotte (974, 976). Half-euros round
    up, as the historical export did (JavaScript's Math.round).
    """
    subsidy = PRIVATE_SUBSIDY if private else OVERSEAS_PUBLIC_SUBSIDIES.get(department_code, PUBLIC_SUBSIDY)
    total = (subsidy + TRAINING + OUTFIT + CERTIFICATION) * posts
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _euros(value: Decimal) -> str:
    whole, _, decimals = f"{value:f}".partition(".")
    return fr_number(int(whole)) + (f",{decimals}" if decimals else "") + "\u00a0€"


def investment_terms() -> list[dict]:
    """The formula's cases for the /open-data/ page: who, the subsidy per post and the total per post, in euros."""
    costs = TRAINING + OUTFIT + CERTIFICATION
    cases = [
        ("Structure privée (partout)", PRIVATE_SUBSIDY),
        ("Structure publique en métropole", PUBLIC_SUBSIDY),
        ("Structure publique en Guadeloupe, Martinique, Guyane", OVERSEAS_PUBLIC_SUBSIDIES["971"]),
        ("Structure publique à La Réunion, à Mayotte", OVERSEAS_PUBLIC_SUBSIDIES["974"]),
    ]
    return [
        {"case": case, "subsidy": _euros(subsidy), "per_post": _euros(subsidy + costs), "costs": _euros(costs)}
        for case, subsidy in cases
    ]


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def structure_rows(now=None):
    """One list of 17 typed values per published structure, ordered by id (one query, streamed)."""
    structures = (
        Structure.objects.published(now)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "commune__name",
            "department__name",
            "department__region__name",
            "posts_granted",
            "validated_at",
            "type",
            "siret",
            "department_id",
            "address",
            "commune_id",
            "postal_code",
            "commune__postal_codes",
            "zrr",
            "qpv",
            "france_services_label",
        )
    )
    for row in structures.iterator(chunk_size=2000):
        (pk, name, commune, department, region, posts, validated, kind, siret, code) = row[:10]
        (address, insee, postal_code, commune_postal_codes, zrr, qpv, france_services) = row[10:]
        postal_code = postal_code or (commune_postal_codes or [""])[0]
        private = kind == StructureType.PRIVATE
        yield [
            pk,
            " ".join(name.replace(",", "").split()),
            commune,
            department,
            region,
            posts,
            timezone.localtime(validated).date() if validated else None,
            "privée" if private else "publique",
            siret or "",
            code,
            " ".join(part for part in (" ".join(address.split()), postal_code, commune) if part),
            insee,
            postal_code,
            state_investment(private=private, department_code=code, posts=posts),
            _yes_no(zrr),
            _yes_no(qpv),
            _yes_no(france_services),
        ]


def csv_chunks(now=None):
    """The CSV file in chunks of text: the historical header, then the rows (`;`, LF, no BOM, address quoted)."""
    options = {"bom": False, "lineterminator": "\n"}
    yield from export_files.csv_chunks([COLUMNS], **options)
    yield from export_files.csv_chunks(structure_rows(now), quoted_columns=[ADDRESS_COLUMN], **options)


def table_schema() -> dict:
    """The Table Schema of the CSV file (names, types, patterns, value lists, descriptions)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def notice_rows(generated_at) -> list[list]:
    """The « Notice » sheet of the XLSX: source, licence, date, then each column with its description."""
    schema = table_schema()
    rows = [
        ["Structures accueillant des conseillers numériques", ""],
        ["Source", "Plateforme Conseiller numérique (ANCT)"],
        ["Licence", "Licence Ouverte 2.0 (Etalab)"],
        ["Généré le", generated_at],
        ["", ""],
        ["Colonne", "Description"],
    ]
    rows.extend([field["name"], field["description"]] for field in schema["fields"])
    return rows


def xlsx_sheets(now=None) -> list[tuple]:
    """The XLSX workbook's sheets: the same 17 columns (codes as text, numbers and dates typed), then the notice."""
    now = now or timezone.now()
    return [
        ("Structures", chain([COLUMNS], structure_rows(now)), 1),
        ("Notice", notice_rows(now), 1),
    ]
