"""The activity-report CSV written by PostgreSQL itself (`COPY (SELECT …) TO STDOUT`), streamed in constant memory.

Same columns, labels and spreadsheet-safe text as pilotage_exports.activity_rows (the SQLite path, and the
reference: tests compare both on PostgreSQL). Formatting a million rows in Python costs ~25 µs a row; the database
does it several times faster, and the rows never become Python objects.
"""

from collections.abc import Iterator

from django.db import connection

from common.exports import sql_neutralise
from reporting.counters import BREAKDOWN_FIELDS, MATERIAL_BITS, PROCEDURE_BITS, THEME_BITS
from reporting.enums import ActivityKind, Autonomy, Material, PlaceType, Procedure, RedirectionStructure, Theme
from reporting.models import Activity


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _label(column: str, choices) -> str:
    whens = " ".join(f"WHEN {_literal(value)} THEN {_literal(label)}" for value, label in choices)
    return f"CASE {column} {whens} ELSE '' END"


def _mask(column: str, bits: dict[str, int], enum) -> str:
    parts = ", ".join(
        f"CASE WHEN ({column} & {bit}) <> 0 THEN {_literal(enum(value).label)} END" for value, bit in bits.items()
    )
    return f"ARRAY_TO_STRING(ARRAY[{parts}], ', ')"


def select_sql() -> str:
    """The SELECT of the export over `reporting_activity a` joined to advisors, structures and places."""
    columns = [
        "a.id",
        "TO_CHAR(a.date, 'DD/MM/YYYY')",
        "a.advisor_id",
        sql_neutralise("(ad.first_name || ' ' || ad.last_name)"),
        "a.structure_id",
        sql_neutralise("COALESCE(s.name, '')"),
        "a.department_id",
        _label("a.kind", ActivityKind.choices),
        "a.duration",
        _label("a.place_type", PlaceType.choices),
        sql_neutralise("COALESCE(p.name, '')"),
        "a.commune_id",
        _mask("a.themes", THEME_BITS, Theme),
        _mask("a.procedures", PROCEDURE_BITS, Procedure),
        _mask("a.materials", MATERIAL_BITS, Material),
        sql_neutralise("a.title"),
        "a.participants",
        "a.already_accompanied",
        _label("a.autonomy", Autonomy.choices),
        "CASE WHEN a.redirected THEN 'Oui' WHEN NOT a.redirected THEN 'Non' ELSE '' END",
        _label("a.redirection_structure", RedirectionStructure.choices),
        *(f"a.{column}" for column in BREAKDOWN_FIELDS),
    ]
    return (
        f"SELECT {', '.join(columns)} FROM {Activity._meta.db_table} a "
        "JOIN directory_advisor ad ON ad.id = a.advisor_id "
        "LEFT JOIN directory_structure s ON s.id = a.structure_id "
        "LEFT JOIN directory_place p ON p.id = a.place_id"
    )


CHUNK_BYTES = 256 * 1024


def activity_csv(queryset, header: list[str]) -> Iterator[bytes]:
    """The CSV of the reports of a (scoped, filtered) queryset: BOM, header, then PostgreSQL's COPY output in chunks
    of about CHUNK_BYTES (COPY sends one message per row)."""
    ids_sql, params = queryset.values("pk").query.sql_with_params()
    statement = (
        f"COPY ({select_sql()} WHERE a.id IN ({ids_sql})) TO STDOUT WITH (FORMAT csv, DELIMITER ';', ENCODING 'UTF8')"
    )
    yield ("\ufeff" + ";".join(f'"{name}"' if ";" in name else name for name in header) + "\n").encode()
    connection.ensure_connection()
    buffer = bytearray()
    with connection.connection.cursor() as cursor:
        with cursor.copy(statement, params) as copy:
            for row in copy:
                buffer += row
                if len(buffer) >= CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
    if buffer:
        yield bytes(buffer)
