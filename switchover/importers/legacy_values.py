"""Shared conversions of the existing system's values: Paris dates, phones, JSON-safe raw values, known references.

Design note (set-based loads): every directory importer resolves a chunk's references with one query per kind
(`legacy_targets`: the external ids of several collections in one query) and writes with bulk_create; nothing
here queries per row.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Q

from directory.enums import ContractType, StructureType
from directory.phones import e164_phone  # the project's one phone rule (the forms')
from switchover.models import LegacyRecord

PARIS = ZoneInfo("Europe/Paris")

# Never copied into LegacyRecord.raw: credentials, one-time keys and the denormalised copies of other documents.
SECRET_KEYS = frozenset(
    {
        "password",
        "token",
        "tokenCreatedAt",
        "refreshToken",
        "emailConfirmationKey",
        "sondageToken",
        "tokenChangementMailPro",
        "tokenChangementMailProCreatedAt",
        "mailProAModifier",
        "conseillerObj",
        "structureObj",
    }
)


def paris_date(value) -> date | None:
    """A date-only field of the existing system (UTC midnight or Paris midnight in UTC) as the Paris calendar date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(PARIS).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    try:
        return paris_date(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def moment(value) -> datetime | None:
    """A datetime field (createdAt…) as an aware datetime, or None."""
    return value if isinstance(value, datetime) else None


def phone(value) -> str:
    """A valid number in international form (« +33450000000 »), or "" when it is not one (the value goes to raw)."""
    return e164_phone(str(value or ""))


def text(value, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def yes(value) -> bool:
    """OUI/Oui/oui/true → True."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"oui", "true", "1", "o"}


def jsonable(value):
    """A value ready for a JSONField: datetimes as ISO strings."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def rest(document: dict, mapped: frozenset[str] | set[str]) -> dict:
    """The fields of `document` no column holds (secrets and denormalised copies dropped), JSON-safe."""
    return {
        key: jsonable(value)
        for key, value in document.items()
        if key not in mapped and key not in SECRET_KEYS and key != "_id" and value not in (None, "", [], {})
    }


def legacy_targets(wanted: dict[str, set[str]]) -> dict[tuple[str, str], int | None]:
    """{(collection, external id): target id} of the already imported documents among `wanted` (one query)."""
    condition = Q()
    for collection, ids in wanted.items():
        ids = {external_id for external_id in ids if external_id}
        if ids:
            condition |= Q(collection=collection, external_id__in=ids)
    if not condition:
        return {}
    rows = LegacyRecord.objects.filter(condition).values_list("collection", "external_id", "target_id")
    return {(collection, external_id): target for collection, external_id, target in rows}


# Value lists shared by the directory and the dossier importers (domain-cnum.md §2.2, §2.3).
STRUCTURE_TYPES = {
    "COMMUNE": StructureType.COMMUNE,
    "DEPARTEMENT": StructureType.DEPARTMENT,
    "REGION": StructureType.REGION,
    "EPCI": StructureType.EPCI,
    "COLLECTIVITE": StructureType.SPECIAL_STATUS,
    "GIP": StructureType.GIP,
    "PRIVATE": StructureType.PRIVATE,
}

CONTRACT_TYPES = {
    "CDI": ContractType.CDI,
    "CDD": ContractType.CDD,
    "PEC": ContractType.PEC,
    "contrat_de_projet_public": ContractType.PUBLIC_PROJECT,
}
