"""Background tasks of the reporting app: large pilotage exports written to a private file."""

import csv
from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from accounts import scopes
from reporting.enums import ExportStatus
from reporting.exports import _text
from reporting.filters import PilotageFilterSet
from reporting.models import ExportJob
from reporting.pilotage_exports import PREPARED, export_plan
from reporting.selectors import Period

PROGRESS_EVERY = 20_000


def export_directory() -> Path:
    """Where export files live: under PRIVATE_MEDIA_ROOT, never served by the web server."""
    directory = Path(settings.PRIVATE_MEDIA_ROOT) / "exports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def export_path(job: ExportJob) -> Path:
    return export_directory() / job.file_name


@task()
def build_export(*, job_id: str) -> None:
    """Write the rows of an export job to its file, as its requester under the role they had when asking."""
    job = ExportJob.objects.select_related("requested_by", "membership").get(pk=job_id)
    if job.membership.revoked_at is not None:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        return
    scopes.act_as(job.requested_by, job.membership)
    filterset = PilotageFilterSet(QueryDict(job.query), user=job.requested_by, default_period=Period.last_months(12))
    if filterset.scope_error:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        return
    queryset, rows, stem = export_plan(job.kind, filterset)
    job.file_name = f"{job.pk}.csv"
    job.status = ExportStatus.RUNNING
    job.rows_total = queryset.count()
    job.save(update_fields=["file_name", "status", "rows_total"])
    written = 0
    with open(export_path(job), "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        prepared = job.kind in PREPARED
        for written, row in enumerate(rows(queryset)):
            writer.writerow(row if prepared else [_text(value) for value in row])
            if written and written % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=written)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.DONE, rows_done=written, finished_at=timezone.now())
