"""Bulk actions (agents only): choose the action for the selected rows, confirm its summary, follow the job."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.decorators import role_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from common.pagination import BoundedPaginator
from workflows import scopes
from workflows.enums import BulkOutcome, BulkStatus
from workflows.forms.bulk import BulkActionForm
from workflows.links import dossier_url
from workflows.services.assignment import team_colleagues
from workflows.services.bulk import bulk_job_create, bulk_preview, bulk_selection
from workflows.services.labels import team_labels

bulk_agents_only = role_required(Role.PREFECTURE, Role.HUB, Role.NATIONAL)
RESULTS_PAGE_SIZE = 100


def _to_queue(request):
    return redirect("workflows:queue")


def _dropped(value) -> int:
    """The rows left out at an earlier stage of the same selection (carried in a hidden input)."""
    value = str(value or "0")
    return min(int(value), 100_000) if value.isdigit() and len(value) < 7 else 0


def _page(request, template, context, status=200):
    return render(
        request, f"workflows/espace/bulk/{template}", {"page_title": "Traitement groupé", **context}, status=status
    )


@bulk_agents_only
@post_only(on_get=_to_queue)
def bulk_new(request):
    """From a task list's selected rows (or all its filtered rows): the action form, then its confirmation page, then
    the job. The selection travels in hidden inputs (never the session: two tabs, two selections)."""
    user, data = request.user, request.POST
    everything = data.get("scope") == "all" and "stage" not in data
    selection = bulk_selection(
        user=user,
        item_ids=data.getlist("items"),
        list_name=data.get("list", "") if everything else "",
        query=data.get("query", ""),
    )
    dropped = selection.dropped + _dropped(data.get("dropped"))
    if selection.error:
        return _page(request, "error.html", {"error": selection.error, "dropped": dropped}, status=400)
    items = selection.items
    steps = {item.step for item in items}
    bound = data.get("stage") in ("preview", "confirm")
    options = {"steps": steps, "colleagues": team_colleagues(user)}
    # "Modifier l'action" comes back from the confirmation with the choices made, not yet checked.
    form = BulkActionForm(data, **options) if bound else BulkActionForm(initial=data.dict(), **options)
    context = {"form": form, "items": items, "dropped": dropped, "labels": team_labels(user)}
    if bound and form.is_valid():
        action, params, shown = form.job_arguments()
        if data.get("stage") == "confirm":
            try:
                job = bulk_job_create(
                    user=user, action=action, params=params, work_item_ids=[item.pk for item in items], request=request
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("workflows:bulk_job", pk=job.pk)
        else:
            preview = bulk_preview(user=user, action=action, params=params, work_items=items)
            return _page(request, "confirm.html", {**context, "preview": preview, "shown": shown, "params": params})
    return _page(request, "new.html", context, status=400 if form.errors else 200)


def _job(request, pk):
    return get_object_or_404(scopes.visible_bulk_jobs(request.user), pk=pk)


@bulk_agents_only
def bulk_job(request, pk):
    """A job's progress, then each dossier's outcome (done, or why not) with a link to it."""
    job = _job(request, pk)
    results = job.items.order_by("pk")
    if request.GET.get("resultat") == "echec":
        results = results.filter(outcome=BulkOutcome.FAILED)
    page = BoundedPaginator(results, RESULTS_PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.url = dossier_url(item.kind, item.subject_id)
    return _page(
        request,
        "job.html",
        {
            "job": job,
            "page": page,
            "running": job.status != BulkStatus.DONE,
            "processed": job.done_count + job.failed_count,
            "only_failed": request.GET.get("resultat") == "echec",
            "page_title": job.summary,
        },
    )


@bulk_agents_only
def bulk_job_status(request, pk):
    """A job's counts, polled by its progress page (static script) while it runs."""
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "finished": job.status == BulkStatus.DONE,
            "total": job.total,
            "done": job.done_count,
            "failed": job.failed_count,
        }
    )


@bulk_agents_only
def bulk_jobs(request):
    """My bulk jobs, newest first."""
    page = BoundedPaginator(scopes.visible_bulk_jobs(request.user), 25).get_page(request.GET.get("page"))
    return _page(request, "jobs.html", {"page": page, "page_title": "Mes traitements groupés"})
