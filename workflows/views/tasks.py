"""Espace agents: home, "À traiter", "Mes tâches", taking and releasing a task, and posting a decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts import scopes
from accounts.decorators import agent_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from common.pagination import BoundedPaginator
from directory.models import Place
from workflows import services
from workflows.enums import Step
from workflows.filters import WorkItemFilter
from workflows.forms import (
    ContractForm,
    DeploymentForm,
    DocumentsForm,
    PrefectureOpinionForm,
    RecruitmentHubForm,
    RecruitmentPrefectureForm,
    RuptureDecisionForm,
    StructureHubForm,
    TrainingForm,
)
from workflows.links import dossier_url

PAGE_SIZE = 25


def queue_items(user):
    """Open tasks nobody took, at the steps the user's role may act on, in their territory or structure."""
    return scopes.visible_work_items(user).filter(
        is_open=True, owner__isnull=True, step__in=scopes.actionable_steps(user)
    )


def inbox_items(user):
    """Open tasks the user took (still within their current scope)."""
    return scopes.visible_work_items(user).filter(is_open=True, owner=user)


def step_counts(items) -> list[tuple[str, str, int]]:
    """(step, label, count) for each step present: one aggregate query."""
    rows = items.order_by().values("step").annotate(n=Count("pk"))
    return sorted(((row["step"], Step(row["step"]).label, row["n"]) for row in rows), key=lambda r: r[1])


@agent_required
def home(request):
    """The espace agents' landing page: what waits for me, per step, and the shortcuts of my role."""
    user = request.user
    queue = queue_items(user)
    now = timezone.now()
    totals = queue.order_by().aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    context = {
        "queue_counts": step_counts(queue),
        "queue_total": totals["total"],
        "overdue_total": totals["overdue"],
        "inbox_total": inbox_items(user).count(),
        "role": scopes.active_role(user),
    }
    if context["role"] == Role.STRUCTURE_MANAGER:
        structure = scopes.active_membership(user).structure
        context["structure"] = structure
        context["free_posts"] = services.free_posts(structure)
    return render(request, "workflows/espace/home.html", context)


def _task_list(request, items, template, title):
    user = request.user
    counts = step_counts(items)
    filterset = WorkItemFilter(
        request.GET or None,
        queryset=items,
        departments=scopes.visible_departments(user),
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
    return _task_list(request, queue_items(request.user), "workflows/espace/task_list.html", "À traiter")


@agent_required
def inbox(request):
    """Mes tâches: the tasks I took."""
    return _task_list(request, inbox_items(request.user), "workflows/espace/task_list.html", "Mes tâches")


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

FORMS = {
    Step.STRUCTURE_PREFECTURE: PrefectureOpinionForm,
    Step.STRUCTURE_HUB: StructureHubForm,
    Step.RECRUITMENT_CONTRACT: ContractForm,
    Step.RECRUITMENT_PREFECTURE: RecruitmentPrefectureForm,
    Step.RECRUITMENT_HUB: RecruitmentHubForm,
    Step.RECRUITMENT_TRAINING: TrainingForm,
    Step.RECRUITMENT_DEPLOYMENT: DeploymentForm,
    Step.RUPTURE_VALIDATION: RuptureDecisionForm,
    Step.RUPTURE_DOCUMENTS: DocumentsForm,
}


def decision_form(work_item, data=None, initial=None):
    """The form of the step a work item stands at."""
    form_class = FORMS[work_item.step]
    if form_class is DeploymentForm:
        places = Place.objects.current().filter(structure=work_item.structure_id).order_by("name")
        return form_class(data, places=places, initial=initial)
    return form_class(data, initial=initial)


def _perform(work_item, data, user, request):
    common = {"work_item": work_item, "user": user, "request": request}
    # Each form declares the texts of its audiences (internal note, message to the applicant) it collects.
    texts = {key: data[key] for key in ("internal_note", "message_to_applicant") if key in data}
    match work_item.step:
        case Step.STRUCTURE_PREFECTURE:
            services.structure_prefecture_review(opinion=data["opinion"], **texts, **common)
        case Step.STRUCTURE_HUB:
            services.structure_hub_decide(
                decision=data["decision"],
                posts_granted=data["posts_granted"],
                reason=data["reason"],
                **texts,
                **common,
            )
        case Step.RECRUITMENT_CONTRACT:
            services.recruitment_propose_contract(
                contract_type=data["contract_type"],
                contract_start=data["contract_start"],
                contract_end=data["contract_end"],
                salary=data["salary"],
                is_coordinator_post=data["is_coordinator_post"],
                **texts,
                **common,
            )
        case Step.RECRUITMENT_PREFECTURE:
            services.recruitment_prefecture_review(opinion=data["opinion"], reason=data["reason"], **texts, **common)
        case Step.RECRUITMENT_HUB:
            services.recruitment_hub_decide(decision=data["decision"], reason=data["reason"], **texts, **common)
        case Step.RECRUITMENT_TRAINING:
            services.recruitment_record_training(
                session_start=data["session_start"],
                session_end=data["session_end"],
                completed=data["completed"],
                certified=data["certified"],
                **texts,
                **common,
            )
        case Step.RECRUITMENT_DEPLOYMENT:
            services.recruitment_deploy(
                started_at=data["started_at"],
                place=data["place"],
                new_place_name=data["new_place_name"],
                new_place_address=data["new_place_address"],
                **common,
            )
        case Step.RUPTURE_VALIDATION:
            services.rupture_decide(decision=data["decision"], comment=data.get("comment", ""), **common)
        case Step.RUPTURE_DOCUMENTS:
            services.rupture_provide_documents(answer=data["answer"], **common)


@agent_required
@post_only(on_get=_to_dossier)
def decide(request, pk):
    """Post the decision of a step: form → service → task executed → back to the dossier.

    A task already done answers "Cette étape a déjà été traitée" (message, redirect), never a 500.
    """
    from workflows.views.dossiers import render_dossier

    work_item = _work_item(request, pk)
    target = dossier_url(work_item.kind, work_item.subject_id)
    if not work_item.is_open:
        messages.warning(request, services.ALREADY_PROCESSED)
        return redirect(target)
    form = decision_form(work_item, request.POST)
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
