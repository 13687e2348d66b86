"""The import driver shared by every collection: chunks, checkpoints (resume), rejections, dry run, progress.

An importer (one per collection, registered in switchover/importers/__init__.py) says how to map one document
(`map`, pure Python: raise Rejected with a French reason) and how to load a chunk of mapped rows (`load`,
set-based: it returns how many were new, how many already there, and the rows it refused). The driver commits
each chunk in one transaction together with the run's checkpoint, so an interrupted run resumes after the last
committed chunk, and a rerun of a finished file imports nothing twice (importers skip known external ids).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from switchover.models import ImportRun, Rejection, RunStatus
from switchover.progress import Progress
from switchover.sources import Record, Source, fingerprint


class Rejected(Exception):
    """A document that cannot be imported; the message is the reason written in the rejection report."""


class Skipped(Exception):
    """A document deliberately not imported (e.g. a matching suggestion): counted, not reported line by line."""


@dataclass
class Mapped:
    """One mapped document: its line, its external id and what the importer made of it."""

    line: int
    external_id: str
    row: object


@dataclass
class LoadResult:
    imported: int = 0
    existing: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, external id, reason)


class Importer:
    """Base class of a collection importer."""

    collection: str = ""
    # The export file this importer reads (several importers may read the same collection: e.g. the structures
    # file makes Structure rows, then their recruitment dossiers); defaults to `collection`.
    source_collection: str = ""
    label: str = ""
    depends_on: tuple[str, ...] = ()
    chunk_size: int = 2000
    # How a JSON line becomes a document (default: extjson.loads, every wrapper converted). An importer of millions
    # of lines may read the raw orjson document and unwrap only the values it uses (it must raise ExtJSONError).
    loads: Callable[[bytes], dict] | None = None

    @property
    def source(self) -> str:
        return self.source_collection or self.collection

    def external_id(self, document: dict) -> str:
        return str(document.get("_id") or "")

    def map(self, document: dict) -> object:
        """The row to load, or raise Rejected(reason) / Skipped(reason)."""
        raise NotImplementedError

    def load(self, rows: list[Mapped], run: ImportRun) -> LoadResult:
        """Write a chunk (inside the driver's transaction); skip rows already imported."""
        raise NotImplementedError

    def count_existing(self, rows: list[Mapped]) -> int:
        """Dry run: how many of these rows are already imported (read only)."""
        return 0

    def before(self, run: ImportRun, *, expected_lines: int) -> None:
        """Called once before the first chunk (e.g. drop non-essential indexes for a large load)."""

    def after(self, run: ImportRun) -> None:
        """Called once after the last chunk (e.g. rebuild those indexes)."""


@dataclass
class _Chunk:
    """The rows of the chunk being read: mapped, rejected (line, external id, reason) and skipped."""

    mapped: list[Mapped] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    skipped: int = 0
    lines: int = 0
    last_line: int = 0

    def add(self, importer: "Importer", record: Record) -> None:
        self.lines += 1
        self.last_line = record.line
        if record.document is None:
            self.rejected.append((record.line, "", record.error))
            return
        external_id = importer.external_id(record.document)
        try:
            self.mapped.append(Mapped(record.line, external_id, importer.map(record.document)))
        except Rejected as error:
            self.rejected.append((record.line, external_id, str(error)))
        except Skipped:
            self.skipped += 1

    def clear(self) -> None:
        self.mapped, self.rejected, self.skipped, self.lines = [], [], 0, 0


@dataclass
class Summary:
    collection: str
    lines_read: int
    imported: int
    existing: int
    rejected: int
    skipped: int
    seconds: float
    dry_run: bool
    resumed_from: int

    @property
    def rate(self) -> float:
        return self.lines_read / self.seconds if self.seconds else 0.0


def _resumable_run(collection: str, file_fingerprint: str) -> ImportRun | None:
    """The unfinished run of this very file, if any."""
    runs = ImportRun.objects.filter(collection=collection, fingerprint=file_fingerprint, status=RunStatus.RUNNING)
    return runs.order_by("pk").last()


def run_import(
    importer: Importer,
    path: str,
    *,
    dry_run: bool = False,
    progress: bool = True,
    stop_after_chunks: int | None = None,
    print_: Callable[[str], None] = print,
) -> Summary:
    """Import one export file with `importer`; returns the counts (dry run: nothing is written)."""
    source = Source(path)
    started = time.monotonic()
    file_fingerprint = fingerprint(path)
    run = None if dry_run else _resumable_run(importer.collection, file_fingerprint)
    resumed_from = 0
    if run is not None:
        resumed_from = run.last_line
        run.resumed += 1
        run.save(update_fields=["resumed"])
        print_(f"{importer.label} : reprise après la ligne {run.last_line} ({run.imported} déjà importées).")
    elif not dry_run:
        run = ImportRun.objects.create(
            collection=importer.collection, source_name=source.name, fingerprint=file_fingerprint
        )
    counts = {"read": 0, "imported": 0, "existing": 0, "rejected": 0, "skipped": 0}
    bar = Progress(source, label=importer.label, enabled=progress)
    if not dry_run:
        importer.before(run, expected_lines=max(source.size // 400, 1))
    # A chunk holds mapped rows only: each document is mapped as soon as it is read and then dropped, so that
    # memory holds one chunk of flat rows, not one chunk of parsed documents (several times larger).
    chunk = _Chunk()
    chunks_done = 0

    def flush():
        nonlocal chunks_done
        mapped, rejected, skipped = chunk.mapped, chunk.rejected, chunk.skipped
        counts["read"] += chunk.lines
        counts["skipped"] += skipped
        if dry_run:
            existing = importer.count_existing(mapped)
            counts["existing"] += existing
            counts["imported"] += len(mapped) - existing
            counts["rejected"] += len(rejected)
        else:
            with transaction.atomic():
                result = importer.load(mapped, run) if mapped else LoadResult()
                rejected.extend(result.rejected)
                Rejection.objects.bulk_create(
                    Rejection(run=run, line=line, external_id=external_id[:64], reason=reason[:255])
                    for line, external_id, reason in rejected
                )
                run.last_line = chunk.last_line
                run.lines_read += chunk.lines
                run.imported += result.imported
                run.existing += result.existing
                run.rejected += len(rejected)
                run.skipped += skipped
                run.save(update_fields=["last_line", "lines_read", "imported", "existing", "rejected", "skipped"])
            counts["imported"] += result.imported
            counts["existing"] += result.existing
            counts["rejected"] += len(rejected)
        bar.update(counts["read"])
        chunk.clear()
        chunks_done += 1

    try:
        for record in source.records(start_after=resumed_from, loads=importer.loads):
            chunk.add(importer, record)
            if chunk.lines >= importer.chunk_size:
                flush()
                if stop_after_chunks is not None and chunks_done >= stop_after_chunks:
                    raise InterruptedError(f"interruption simulée après {chunks_done} paquets")
        if chunk.lines:
            flush()
    finally:
        bar.close()
    if not dry_run:
        importer.after(run)
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    return Summary(
        collection=importer.collection,
        lines_read=counts["read"],
        imported=counts["imported"],
        existing=counts["existing"],
        rejected=counts["rejected"],
        skipped=counts["skipped"],
        seconds=time.monotonic() - started,
        dry_run=dry_run,
        resumed_from=resumed_from,
    )
