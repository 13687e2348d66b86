"""Two `manage.py db_worker` processes on one queue: each task runs exactly once, a claimed task is never taken again.

django-tasks-db claims a task inside one transaction: `SELECT … FOR UPDATE SKIP LOCKED LIMIT 1`, then
`status = RUNNING` (PostgreSQL); on SQLite the same under an EXCLUSIVE transaction (the database is the lock). The
workers here are the production command in two processes, on a database of the test's own (a file in tmp_path, or a
throw-away PostgreSQL database when the suite runs on PostgreSQL), holding only the task table.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks import task

ROOT = Path(__file__).resolve().parents[2]
TASKS = 30
# The first task of each worker waits (at most this long) until the other worker has run one too: both hold a task
# at the same moment, so the claims really race.
OVERLAP_WAIT_SECONDS = 30


@task()
def record_run(number: int, ledger: str) -> int:
    """Append "number pid" to the ledger, then wait for a second worker process to show up in it."""
    with open(ledger, "a") as handle:
        handle.write(f"{number} {os.getpid()}\n")
    deadline = time.monotonic() + OVERLAP_WAIT_SECONDS
    while time.monotonic() < deadline and len(runs(ledger)[1]) < 2:
        time.sleep(0.01)
    return number


def runs(ledger: str) -> tuple[Counter, set]:
    """(how many times each task number ran, the worker pids that ran tasks)."""
    lines = [line.split() for line in Path(ledger).read_text().splitlines() if line.strip()]
    return Counter(int(number) for number, _ in lines), {pid for _, pid in lines}


ENQUEUE = """
import django
django.setup()
from django.db import connection
from django_tasks_db.models import DBTaskResult
from tests.config.test_task_workers import record_run
with connection.schema_editor() as editor:
    editor.create_model(DBTaskResult)  # the only table the workers need (a full migrate takes a minute)
ledger, count = {ledger!r}, {count}
results = [record_run.enqueue(number, ledger) for number in range(count)]
DBTaskResult.objects.filter(pk=results[0].id).update(status="RUNNING")  # claimed by a worker that then died
"""
STATUSES = """
import django, json
django.setup()
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.values_list("args_kwargs", "status", "worker_ids")
print(json.dumps([[args["args"][0], status, workers] for args, status, workers in rows]))
"""


@pytest.fixture
def task_database(tmp_path):
    """The URL of an empty database of this test's own, on the engine the suite runs on."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'tasks.sqlite3'}"
        return
    import psycopg

    server = {"host": default["HOST"], "port": default["PORT"] or 5432, "user": default["USER"]}
    name = f"cnum_tasks_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str) -> dict:
    """config.settings.production (its tasks backend is django-tasks-db) on the test's own database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="tests-only-task-workers-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
        SITE_URL="https://testserver",
        REDIS_URL="",
        LOG_LEVEL="WARNING",
    )
    return env


def python(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def worker(env: dict, name: str) -> subprocess.Popen:
    """The worker command of the Procfile, in batch mode so that it exits once the queue is empty."""
    command = ["manage.py", "db_worker", "--batch", "--interval=0", "--no-startup-delay", f"--worker-id={name}"]
    return subprocess.Popen(
        [sys.executable, *command], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


class TestTwoWorkerProcesses:
    def test_each_task_runs_exactly_once_and_a_claimed_task_never_again(self, task_database, tmp_path):
        env = production_env(task_database)
        ledger = tmp_path / "runs.txt"
        ledger.touch()
        python(env, "-c", ENQUEUE.format(ledger=str(ledger), count=TASKS))

        workers = [worker(env, "worker-a"), worker(env, "worker-b")]
        outputs = [process.communicate(timeout=240)[0] for process in workers]
        assert [process.returncode for process in workers] == [0, 0], "\n".join(outputs)

        counts, pids = runs(str(ledger))
        assert sorted(counts) == list(range(1, TASKS)), "task 0 was claimed before: it must not run"
        assert set(counts.values()) == {1}, f"tasks run twice: {[n for n, c in counts.items() if c > 1]}"
        assert pids == {str(process.pid) for process in workers}, "both workers must have run tasks"

        rows = json.loads(python(env, "-c", STATUSES))
        expected = {0: "RUNNING"} | dict.fromkeys(range(1, TASKS), "SUCCESSFUL")
        assert {number: status for number, status, _ in rows} == expected
        assert all(len(workers) == 1 for number, _, workers in rows if number), "a task was claimed twice"
