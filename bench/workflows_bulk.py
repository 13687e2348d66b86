"""Bench of a bulk decision: N structure applications waiting for the hub's validation with a favourable opinion of
the prefecture, then one bulk job "Attribuer les postes demandés" run through its runner (the code the
background tasks run; a large job is cut in parts that task workers run side by side: --workers, forked processes
here): dossiers per second, decisions, audit rows and e-mails queued, SQL queries per dossier.

Run it against a THROW-AWAY database (it migrates it and fills it):

    createdb -h 127.0.0.1 -U postgres bench14b
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench14b .venv/bin/python bench/workflows_bulk.py --dossiers 500
    dropdb -h 127.0.0.1 -U postgres bench14b

The dossiers are brought to the hub's step through the services (submission, e-mail confirmed, prefecture's opinion),
so every Viewflow task, lock and work item is real. E-mails are queued as production queues them (`--queue
database`, the default: one row of django-tasks-db's queue per e-mail, sent later by `db_worker`); `--queue
immediate` renders and sends each one inline (Django's in-memory outbox, as the tests do), which is slower.
"""

import argparse
import multiprocessing
import os
import sys
import time
from collections import deque
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

if "--queue=immediate" not in sys.argv and "immediate" not in sys.argv:
    from django.conf import settings

    # Production's queue, set before the first task is enqueued: e-mails become rows for the task workers.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from accounts.enums import AuditAction, Role  # noqa: E402
from accounts.models import AuditEvent  # noqa: E402
from bench.workflows_common import log, out, persona  # noqa: E402
from directory.demo import demo_siret  # noqa: E402
from directory.enums import StructureType  # noqa: E402
from directory.models import Hub  # noqa: E402
from territories.models import Commune, Department  # noqa: E402
from workflows import services, tasks  # noqa: E402
from workflows.enums import BulkAction, Kind, Step, StructureApplicationStatus, Verdict  # noqa: E402
from workflows.models import BulkJob, Decision, StructureApplication, WorkItem  # noqa: E402
from workflows.services.bulk import PARTS, bulk_job_create, bulk_job_run  # noqa: E402

DEPARTMENT = "75"


def seed(count: int, prefecture) -> list[int]:
    """`count` applications at the hub's step (favourable opinion); the ids of their open work items."""
    started = time.monotonic()
    commune = Commune.objects.get(pk="75056")
    offset = StructureApplication.objects.count()
    for n in range(count):
        application = StructureApplication.objects.create(
            siret=demo_siret(900_000 + offset + n),
            name=f"Bench structure {offset + n}",
            type=StructureType.COMMUNE,
            address="1 place de la Mairie",
            commune=commune,
            contact_first_name="Jeanne",
            contact_last_name="Martin",
            contact_function="Directrice",
            contact_email=f"bench{offset + n}@structure.test",
            contact_phone="0102030405",
            advisors_wanted=1 + n % 4,
            start_date=timezone.localdate(),
            motivation="Accompagner les habitants vers l'autonomie numérique.",
            engagement=True,
            status=StructureApplicationStatus.UNCONFIRMED,
        )
        services.structure_application_confirm(application_id=application.pk)
        services.structure_prefecture_review(
            work_item=WorkItem.objects.select_related("task").get(
                kind=Kind.STRUCTURE, subject_id=application.pk, is_open=True
            ),
            user=prefecture,
            opinion="favorable",
            internal_note="Avis favorable, le besoin est réel.",
        )
        if (n + 1) % 100 == 0:
            log(f"  {n + 1} dossiers at the hub's step ({time.monotonic() - started:.0f} s)")
    return list(
        WorkItem.objects.open()
        .filter(step=Step.STRUCTURE_HUB, department=DEPARTMENT)
        .order_by("-pk")
        .values_list("pk", flat=True)[:count]
    )


def run_part(job_id, part, parts) -> int:
    """One task worker (a forked process): one part of the job; the e-mails it sent."""
    connection.close()  # never share the parent's connection
    mail.outbox = []
    bulk_job_run(job_id, part=part, parts=parts)
    connection.close()
    return len(mail.outbox)


def emails_queued() -> int:
    """The e-mails waiting in the database queue of the task workers."""
    return DBTaskResult.objects.filter(task_path__endswith="send_email_task").count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=500)
    parser.add_argument(
        "--queue",
        choices=["database", "immediate"],
        default="database",
        help="e-mails queued for the task workers (production, default) or rendered and sent inline (tests)",
    )
    parser.add_argument(
        "--workers", type=int, default=PARTS, help=f"parts run side by side, as task workers would (default {PARTS})"
    )
    options = parser.parse_args()
    log(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("load_territories", verbosity=0)
    if not Hub.objects.exists():
        call_command("load_hubs", verbosity=0)
    prefecture = persona("bench.prefecture75@bench.test", Role.PREFECTURE, department=Department.objects.get(pk="75"))
    hub = Hub.objects.filter(departments=DEPARTMENT).first()
    hub_agent = persona("bench.hub@bench.test", Role.HUB, hub=hub)

    log(f"Seeding {options.dossiers} dossiers through the services…")
    ids = seed(options.dossiers, prefecture)

    # Record the job without running it (the task is enqueued after commit): the runner is timed alone below.
    task = tasks.run_bulk_job
    tasks.run_bulk_job = SimpleNamespace(enqueue=lambda **kwargs: None)
    try:
        created = time.monotonic()
        job = bulk_job_create(
            user=hub_agent,
            action=BulkAction.DECIDE,
            params={
                "decision": f"{Step.STRUCTURE_HUB}:attribuer",
                "internal_note": "Comité de sélection : validation groupée.",
                "message_to_applicant": "",
            },
            work_item_ids=ids,
        )
        creation = time.monotonic() - created
    finally:
        tasks.run_bulk_job = task

    mail.outbox = []
    queued_before = emails_queued()
    decisions_before = Decision.objects.filter(actor=hub_agent, verdict=Verdict.GRANTED).count()
    audits_before = AuditEvent.objects.filter(actor=hub_agent, action=AuditAction.WORKFLOW_DECISION).count()
    started = time.monotonic()
    workers = max(1, options.workers)
    connection.queries_log = deque(maxlen=200_000)  # every query of the run, not Django's last 9,000
    with CaptureQueriesContext(connection) as queries:
        if workers == 1:
            bulk_job_run(job.pk)
            emails = len(mail.outbox)
        else:
            connection.close()
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                emails = sum(pool.starmap(run_part, [(job.pk, part, workers) for part in range(workers)]))
    elapsed = time.monotonic() - started
    emails += emails_queued() - queued_before
    job = BulkJob.objects.get(pk=job.pk)
    decisions = Decision.objects.filter(actor=hub_agent, verdict=Verdict.GRANTED).count() - decisions_before
    audits = AuditEvent.objects.filter(actor=hub_agent, action=AuditAction.WORKFLOW_DECISION).count() - audits_before

    out(f"Bulk decision on {connection.vendor}: {job.total} dossiers at « {Step.STRUCTURE_HUB.label} »")
    out(f"  job recorded in {creation * 1000:.0f} ms (selection re-read through the scope, {job.total} items)")
    out(f"  runner, {workers} part(s) at once: {elapsed:.1f} s → {job.total / elapsed:.1f} dossiers/s (≥ 20 wanted)")
    out(f"  outcomes: {job.done_count} done, {job.failed_count} failed; status {job.get_status_display()}")
    out(f"  decisions recorded: {decisions}; audit rows: {audits}")
    how = "queued for the task workers" if options.queue == "database" else "rendered and sent inline"
    out(f"  e-mails {how}: {emails} (per dossier: structure, new manager, prefecture; 1 to the agent)")
    if workers == 1:
        out(f"  SQL queries: {len(queries)} ({len(queries) / max(job.total, 1):.1f} per dossier)")


if __name__ == "__main__":
    main()
