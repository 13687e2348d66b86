"""The shared import driver: extended JSON, line numbers, rejections, dry run, idempotency and resume."""

import gzip
from datetime import UTC, datetime

import pytest

from switchover import extjson
from switchover.models import ImportRun, LegacyRecord, Rejection, RunStatus
from switchover.pipeline import Importer, LoadResult, Rejected, Skipped, run_import
from switchover.rejects import write_rejections
from switchover.sources import Source

pytestmark = pytest.mark.django_db


class NotesImporter(Importer):
    """A minimal importer: one LegacyRecord per document, refused when it has no `nom`."""

    collection = "notes"
    label = "Notes"
    chunk_size = 2

    def map(self, document):
        if document.get("brouillon"):
            raise Skipped("brouillon")
        if not document.get("nom"):
            raise Rejected("nom manquant")
        return {"nom": document["nom"]}

    def _known(self, rows):
        ids = [row.external_id for row in rows]
        return set(
            LegacyRecord.objects.filter(collection=self.collection, external_id__in=ids).values_list(
                "external_id", flat=True
            )
        )

    def count_existing(self, rows):
        return len(self._known(rows))

    def load(self, rows, run):
        known = self._known(rows)
        new = [row for row in rows if row.external_id not in known]
        LegacyRecord.objects.bulk_create(
            LegacyRecord(collection=self.collection, external_id=row.external_id, raw=row.row, run=run) for row in new
        )
        return LoadResult(imported=len(new), existing=len(rows) - len(new))


LINES = [
    '{"_id": {"$oid": "000000000000000000000001"}, "nom": "Une"}',
    '{"_id": {"$oid": "000000000000000000000002"}, "nom": ""}',
    "pas du json",
    "",
    '{"_id": {"$oid": "000000000000000000000005"}, "nom": "Cinq"}',
    '{"_id": {"$oid": "000000000000000000000006"}, "nom": "Six"}',
    '{"_id": {"$oid": "000000000000000000000007"}, "nom": "Sept"}',
    '{"_id": {"$oid": "000000000000000000000008"}, "nom": "Huit", "brouillon": true}',
]


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return str(path)


def test_extended_json_values_are_decoded():
    document = extjson.loads(
        b'{"_id": {"$oid": "5f8e9c"}, "d": {"$date": "2021-03-01T10:00:00.000Z"},'
        b' "c": {"$date": {"$numberLong": "0"}}, "n": {"$numberLong": "12"}, "i": {"$numberInt": "3"},'
        b' "f": {"$numberDouble": "1.5"}, "r": {"$ref": "conseillers", "$id": {"$oid": "abc"}}, "l": [{"$oid": "x"}]}'
    )
    assert document == {
        "_id": "5f8e9c",
        "d": datetime(2021, 3, 1, 10, tzinfo=UTC),
        "c": datetime(1970, 1, 1, tzinfo=UTC),
        "n": 12,
        "i": 3,
        "f": 1.5,
        "r": "abc",
        "l": ["x"],
    }


@pytest.mark.parametrize("line", [b"[1, 2]", b"{nope", b'{"d": {"$date": "hier"}}'])
def test_unreadable_lines_raise_a_french_reason(line):
    with pytest.raises(extjson.ExtJSONError):
        extjson.loads(line)


def test_import_counts_rejects_with_line_numbers_and_reasons(export, tmp_path):
    summary = run_import(NotesImporter(), export, progress=False)
    counts = (summary.lines_read, summary.imported, summary.existing, summary.rejected, summary.skipped)
    assert counts == (7, 4, 0, 2, 1)
    assert sorted(LegacyRecord.objects.values_list("raw__nom", flat=True)) == ["Cinq", "Sept", "Six", "Une"]
    rejections = list(Rejection.objects.values_list("line", "external_id", "reason"))
    assert rejections[0] == (2, "000000000000000000000002", "nom manquant")
    assert rejections[1][0] == 3 and rejections[1][2].startswith("JSON illisible")
    report = tmp_path / "rejets.csv"
    assert write_rejections(ImportRun.objects.get(), str(report)) == 2
    text = report.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffFichier;Ligne;Identifiant d'origine;Motif du rejet\r\n")
    assert "notes.json;2;000000000000000000000002;nom manquant" in text


def test_dry_run_writes_nothing_and_counts_what_would_be_imported(export):
    summary = run_import(NotesImporter(), export, dry_run=True, progress=False)
    assert (summary.imported, summary.rejected) == (4, 2)
    assert not LegacyRecord.objects.exists() and not ImportRun.objects.exists()


def test_rerun_imports_nothing_twice(export):
    run_import(NotesImporter(), export, progress=False)
    again = run_import(NotesImporter(), export, progress=False)
    assert (again.imported, again.existing) == (0, 4)
    assert LegacyRecord.objects.count() == 4


def test_interrupted_run_resumes_after_its_last_committed_chunk(export):
    with pytest.raises(InterruptedError):
        run_import(NotesImporter(), export, progress=False, stop_after_chunks=1)
    run = ImportRun.objects.get()
    assert (run.status, run.last_line, run.imported) == (RunStatus.RUNNING, 2, 1)
    summary = run_import(NotesImporter(), export, progress=False)
    assert summary.resumed_from == 2 and summary.lines_read == 5
    run.refresh_from_db()
    assert (run.status, run.imported, run.rejected, run.skipped, run.resumed) == (RunStatus.DONE, 4, 2, 1, 1)
    assert LegacyRecord.objects.count() == 4


def test_gzipped_and_csv_sources_keep_the_file_line_numbers(tmp_path):
    gz = tmp_path / "notes.json.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(LINES))
    assert [r.line for r in Source(str(gz)).records()] == [1, 2, 3, 5, 6, 7, 8]
    csv_path = tmp_path / "structures.csv"
    csv_path.write_bytes("Nom;Ville\nÉcole;Arles\n\n;Nîmes;trop\n".encode("cp1252"))
    records = list(Source(str(csv_path)).records())
    assert records[0].line == 2 and records[0].document == {"Nom": "École", "Ville": "Arles"}
    assert records[1].line == 4 and records[1].document is None and "3 colonnes" in records[1].error


def test_the_rejection_report_is_safe_to_open_in_a_spreadsheet(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('{"_id": "=HYPERLINK(\\"http://x\\")", "nom": ""}\n', encoding="utf-8")
    run_import(NotesImporter(), str(path), progress=False)
    report = tmp_path / "rejets.csv"
    write_rejections(ImportRun.objects.get(), str(report))
    line = report.read_bytes().decode("utf-8").splitlines()[1]
    assert line.split(";", 2)[2].startswith("\"'=HYPERLINK(")  # neutralised: shown as text, never run
