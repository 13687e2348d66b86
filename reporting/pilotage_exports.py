"""Rows of the pilotage list exports (activity reports, advisors, structures), scoped like the dashboards.

Rows come from `values_list(...).iterator(chunk_size=…)`: a server-side cursor on PostgreSQL, a chunked cursor on
SQLite, so an export of millions of rows runs in constant memory. Activity reports never include private notes.
Large exports run as a background task (reporting/tasks.py) that writes the same rows to a private file.
"""

from collections.abc import Iterator
from functools import cache

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import restrict
from common.exports import csv_chunks, neutralise
from directory.enums import AdvisorStatus, ContractType, StructureStatus, StructureType
from directory.models import Advisor, Contract, Convention
from reporting import csv_copy, scopes
from reporting.counters import BREAKDOWN_FIELDS, MATERIAL_BITS, PROCEDURE_BITS, THEME_BITS, from_mask
from reporting.enums import (
    ActivityKind,
    Autonomy,
    ExportKind,
    Material,
    PlaceType,
    Procedure,
    RedirectionStructure,
    Theme,
)
from reporting.exports import BREAKDOWN_HEADERS

CHUNK_SIZE = 5000
PERSONAL_DATA = {ExportKind.ACTIVITIES, ExportKind.ADVISORS, ExportKind.STRUCTURES}


@cache
def _mask_labels(mask: int, family: str) -> str:
    bits, enum = {"theme": (THEME_BITS, Theme), "procedure": (PROCEDURE_BITS, Procedure)}.get(
        family, (MATERIAL_BITS, Material)
    )
    return ", ".join(enum(value).label for value in from_mask(mask, bits))


KIND_LABELS = dict(ActivityKind.choices)
PLACE_LABELS = dict(PlaceType.choices)
AUTONOMY_LABELS = dict(Autonomy.choices)
REDIRECTION_LABELS = dict(RedirectionStructure.choices)
YES_NO = {True: "Oui", False: "Non", None: ""}

ACTIVITY_COLUMNS = [
    "pk",
    "date",
    "advisor_id",
    "advisor__first_name",
    "advisor__last_name",
    "structure_id",
    "structure__name",
    "department_id",
    "kind",
    "duration",
    "place_type",
    "place__name",
    "commune_id",
    "themes",
    "procedures",
    "materials",
    "title",
    "participants",
    "already_accompanied",
    "autonomy",
    "redirected",
    "redirection_structure",
    *BREAKDOWN_FIELDS,
]
ACTIVITY_HEADER = [
    "Identifiant",
    "Date",
    "Id conseiller",
    "Conseiller",
    "Id de la structure",
    "Structure employeuse",
    "Département",
    "Type",
    "Durée (minutes)",
    "Type de lieu",
    "Lieu d'activité",
    "Code INSEE de la commune",
    "Thématiques",
    "Démarches administratives",
    "Matériel utilisé",
    "Titre de l'atelier",
    "Participants",
    "Déjà accompagnés",
    "Autonomie",
    "Réorientée",
    "Structure de réorientation",
    *(label for _, label in BREAKDOWN_HEADERS),
]


def activity_queryset(filterset):
    """The reports of the filters (already scoped by visible_activities), within the period shown."""
    period = filterset.period
    return filterset.qs.filter(date__gte=period.start, date__lte=period.end).order_by()


def _raw_rows(queryset, columns: list[str]) -> Iterator[tuple]:
    """Rows of a values_list query straight from the database cursor (server-side on PostgreSQL), without the ORM's
    per-value converters: dates may come as text (SQLite) and booleans as 0/1."""
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK_SIZE):
            yield from batch


@cache
def _day(value) -> str:
    """A date (or its ISO text, as SQLite returns it) as JJ/MM/AAAA."""
    text = value if isinstance(value, str) else value.isoformat()
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}"


class _SafeNames(dict):
    """Names made safe for spreadsheets once per distinct value (a few thousand advisors, structures, places)."""

    def __missing__(self, key):
        value = neutralise(key or "")
        self[key] = value
        return value


def activity_rows(queryset) -> Iterator[list]:
    """The header, then one row per report (no private notes)."""
    yield ACTIVITY_HEADER
    breakdown_start = ACTIVITY_COLUMNS.index(BREAKDOWN_FIELDS[0])
    names = _SafeNames()
    themes_of, procedures_of, materials_of = ({} for _ in range(3))
    for row in _raw_rows(queryset, ACTIVITY_COLUMNS):
        (
            pk,
            day,
            advisor_id,
            first,
            last,
            structure_id,
            structure,
            department,
            kind,
            duration,
            place_type,
            place,
            commune,
            themes,
            procedures,
            materials,
            title,
            participants,
            already,
            autonomy,
            redirected,
            redirection,
        ) = row[:breakdown_start]
        theme_labels = themes_of.get(themes) or themes_of.setdefault(themes, _mask_labels(themes, "theme"))
        procedure_labels = procedures_of.get(procedures)
        if procedure_labels is None:
            procedure_labels = procedures_of.setdefault(procedures, _mask_labels(procedures, "procedure"))
        material_labels = materials_of.get(materials)
        if material_labels is None:
            material_labels = materials_of.setdefault(materials, _mask_labels(materials, "material"))
        yield [
            pk,
            _day(day),
            advisor_id,
            names[f"{first} {last}"],
            structure_id or "",
            names[structure],
            department or "",
            KIND_LABELS.get(kind, kind),
            duration,
            PLACE_LABELS.get(place_type, place_type),
            names[place],
            commune or "",
            theme_labels,
            procedure_labels,
            material_labels,
            names[title],
            participants,
            already,
            AUTONOMY_LABELS.get(autonomy, ""),
            YES_NO[redirected],
            REDIRECTION_LABELS.get(redirection, ""),
            *row[breakdown_start:],
        ]


def advisor_queryset(filterset):
    """The advisors of the scope, each with the reports they recorded within the period and filters of the export."""
    scope, filters = filterset.scope(), filterset.activity_filters
    advisors = restrict(scopes.scope_advisors(scope), filterset.user)
    if filters.structure_type:
        advisors = advisors.filter(structure__type=filters.structure_type)
    reports = (
        activity_queryset(filterset)
        .filter(advisor_id=OuterRef("pk"))
        .values("advisor_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    period_reports = Coalesce(Subquery(reports, output_field=IntegerField()), Value(0))
    return advisors.annotate(period_reports=period_reports, **_contract_columns()).order_by("pk")


def _contract_columns() -> dict:
    """Each advisor's contract in progress (type, start, planned end) and how many contracts she has had."""
    running = Contract.objects.active().filter(advisor=OuterRef("pk")).order_by("-start")
    count = Contract.objects.filter(advisor=OuterRef("pk")).order_by().values("advisor").annotate(n=Count("pk"))
    return {
        "contract_type_now": Subquery(running.values("contract_type")[:1]),
        "contract_start_now": Subquery(running.values("start")[:1]),
        "contract_end_now": Subquery(running.values("end")[:1]),
        "contracts_count": Coalesce(Subquery(count.values("n"), output_field=IntegerField()), Value(0)),
    }


ADVISOR_HEADER = [
    "Id conseiller",
    "Id de la structure",
    "Nom de la structure",
    "Code postal de la structure",
    "Code département",
    "Nom",
    "Prénom",
    "Email professionnel",
    "Téléphone professionnel",
    "Statut",
    "Date de prise de poste",
    "Date de fin de contrat",
    "Date d'entrée en formation",
    "Date de sortie de formation",
    "Coordinateur",
    "Certifié",
    "Type de contrat en cours",
    "Début du contrat en cours",
    "Fin prévue du contrat en cours",
    "Nombre de contrats",
    "CRA saisis sur la période",
]
ADVISOR_STATUS = dict(AdvisorStatus.choices)
CONTRACT_TYPES = dict(ContractType.choices)


def advisor_rows(queryset) -> Iterator[list]:
    """The header, then one row per advisor with the reports recorded within the export's period and filters."""
    yield ADVISOR_HEADER
    columns = [
        "pk",
        "structure_id",
        "structure__name",
        "structure__postal_code",
        "structure__department_id",
        "last_name",
        "first_name",
        "professional_email",
        "professional_phone",
        "status",
        "started_at",
        "ended_at",
        "training_start",
        "training_end",
        "is_coordinator",
        "certified",
        "contract_type_now",
        "contract_start_now",
        "contract_end_now",
        "contracts_count",
        "period_reports",
    ]
    for row in queryset.values_list(*columns).iterator(chunk_size=CHUNK_SIZE):
        values = list(row)
        values[9] = ADVISOR_STATUS.get(values[9], values[9])
        values[14], values[15] = YES_NO[values[14]], YES_NO[values[15]]
        values[16] = CONTRACT_TYPES.get(values[16], values[16])
        yield ["" if value is None else value for value in values]


def structure_queryset(filterset):
    scope, filters = filterset.scope(), filterset.activity_filters
    structures = restrict(scopes.scope_structures(scope), filterset.user)
    if filters.structure_type:
        structures = structures.filter(type=filters.structure_type)
    return structures.order_by("pk")


STRUCTURE_HEADER = [
    "SIRET structure",
    "ID Structure",
    "Dénomination",
    "Type",
    "Statut",
    "Code postal",
    "Code commune",
    "Code département",
    "Code région",
    "Prénom du contact",
    "Nom du contact",
    "Téléphone",
    "Email",
    "Nombre de conseillers validés",
    "Candidats recrutés",
    "ZRR",
    "QPV",
    "Labelisée France Services",
    "Grand Réseau",
    "Adresse postale",
    "N° de convention",
    "Début de la convention",
    "Fin de la convention",
]
STRUCTURE_TYPES = dict(StructureType.choices)
STRUCTURE_STATUS = dict(StructureStatus.choices)


def structure_rows(queryset) -> Iterator[list]:
    """The header, then one row per structure (columns of the real « structures » export, domain-cnum §5.5)."""
    yield STRUCTURE_HEADER
    recruited = dict(
        Advisor.objects.filter(structure__in=queryset.values("pk"))
        .values_list("structure_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # The convention in force today (the latest if two overlap: a renewal starting today).
    in_force = {
        structure_id: (number, _day(start), _day(end))
        for structure_id, number, start, end in Convention.objects.filter(structure__in=queryset.values("pk"))
        .in_force(timezone.localdate())
        .order_by("start")
        .values_list("structure_id", "number", "start", "end")
    }
    columns = [
        "siret",
        "pk",
        "name",
        "type",
        "status",
        "postal_code",
        "commune_id",
        "department_id",
        "department__region_id",
        "contact_first_name",
        "contact_last_name",
        "contact_phone",
        "contact_email",
        "posts_granted",
        "zrr",
        "qpv",
        "france_services_label",
        "network",
        "address",
    ]
    for row in queryset.values_list(*columns).iterator(chunk_size=CHUNK_SIZE):
        (
            siret,
            pk,
            name,
            kind,
            status,
            postal,
            commune,
            department,
            region,
            first,
            last,
            phone,
            email,
            posts,
            zrr,
            qpv,
            france_services,
            network,
            address,
        ) = row
        yield [
            siret or "",
            pk,
            name,
            STRUCTURE_TYPES.get(kind, kind),
            STRUCTURE_STATUS.get(status, status),
            postal,
            commune,
            department,
            region,
            first,
            last,
            phone,
            email,
            posts,
            f"{recruited.get(pk, 0)}/{posts}",
            YES_NO[zrr],
            YES_NO[qpv],
            YES_NO[france_services],
            network,
            address,
            *in_force.get(pk, ("", "", "")),
        ]


# Rows already made safe (the fast CSV path); the other lists go through common.exports.csv_cell cell by cell.
PREPARED = {ExportKind.ACTIVITIES}
EXPORTS = {
    ExportKind.ACTIVITIES: (activity_queryset, activity_rows, "comptes_rendus"),
    ExportKind.ADVISORS: (advisor_queryset, advisor_rows, "conseillers"),
    ExportKind.STRUCTURES: (structure_queryset, structure_rows, "structures"),
}


def csv_content(kind: str, queryset) -> Iterator:
    """The CSV chunks of an export: written by PostgreSQL for activity reports, else by Python."""
    rows = EXPORTS[kind][1]
    if kind == ExportKind.ACTIVITIES and connection.vendor == "postgresql":
        return csv_copy.activity_csv(queryset, ACTIVITY_HEADER)
    return csv_chunks(rows(queryset), prepared=kind in PREPARED)


def export_plan(kind: str, filterset):
    """(queryset, rows function, file name stem) of one export for the filters."""
    queryset_of, rows, stem = EXPORTS[kind]
    return queryset_of(filterset), rows, stem
