"""Background tasks of the reporting app: large pilotage exports written to a private file."""

import logging
import posixpath
import tempfile

from django.core.files import File
from django.core.files.storage import storages
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from accounts import roles
from common.storage import STORE_ERRORS
from reporting.enums import ExportStatus
from reporting.filters import PilotageFilterSet
from reporting.models import ExportJob
from reporting.pilotage_exports import csv_content, export_plan
from reporting.selectors import Period

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 20_000
EXPORTS_FOLDER = "exports"
# Rows are written to a local temporary file first, then sent whole to the storage (one multipart upload on S3).
SPOOL_MAX_MEMORY = 8 * 1024 * 1024


def export_name(job: ExportJob) -> str:
    """The export's name in the private storage (a folder, or the private bucket: never public)."""
    return f"{EXPORTS_FOLDER}/{job.file_name}"


def _store(job: ExportJob, handle) -> str:
    storage = storages["private"]
    storage.delete(export_name(job))  # a task run again replaces its file instead of writing a second one
    return storage.save(export_name(job), File(handle, name=job.file_name))


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
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_MEMORY) as handle:
        for chunk in csv_content(job.kind, queryset):
            data = chunk.encode() if isinstance(chunk, str) else chunk
            handle.write(data)
            before, lines = lines, lines + data.count(b"\n")
            if lines // PROGRESS_EVERY > before // PROGRESS_EVERY:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=max(0, lines - 1))
        try:
            saved = _store(job, handle)
        except STORE_ERRORS as error:
            logger.warning("Export %s : stockage indisponible (%s)", job.pk, type(error).__name__)
            ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
            return
    rows_done = max(0, lines - 1)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, file_name=posixpath.basename(saved), rows_done=rows_done, finished_at=timezone.now()
    )
