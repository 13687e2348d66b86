"""Background tasks of the parcours: bulk actions on many dossiers."""

from django_tasks import task


@task()
def run_bulk_job(*, job_id: int, part: int = 0, parts: int = 1) -> None:
    """Handle one part of the dossiers of a bulk job still to do (see services.bulk.bulk_job_run)."""
    # Imported here: the bulk service enqueues this task, so it cannot be imported at this module's top.
    from workflows.services.bulk import bulk_job_run

    bulk_job_run(job_id, part=part, parts=parts)
