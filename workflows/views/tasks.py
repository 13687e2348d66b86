"""Espace agents: home, "À traiter", "Mes tâches", taking and releasing a task, and posting a decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts import roles
from accounts.decorators import agent_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from common.pagination import BoundedPaginator
from workflows import scopes, selectors, services
from workflows.filters import WorkItemFilter
from workflows.links import dossier_url
from workflows.steps import STEPS
from workflows.views.dossiers import render_dossier

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


def _task_list(request, items, template, title):
    user = request.user
    counts = selectors.step_counts(items)
    filterset = WorkItemFilter(
        request.GET or None,
        queryset=items,
        departments=roles.visible_departments(user),
        steps=scopes.actionable_steps(user),
    )
    rows = filterset.qs.select_related("department", "owner").order_by("due_at", "pk")
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "counts": counts,
            "title": title,
            "page_title": title,
            "now": timezone.now(),
        },
    )


@agent_required
def queue(request):
    """À traiter: the open tasks of my territory that nobody took yet."""
    return _task_list(request, selectors.queue_items(request.user), "workflows/espace/task_list.html", "À traiter")


@agent_required
def inbox(request):
    """Mes tâches: the tasks I took."""
    return _task_list(request, selectors.inbox_items(request.user), "workflows/espace/task_list.html", "Mes tâches")


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
        messages.success(request, "La tâche est dans « Mes tâches ».")
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
