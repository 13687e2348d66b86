"""The one writer of every CSV and XLSX file the platform hands out: spreadsheet-safe cells, typed XLSX values.

Rule (README « Exports ») : a text cell that starts with = + - @ tab or carriage return gets a leading apostrophe,
unless the whole text is a plain number (« -2 », « +33180059880 »), which no spreadsheet runs as a formula.
Numbers, dates and date-times are written as numbers, dates and date-times: typed cells in XLSX, French
JJ/MM/AAAA text in CSV. CSV streams in chunks (constant memory); XLSX uses openpyxl's write-only mode into a
temporary file. PostgreSQL COPY exports apply the same rule in SQL with `sql_neutralise`.
"""

import csv
import io
import re
import tempfile
from collections.abc import Collection, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?\Z")
_SQL_PLAIN_NUMBER = "^[+-]?[0-9]+([.,][0-9]+)?$"
NUMBER_TYPES = (int, float, Decimal)
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
CSV_CHUNK_ROWS = 2000


def neutralise(value):
    """The value, with text that a spreadsheet would run as a formula prefixed by an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def sql_neutralise(expression: str) -> str:
    """The SQL (PostgreSQL) of `neutralise` applied to a text expression, for exports written by COPY."""
    return (
        f"CASE WHEN LEFT({expression}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') "
        f"AND {expression} !~ '{_SQL_PLAIN_NUMBER}' THEN '''' || {expression} ELSE {expression} END"
    )


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def csv_cell(value):
    """One CSV cell: numbers as they are, dates as JJ/MM/AAAA, booleans as Oui/Non, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, NUMBER_TYPES):
        return value
    if isinstance(value, datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return neutralise(str(value))


def xlsx_value(value):
    """One XLSX value: numbers and dates stay typed (naive local time, as spreadsheets expect), text neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, (*NUMBER_TYPES, date)):
        return _local(value).replace(tzinfo=None) if isinstance(value, datetime) else value
    return neutralise(str(value))


def _quoted_line(row: list, *, delimiter: str, lineterminator: str, columns: Collection[int]) -> str:
    """One CSV line where the given columns are between double quotes even when nothing requires it."""
    cells = []
    for index, value in enumerate(row):
        text = "" if value is None else str(value)
        if index in columns or any(char in text for char in (delimiter, '"', "\r", "\n")):
            text = '"' + text.replace('"', '""') + '"'
        cells.append(text)
    return delimiter.join(cells) + lineterminator


def csv_chunks(
    rows: Iterable[Iterable],
    *,
    delimiter: str = ";",
    bom: bool = True,
    prepared: bool = False,
    lineterminator: str = "\r\n",
    quoted_columns: Collection[int] = (),
) -> Iterator[str]:
    """CSV text of the rows in chunks of CSV_CHUNK_ROWS rows (BOM first so that spreadsheets read the accents).

    `prepared` rows already hold neutralised text and numbers (the fast path of the large pilotage exports);
    `quoted_columns` (indexes) are always quoted, for files whose readers expect it (the historical open data).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    columns = frozenset(quoted_columns)

    def write(batch):
        if not columns:
            writer.writerows(batch)
            return
        for row in batch:
            buffer.write(_quoted_line(row, delimiter=delimiter, lineterminator=lineterminator, columns=columns))

    if bom:
        yield "\ufeff"
    batch = []
    for row in rows:
        batch.append(row if prepared else [csv_cell(value) for value in row])
        if len(batch) == CSV_CHUNK_ROWS:
            write(batch)
            batch.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    write(batch)
    yield buffer.getvalue()


def write_csv(stream, rows: Iterable[Iterable], **options) -> None:
    """Write the rows as CSV into a text stream (for files built in one go); options as for csv_chunks."""
    for chunk in csv_chunks(rows, **options):
        stream.write(chunk)


def streaming_csv(filename: str, content: Iterator) -> StreamingHttpResponse:
    """A CSV download streamed from chunks of text or bytes already written by this module (or by COPY)."""
    response = StreamingHttpResponse(content, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def csv_response(filename: str, rows: Iterable[Iterable], *, prepared: bool = False) -> StreamingHttpResponse:
    """Stream rows as a `;`-separated UTF-8 CSV file named `filename`.csv."""
    return streaming_csv(filename, csv_chunks(rows, prepared=prepared))


def _xlsx_cell(sheet, value, *, bold: bool = False):
    cell = WriteOnlyCell(sheet, value=xlsx_value(value))
    if isinstance(cell.value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(cell.value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(handle, sheets: list[tuple[str, Iterable[Iterable], int]]) -> None:
    """An XLSX workbook into a binary file: one sheet per (title, rows, number of bold header rows)."""
    workbook = Workbook(write_only=True)
    for title, rows, bold_rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for index, row in enumerate(rows):
            sheet.append([_xlsx_cell(sheet, value, bold=index < bold_rows) for value in row])
    workbook.save(handle)


def xlsx_response(filename: str, sheets: list[tuple[str, Iterable[Iterable], int]]) -> FileResponse:
    """An XLSX download named `filename`.xlsx, built in a temporary file (constant memory while writing)."""
    handle = tempfile.TemporaryFile()
    write_xlsx(handle, sheets)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)
