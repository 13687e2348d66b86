"""Background tasks of the parcours: bulk actions on many dossiers."""

from django_tasks import task

from workflows.services.bulk_run import bulk_job_run


@task()
def run_bulk_job(*, job_id: int, part: int = 0, parts: int = 1) -> None:
    """Handle one part of the dossiers of a bulk job still to do (see services.bulk_run.bulk_job_run)."""
    bulk_job_run(job_id, part=part, parts=parts)
