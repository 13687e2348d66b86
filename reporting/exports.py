"""CSV and XLSX exports of activity reports and statistics, in constant memory.

CSV streams row by row (StreamingHttpResponse over a queryset iterator); XLSX uses openpyxl's write-only mode into
a temporary file. Both use French headers, ';' for CSV (what French spreadsheets expect) and neutralise cells that a
spreadsheet would run as a formula.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from reporting.counters import GROUPS
from reporting.enums import ActivityKind, Autonomy, Material, PlaceType, Procedure, RedirectionStructure, Theme
from reporting.enums import WorkshopLevel as Level
from reporting.indicators import distributions, key_figures, location_groups
from reporting.selectors import Statistics

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """A cell value that no spreadsheet will evaluate (user text starting with = + - @ is prefixed with ')."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return f"'{value}"
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(safe(value))


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, rows: Iterable[list], *, prepared: bool = False) -> StreamingHttpResponse:
    """Stream rows as a CSV file (UTF-8 with BOM so that spreadsheets read the accents).

    `prepared` rows already hold text made safe and numbers (the fast path of large exports): they are written as
    they are, in chunks of CSV_CHUNK_ROWS rows.
    """
    if prepared:
        return streaming_csv(filename, csv_chunks(rows))
    writer = csv.writer(_Echo(), delimiter=";")

    def content() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_text(value) for value in row])

    return streaming_csv(filename, content())


CSV_CHUNK_ROWS = 2000


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """CSV text of prepared rows (safe text and numbers), BOM first, in chunks of CSV_CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    yield "\ufeff"
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == CSV_CHUNK_ROWS:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue()


def streaming_csv(filename: str, content: Iterator) -> StreamingHttpResponse:
    """A CSV download streamed from chunks of text or bytes."""
    response = StreamingHttpResponse(content, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, sheets: list[tuple[str, Iterable[list], int]]) -> FileResponse:
    """An XLSX file with one sheet per (title, rows, number of bold header rows), written in write-only mode."""
    workbook = Workbook(write_only=True)
    for title, rows, bold_rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for index, row in enumerate(rows):
            if index < bold_rows:
                cells = []
                for value in row:
                    cell = WriteOnlyCell(sheet, value=safe(value))
                    cell.font = Font(bold=True)
                    cells.append(cell)
                sheet.append(cells)
            else:
                sheet.append([_xlsx_value(value) for value in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


def _xlsx_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return safe(value)


def _labels(values: list[str], enum) -> str:
    return ", ".join(enum(value).label for value in values)


BREAKDOWN_HEADERS = [
    (column, f"{GROUPS[group].enum(value).label} ({group_label})")
    for group, group_label in (("gender", "genre"), ("age", "âge"), ("status", "statut"))
    for value in GROUPS[group].enum.values
    for column in [GROUPS[group].column(value)]
]


def activity_rows(activities, *, team: bool = False) -> Iterator[list]:
    """The header, then one row per report; a team export names the advisor and never includes private notes."""
    header = ["Identifiant", "Date", "Enregistrée le", "Modifiée le"]
    if team:
        header += ["Conseiller", "Structure employeuse"]
    header += [
        "Type",
        "Durée (minutes)",
        "Type de lieu",
        "Lieu d'activité",
        "Commune",
        "Code INSEE",
        "Thématiques",
        "Démarches administratives",
        "Matériel utilisé",
        "Titre de l'atelier",
        "Niveau de l'atelier",
        "Participants",
        "Déjà accompagnés",
        "Autonomie",
        "Réorientée",
        "Structure de réorientation",
        *(label for _, label in BREAKDOWN_HEADERS),
    ]
    if not team:
        header.append("Notes privées")
    yield header
    for activity in activities:
        row = [activity.pk, activity.date, activity.created_at, activity.updated_at]
        if team:
            row += [activity.advisor.full_name, activity.structure.name if activity.structure else ""]
        row += [
            ActivityKind(activity.kind).label,
            activity.duration,
            PlaceType(activity.place_type).label,
            activity.place.name if activity.place else "",
            activity.commune.name if activity.commune else "",
            activity.commune_id or "",
            _labels(activity.theme_values, Theme),
            _labels(activity.procedure_values, Procedure),
            _labels(activity.material_values, Material),
            activity.title,
            Level(activity.level).label if activity.level else "",
            activity.participants,
            activity.already_accompanied,
            Autonomy(activity.autonomy).label if activity.autonomy else "",
            {True: "Oui", False: "Non"}.get(activity.redirected, ""),
            RedirectionStructure(activity.redirection_structure).label if activity.redirection_structure else "",
            *(getattr(activity, column) for column, _ in BREAKDOWN_HEADERS),
        ]
        if not team:
            row.append(activity.notes)
        yield row


def statistics_header(*, title: str, subject: str, period, filters: list[str]) -> list[list]:
    """The lines at the top of a statistics export: what, who, when, which filters, generated when."""
    return [
        [title],
        ["Périmètre", subject],
        ["Période", f"du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}"],
        ["Filtres", " ; ".join(filters) or "aucun"],
        ["Généré le", timezone.localtime().strftime("%d/%m/%Y à %H:%M")],
        [],
    ]


def statistics_rows(statistics: Statistics, header: list[list]) -> Iterator[list]:
    """Every indicator of a statistics page as label / value / % rows, section by section."""
    yield from header
    yield ["Chiffres clés", "Valeur", "Précision"]
    for figure in key_figures(statistics):
        yield [figure.label, figure.value, figure.detail]
    yield []
    yield ["Accompagnements par mois", "Accompagnements", "Activités"]
    for month, accompaniments, activities in statistics.months:
        yield [f"{month:%m/%Y}", accompaniments, activities]
    for distribution in distributions(statistics):
        yield []
        yield [distribution.title, "Nombre", "Part (%)"]
        for share in distribution.shares:
            yield [share.label, share.count, share.percent]
    for title, rows in location_groups(statistics):
        yield []
        yield [title, "Accompagnements", "Activités", "Part (%)"]
        for row, percent in rows:
            yield [row.label, row.accompaniments, row.activities, percent]
