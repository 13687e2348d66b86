"""scripts/backup.sh and scripts/restore.sh: a dump restored into a fresh database holds the same rows."""

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from reporting.models import Activity
from tests.reporting.factories import ActivityFactory
from tests.workflows.factories import StructureApplicationFactory

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")


def database_url(name: str) -> str:
    """A postgres:// URL for database `name` on the test server."""
    settings = connection.settings_dict
    user = quote(settings["USER"] or "postgres")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def run(script: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPTS / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def row_counts(url: str) -> dict[str, int]:
    result = run("row_counts.sh", url)
    assert result.returncode == 0, result.stderr
    return {table: int(rows) for table, rows in (line.split("|") for line in result.stdout.split())}


class TestArguments:
    def test_it_refuses_a_database_that_is_not_postgresql(self, tmp_path):
        result = run("backup.sh", "sqlite:///db.sqlite3", env={"BACKUP_DIR": str(tmp_path)})
        assert result.returncode == 2
        assert "PostgreSQL attendue" in result.stderr
        assert list(tmp_path.iterdir()) == []

    def test_it_refuses_a_retention_that_is_not_a_number(self, tmp_path):
        result = run(
            "backup.sh", "postgres://u@h/db", env={"BACKUP_DIR": str(tmp_path), "BACKUP_RETENTION_DAYS": "deux"}
        )
        assert result.returncode == 2
        assert "BACKUP_RETENTION_DAYS" in result.stderr

    def test_restore_refuses_a_missing_file(self, tmp_path):
        result = run("restore.sh", str(tmp_path / "absent.dump"), "postgres://u@h/nouvelle")
        assert result.returncode == 2
        assert "fichier illisible" in result.stderr


@pytest.mark.postgres
@on_postgres
class TestBackupAndRestore:
    @pytest.fixture
    def restored_name(self):
        name = f"{connection.settings_dict['NAME']}_restored"[:63]
        yield name
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    def test_it_restores_a_dump_into_a_fresh_database_with_the_same_counts(
        self, transactional_db, paris_advisor, tmp_path, restored_name
    ):
        ActivityFactory.create_batch(4, advisor=paris_advisor)
        StructureApplicationFactory.create_batch(3)
        source = database_url(connection.settings_dict["NAME"])

        backup = run("backup.sh", source, env={"BACKUP_DIR": str(tmp_path)})
        assert backup.returncode == 0, backup.stderr
        dump = Path(backup.stdout.strip())
        assert dump.parent == tmp_path and dump.suffix == ".dump" and dump.stat().st_size > 0
        assert oct(dump.stat().st_mode & 0o777) == "0o600"

        restore = run("restore.sh", str(dump), database_url(restored_name))
        assert restore.returncode == 0, restore.stderr

        before, after = row_counts(source), row_counts(database_url(restored_name))
        assert after == before
        assert before["reporting_activity"] == Activity.objects.count() == 4
        assert before["workflows_structureapplication"] == 3
        assert len(before) > 50  # every table of the project, not a handful

    def test_it_never_restores_over_an_existing_database(self, transactional_db, tmp_path):
        source = database_url(connection.settings_dict["NAME"])
        dump = Path(run("backup.sh", source, env={"BACKUP_DIR": str(tmp_path)}).stdout.strip())
        result = run("restore.sh", str(dump), source)
        assert result.returncode == 1
        assert "existe déjà" in result.stderr

    def test_it_deletes_dumps_older_than_the_retention_only(self, transactional_db, tmp_path):
        name = connection.settings_dict["NAME"]
        old, recent = tmp_path / f"{name}-20200101T000000Z.dump", tmp_path / f"{name}-20200102T000000Z.dump"
        other = tmp_path / "autre-base-20200101T000000Z.dump"
        for path in (old, recent, other):
            path.write_bytes(b"x")
        month_ago = time.time() - 30 * 86400
        os.utime(old, (month_ago, month_ago))
        os.utime(other, (month_ago, month_ago))

        result = run("backup.sh", database_url(name), env={"BACKUP_DIR": str(tmp_path), "BACKUP_RETENTION_DAYS": "14"})
        assert result.returncode == 0, result.stderr
        assert not old.exists()
        assert recent.exists() and other.exists()
        assert Path(result.stdout.strip()).exists()

    def test_a_failed_dump_leaves_no_file(self, transactional_db, tmp_path):
        result = run("backup.sh", database_url("cnum_no_such_database"), env={"BACKUP_DIR": str(tmp_path)})
        assert result.returncode != 0
        assert list(tmp_path.iterdir()) == []
