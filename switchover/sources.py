"""Reading an export file line by line, with line numbers, from a given line on (to resume), in constant memory.

Accepted: mongoexport JSON lines (`.json`, `.jsonl`, optionally `.gz`) and CSV exports (`.csv`: UTF-8 with or
without BOM, or Windows-1252; `;` or `,` separated, detected from the header). Line numbers are the file's own
(the CSV header is line 1), so that a rejection report points at the line a person opens.
"""

import csv
import gzip
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass

from switchover import extjson


@dataclass(frozen=True)
class Record:
    """One line of an export: its number, and the document or why it could not be read."""

    line: int
    document: dict | None
    error: str = ""


def fingerprint(path: str) -> str:
    """A cheap identity of a file: its size and the SHA-256 of its first and last MiB (hashing gigabytes is slow)."""
    size = os.path.getsize(path)
    digest = hashlib.sha256(str(size).encode())
    with open(path, "rb") as handle:
        digest.update(handle.read(1 << 20))
        if size > 2 << 20:
            handle.seek(-(1 << 20), os.SEEK_END)
            digest.update(handle.read(1 << 20))
    return digest.hexdigest()


def _open_binary(path: str):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def is_csv(path: str) -> bool:
    return path.removesuffix(".gz").lower().endswith(".csv")


def _json_records(path: str, start_after: int, position: list[int], loads=extjson.loads) -> Iterator[Record]:
    with _open_binary(path) as handle:
        for number, line in enumerate(handle, start=1):
            position[0] += len(line)
            if number <= start_after or not line.strip():
                continue
            try:
                yield Record(number, loads(line))
            except extjson.ExtJSONError as error:
                yield Record(number, None, str(error))


def _decode(sample: bytes) -> str:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _csv_records(path: str, start_after: int, position: list[int]) -> Iterator[Record]:
    with _open_binary(path) as raw:
        encoding = _decode(raw.read(1 << 16))
    with _open_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        header_line = text.readline()
        position[0] += len(header_line.encode(encoding, errors="replace"))
        delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
        header = [name.strip() for name in next(csv.reader([header_line], delimiter=delimiter))]
        reader = csv.reader(text, delimiter=delimiter)
        number = 1
        for row in reader:
            number = reader.line_num + 1  # the header was read outside the reader
            position[0] += sum(len(cell) for cell in row) + len(row)
            if number <= start_after or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield Record(number, None, f"{len(row)} colonnes au lieu de {len(header)}")
                continue
            yield Record(number, dict(zip(header, (cell.strip() for cell in row), strict=True)))


class Source:
    """An export file; iterate it for Records. `position` is an estimate of the bytes read (for the progress bar)."""

    def __init__(self, path: str):
        self.path = path
        self.name = os.path.basename(path)
        self.size = os.path.getsize(path)
        self._position = [0]

    @property
    def position(self) -> int:
        return self._position[0]

    def records(self, *, start_after: int = 0, loads=None) -> Iterator[Record]:
        """`loads` replaces extjson.loads for JSON lines (an importer that reads the wrappers itself, for speed)."""
        if is_csv(self.path):
            return _csv_records(self.path, start_after, self._position)
        return _json_records(self.path, start_after, self._position, loads or extjson.loads)
