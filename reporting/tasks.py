"""Background tasks of the reporting app: large pilotage exports written to a private file."""

from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from accounts import roles
from reporting.enums import ExportStatus
from reporting.filters import PilotageFilterSet
from reporting.models import ExportJob
from reporting.pilotage_exports import csv_content, export_plan
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
    roles.act_as(job.requested_by, job.membership)
    filterset = PilotageFilterSet(QueryDict(job.query), user=job.requested_by, default_period=Period.last_months(12))
    if filterset.scope_error:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        return
    queryset, _rows, _stem = export_plan(job.kind, filterset)
    job.file_name = f"{job.pk}.csv"
    job.status = ExportStatus.RUNNING
    job.rows_total = queryset.count()
    job.save(update_fields=["file_name", "status", "rows_total"])
    lines = 0
    with open(export_path(job), "wb") as handle:
        for chunk in csv_content(job.kind, queryset):
            data = chunk.encode() if isinstance(chunk, str) else chunk
            handle.write(data)
            before, lines = lines, lines + data.count(b"\n")
            if lines // PROGRESS_EVERY > before // PROGRESS_EVERY:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=max(0, lines - 1))
    rows_done = max(0, lines - 1)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, rows_done=rows_done, finished_at=timezone.now()
    )
