"""Espace agents: home, "À traiter", "Mes dossiers", taking and releasing a task, and posting a decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.decorators import agent_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from common.pagination import BoundedPaginator
from workflows import scopes, selectors, services
from workflows.audiences import reads_internal_notes
from workflows.filters import LISTS, ListChoices, filtered_work_items, list_items, query_without_page, sort_columns
from workflows.forms.saved_views import SavedViewForm
from workflows.links import dossier_url
from workflows.services import saved_views as saved_view_services
from workflows.steps import STEPS
from workflows.views.dossiers import render_dossier
from workflows.views.exports import EXPORT_LIMIT_TEXT

PAGE_SIZE = 25


@agent_required
def home(request):
    """The espace agents' landing page: what waits for me, per step, and the shortcuts of my role."""
    user = request.user
    queue = selectors.queue_items(user)
    now = timezone.now()
    totals = queue.order_by().aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    context = {
        "queue_counts": selectors.step_counts(queue),
        "queue_total": totals["total"],
        "overdue_total": totals["overdue"],
        "inbox_total": selectors.inbox_items(user).count(),
        "role": roles.active_role(user),
    }
    if context["role"] == Role.STRUCTURE_MANAGER:
        structure = roles.active_membership(user).structure
        context["structure"] = structure
        context["free_posts"] = selectors.free_posts(structure)
    return render(request, "workflows/espace/home.html", context)


def task_list_page(request, list_name, *, data=None, save_form=None, status=200):
    """A task list: filters, sortable columns, "nouveau" markers, saved views, exports and the bulk selection.

    `data` is the list's query (the request's by default); `save_form` a "save this view" form to show with its
    errors (400)."""
    user = request.user
    data = request.GET if data is None else data
    url_name, title, _ = LISTS[list_name]
    items = list_items(user, list_name)
    choices = ListChoices(user, items)
    filterset, rows = filtered_work_items(user, list_name, data, choices=choices)
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(data.get("page"))
    if request.method == "GET" and page.number == 1:
        new_since = saved_view_services.list_visit_record(user=user, list_name=list_name, request=request)
    else:
        new_since = saved_view_services.list_new_since(user=user, list_name=list_name)
    query = query_without_page(data)
    agent = reads_internal_notes(roles.active_role(user))
    return render(
        request,
        "workflows/espace/task_list.html",
        {
            "filter": filterset,
            "page": page,
            "counts": selectors.step_counts(items),
            "title": title,
            "page_title": title,
            "now": timezone.now(),
            "new_since": new_since,
            "list_name": list_name,
            "list_url": reverse(url_name),
            "columns": sort_columns(data, agent=agent),
            "show_opinion": agent,
            "query": query,
            "save_form": save_form or SavedViewForm(initial={"list_name": list_name, "query": query}),
            "export_limit_text": EXPORT_LIMIT_TEXT,
        },
        status=status,
    )


@agent_required
def queue(request):
    """À traiter: the open tasks of my territory that nobody took yet."""
    return task_list_page(request, "queue")


@agent_required
def inbox(request):
    """Mes dossiers: the tasks I took or that were confided to me."""
    return task_list_page(request, "inbox")


def _work_item(request, pk):
    return get_object_or_404(scopes.visible_work_items(request.user).select_related("task", "owner"), pk=pk)


def _to_dossier(request, pk):
    """A reloaded task URL goes back to its dossier, which shows the decision form when the user may act."""
    work_item = _work_item(request, pk)
    return redirect(dossier_url(work_item.kind, work_item.subject_id))


@agent_required
@post_only(on_get=_to_dossier)
def take(request, pk):
    work_item = _work_item(request, pk)
    try:
        services.task_take(work_item=work_item, user=request.user, request=request)
    except services.AlreadyProcessed as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, "La tâche est dans « Mes dossiers ».")
    return redirect(dossier_url(work_item.kind, work_item.subject_id))


@agent_required
@post_only(on_get=_to_dossier)
def release(request, pk):
    work_item = _work_item(request, pk)
    try:
        services.task_release(work_item=work_item, user=request.user, request=request)
    except services.AlreadyProcessed as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, "La tâche est de nouveau disponible pour votre équipe.")
    return redirect(dossier_url(work_item.kind, work_item.subject_id))


# --- Decisions ----------------------------------------------------------------------------------------------------


def _perform(work_item, data, user, request):
    """Call the step's service with the form's cleaned data (the form's fields are the service's arguments)."""
    service = getattr(services, STEPS[work_item.step].service)
    service(work_item=work_item, user=user, request=request, **data)


@agent_required
@post_only(on_get=_to_dossier)
def decide(request, pk):
    """Post the decision of a step: form → service → task executed → back to the dossier.

    A task already done answers "Cette étape a déjà été traitée" (message, redirect), never a 500.
    """
    work_item = _work_item(request, pk)
    target = dossier_url(work_item.kind, work_item.subject_id)
    if not work_item.is_open:
        messages.warning(request, services.ALREADY_PROCESSED)
        return redirect(target)
    form = STEPS[work_item.step].decision_form(work_item, request.POST, files=request.FILES)
    if form.is_valid():
        try:
            _perform(work_item, form.cleaned_data, request.user, request)
        except services.AlreadyProcessed as error:
            messages.warning(request, str(error))
            return redirect(target)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Votre décision est enregistrée.")
            return redirect(target)
    return render_dossier(request, work_item.kind, work_item.subject_id, form=form, status=400)
