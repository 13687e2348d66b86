"""Dossier pages: all the data of an application, its timeline, and the decision form when the user may act."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from viewflow.workflow import chart
from viewflow.workflow.models import Process

from accounts import roles
from accounts.decorators import agent_required
from accounts.enums import Role
from common.storage import download_response
from workflows import scopes, selectors, services
from workflows.audiences import reads_internal_notes
from workflows.enums import (
    OPEN_RECRUITMENT_STATUSES,
    OPEN_REQUEST_STATUSES,
    OPEN_RUPTURE_STATUSES,
    CandidateStatus,
    Kind,
    RequestStatus,
)
from workflows.flows import FLOWS
from workflows.forms import (
    CancelForm,
    ContractChangeCancelForm,
    RuptureCancelForm,
    TransferCancelForm,
    redesignation_form,
)
from workflows.kinds import KINDS
from workflows.steps import STEPS


def _subject(user, kind, pk):
    spec = KINDS[kind]
    return get_object_or_404(spec.visible(user).select_related(*spec.related).prefetch_related(*spec.prefetch), pk=pk)


def rupture_cancel_form(data=None):
    """The cancellation form of an end of contract not yet applied."""
    return RuptureCancelForm(data)


# Who may withdraw a dossier while it is in these statuses, and the form that asks why (shown on the dossier).
CANCELLATIONS = {
    Kind.RECRUITMENT: (OPEN_RECRUITMENT_STATUSES, (Role.STRUCTURE_MANAGER, Role.NATIONAL), CancelForm),
    Kind.RUPTURE: (OPEN_RUPTURE_STATUSES, (Role.STRUCTURE_MANAGER, Role.NATIONAL), RuptureCancelForm),
    Kind.CONTRACT_CHANGE: (
        (RequestStatus.DECISION, RequestStatus.SCHEDULED),
        (Role.STRUCTURE_MANAGER, Role.NATIONAL),
        ContractChangeCancelForm,
    ),
    Kind.TRANSFER: (OPEN_REQUEST_STATUSES, (Role.NATIONAL,), TransferCancelForm),
}


def _can_act(user, work_item) -> bool:
    if work_item is None:
        return False
    try:
        services.check_can_act(user, work_item)
    except PermissionDenied:
        return False
    return work_item.owner_id in (None, user.pk) or roles.is_national(user)


def render_dossier(request, kind, pk, *, form=None, cancel_form=None, status=200):
    user = request.user
    subject = _subject(user, kind, pk)
    work_item = selectors.open_work_item(kind, pk)
    can_act = _can_act(user, work_item)
    step = STEPS[work_item.step] if can_act else None
    if can_act and form is None:
        form = step.decision_form(work_item)
    role = roles.active_role(user)
    timeline = selectors.timeline(kind, pk)
    context = {
        "page_title": KINDS[kind].title(subject),
        "subject": subject,
        "kind": kind,
        "work_item": work_item,
        "can_act": can_act,
        "form": form if can_act else None,
        "step_template": step.template if can_act else "",
        "timeline": timeline,
        "show_internal_notes": reads_internal_notes(role),
        "is_national": roles.is_national(user),
        "role": role,
        # A side form of the page (message, annotation, label…) refused: the title says so too (RGAA 8.5).
        "has_errors": status == 400,
    }
    if kind in CANCELLATIONS:
        statuses, allowed_roles, form_class = CANCELLATIONS[kind]
        context["can_cancel"] = subject.status in statuses and role in allowed_roles
        context["cancel_form"] = cancel_form or form_class()
    if kind == Kind.RECRUITMENT:
        context["training"] = getattr(subject, "training", None)
    if kind == Kind.COORDINATOR:
        # The department's ranked requests, for the agents only (the structures never read the ranks).
        context["ranking"] = services.coordinator_ranking(subject, user) if reads_internal_notes(role) else []
        # A vacant post (coordinator gone, recruitment fell through): the side form designates a new coordinator.
        vacant = role in (Role.STRUCTURE_MANAGER, Role.NATIONAL) and services.coordinator_post_vacant(subject)
        context["redesignation_form"] = (cancel_form or redesignation_form(subject)) if vacant else None
    return render(request, KINDS[kind].template, context, status=status)


@agent_required
def structure_application(request, pk):
    return render_dossier(request, Kind.STRUCTURE, pk)


@agent_required
def recruitment(request, pk):
    return render_dossier(request, Kind.RECRUITMENT, pk)


@agent_required
def rupture(request, pk):
    return render_dossier(request, Kind.RUPTURE, pk)


@agent_required
def candidate(request, pk):
    """A candidate's profile; a structure manager may preselect them from here."""
    user = request.user
    candidate = get_object_or_404(scopes.visible_candidates(user).select_related("commune", "department"), pk=pk)
    recruitments = scopes.visible_recruitments(user).filter(candidate=candidate).select_related("structure")
    role = roles.active_role(user)
    already = engaged_elsewhere = False
    if role == Role.STRUCTURE_MANAGER:
        structure_id = roles.active_membership(user).structure_id
        engaged = candidate.engaged_recruitment()
        already = engaged is not None and engaged.structure_id == structure_id
        engaged_elsewhere = engaged is not None and not already
    return render(
        request,
        "workflows/espace/candidate.html",
        {
            "page_title": str(candidate),
            "candidate": candidate,
            "recruitments": recruitments,
            "can_preselect": role == Role.STRUCTURE_MANAGER
            and candidate.status == CandidateStatus.AVAILABLE
            and not already
            and not engaged_elsewhere,
            "already_preselected": already,
            "engaged_elsewhere": engaged_elsewhere,
            "timeline": selectors.timeline(Kind.CANDIDATE, candidate.pk),
            "show_internal_notes": reads_internal_notes(role),
        },
    )


@agent_required
def candidate_cv(request, pk):
    """The private CV, as an attachment, only for users whose scope covers the candidate."""
    candidate = get_object_or_404(scopes.visible_candidates(request.user), pk=pk)
    if not candidate.cv:
        raise Http404
    try:
        return download_response(
            candidate.cv.storage,
            candidate.cv.name,
            filename=f"cv-candidat-{candidate.pk}.pdf",
            content_type="application/pdf",
        )
    except FileNotFoundError:
        raise Http404 from None


@agent_required
def process_chart(request, kind, pk):
    """The Viewflow chart of one process, with its finished and current steps (national admins only)."""
    if not roles.is_national(request.user) or kind not in FLOWS:
        raise PermissionDenied
    flow_class = FLOWS[kind]
    process = get_object_or_404(Process, pk=pk, flow_class=flow_class)
    grid = chart.calc_layout_data(flow_class)
    chart.calc_cell_status(flow_class, grid, process.pk)
    return HttpResponse(chart.grid_to_svg(grid), content_type="image/svg+xml")
