"""Pilotage exports: the lists (activity reports, advisors, structures) scoped like the dashboards, streamed in
constant memory, or built in the background above a size, with a progress page and an expiring private download."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.decorators import pilotage_required
from accounts.enums import AuditAction
from accounts.services import audit_record
from common import exports as export_files
from common.storage import download_response
from reporting.enums import ExportKind, ExportStatus
from reporting.models import ExportJob
from reporting.pilotage_exports import csv_content, export_plan
from reporting.tasks import build_export, export_name
from reporting.views.pilotage import pilotage_filters


@pilotage_required
def export_page(request):
    """The exports available for the current filters, and the user's background exports still downloadable."""
    filterset = pilotage_filters(request)
    jobs = ExportJob.objects.filter(
        requested_by=request.user, membership=roles.active_membership(request.user), expires_at__gt=timezone.now()
    )[:10]
    query = request.GET.urlencode()
    links = [
        (label, reverse("pilotage:export_list", kwargs={"kind": kind}) + (f"?{query}" if query else ""))
        for kind, label in ExportKind.choices
    ]
    return render(
        request,
        "reporting/pilotage/exports.html",
        {
            "title": "Exports",
            "filterset": filterset,
            "form": filterset.form,
            "tags": filterset.active_tags(),
            "period": filterset.period,
            "links": links,
            "jobs": jobs,
            "query": query,
            "sync_max": settings.PILOTAGE_EXPORT_SYNC_MAX_ROWS,
            "breadcrumb": [("Tableau de pilotage", reverse("pilotage:dashboard")), ("Exports", "")],
        },
    )


@pilotage_required
def export_list(request, kind):
    """Stream the list as CSV, or start a background export above PILOTAGE_EXPORT_SYNC_MAX_ROWS rows."""
    if kind not in ExportKind.values:
        raise Http404
    filterset = pilotage_filters(request)
    queryset, rows, stem = export_plan(kind, filterset)
    period = filterset.period
    details = {"export": kind, "filtres": filterset.active_labels()}
    count = queryset.count()
    if count > settings.PILOTAGE_EXPORT_SYNC_MAX_ROWS:
        query = request.GET.copy()
        query["du"], query["au"] = period.start.isoformat(), period.end.isoformat()
        with transaction.atomic():
            job = ExportJob.objects.create(
                requested_by=request.user,
                membership=roles.active_membership(request.user),
                kind=kind,
                query=query.urlencode(),
                rows_total=count,
                expires_at=timezone.now() + timedelta(hours=settings.PILOTAGE_EXPORT_TTL_HOURS),
            )
            audit_record(
                actor=request.user,
                action=AuditAction.PILOTAGE_EXPORTED,
                target=job,
                details={**details, "lignes": count, "differe": True},
                request=request,
            )
            job_id = str(job.pk)
            transaction.on_commit(lambda: build_export.enqueue(job_id=job_id))
        return redirect("pilotage:export_job", pk=job.pk)
    audit_record(
        actor=request.user,
        action=AuditAction.PILOTAGE_EXPORTED,
        details={**details, "lignes": count, "differe": False},
        request=request,
    )
    return export_files.streaming_csv(
        f"{stem}_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}", csv_content(kind, queryset)
    )


def _my_job(request, pk) -> ExportJob:
    """The export job, for the user who asked for it while working under the role it was built for (404 otherwise:
    revoking that role revokes its files, and another role of the same user sees other data)."""
    membership = roles.active_membership(request.user)
    return get_object_or_404(
        ExportJob, pk=pk, requested_by=request.user, membership=membership, membership__revoked_at__isnull=True
    )


@pilotage_required
def export_job(request, pk):
    """Progress of a background export (the page reloads itself without JavaScript), then its download link."""
    job = _my_job(request, pk)
    if job.status == ExportStatus.DONE and not job.is_expired:
        download_url = reverse("pilotage:export_download", kwargs={"pk": job.pk})
    else:
        download_url = ""
    return render(
        request,
        "reporting/pilotage/export_job.html",
        {
            "title": "Export en préparation" if not download_url else "Export prêt",
            "job": job,
            "running": job.status in (ExportStatus.PENDING, ExportStatus.RUNNING),
            "download_url": download_url,
            "breadcrumb": [
                ("Tableau de pilotage", reverse("pilotage:dashboard")),
                ("Exports", reverse("pilotage:exports")),
                ("Export", ""),
            ],
        },
    )


@pilotage_required
def export_download(request, pk):
    """The file of a finished export, for its requester until it expires (then the file is deleted: 404)."""
    job = _my_job(request, pk)
    storage = storages["private"]
    if job.is_expired and job.file_name:
        storage.delete(export_name(job))
    if job.status != ExportStatus.DONE or job.is_expired or not job.file_name:
        raise Http404("Cet export n'est plus disponible.")
    stem = {"activites": "comptes_rendus"}.get(job.kind, job.kind)
    try:
        response = download_response(
            storage,
            export_name(job),
            filename=f"{stem}_{job.created_at:%Y-%m-%d}.csv",
            content_type=export_files.CSV_CONTENT_TYPE,
        )
    except FileNotFoundError:
        raise Http404("Cet export n'est plus disponible.") from None
    audit_record(actor=request.user, action=AuditAction.PILOTAGE_EXPORT_DOWNLOADED, target=job, request=request)
    return response
