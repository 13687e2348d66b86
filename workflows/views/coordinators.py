"""Coordinator posts: the structure's request, the dossier, the list of requests with their ranks ("Gestion des
postes de coordinateurs") and the coordinator's team page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import agent_required, role_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from common.pagination import BoundedPaginator
from directory import scopes as directory_scopes
from directory.enums import AdvisorStatus
from workflows import scopes, services
from workflows.enums import OPEN_REQUEST_STATUSES, Kind, RequestStatus
from workflows.forms import CoordinatorRequestForm, CoordinatorTeamForm, redesignation_form
from workflows.links import dossier_url
from workflows.views.dossiers import render_dossier

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@role_required(Role.STRUCTURE_MANAGER)
def coordinator_apply(request):
    """Ma structure → poste de coordinateur: the request form, or the request in progress."""
    user = request.user
    mine = scopes.visible_coordinator_requests(user).select_related("coordinator", "recruitment__candidate")
    current = mine.open().first()
    form = CoordinatorRequestForm(request.POST or None)
    if request.method == "POST" and current is None and form.is_valid():
        try:
            coordinator_request = services.coordinator_request_submit(user=user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Votre demande est transmise à la préfecture de votre département.")
            return redirect(dossier_url(Kind.COORDINATOR, coordinator_request.pk))
    return render(
        request,
        "workflows/espace/coordinator_apply.html",
        {
            "page_title": "Poste de coordinateur",
            "form": form,
            "current": current,
            "past": mine.exclude(status__in=OPEN_REQUEST_STATUSES).order_by("-created_at")[:20],
        },
        status=400 if form.errors else 200,
    )


@agent_required
def coordinator_request(request, pk):
    return render_dossier(request, Kind.COORDINATOR, pk)


def _to_dossier(request, pk):
    coordinator_request = get_object_or_404(scopes.visible_coordinator_requests(request.user), pk=pk)
    return redirect(dossier_url(Kind.COORDINATOR, coordinator_request.pk))


@role_required(Role.STRUCTURE_MANAGER, Role.NATIONAL)
@post_only(on_get=_to_dossier)
def coordinator_redesignate(request, pk):
    """Designate a new coordinator on a vacant post; errors show on the dossier, what was chosen kept."""
    coordinator_request = get_object_or_404(scopes.visible_coordinator_requests(request.user), pk=pk)
    form = redesignation_form(coordinator_request, request.POST)
    if form.is_valid():
        try:
            services.coordinator_redesignate(
                coordinator_request=coordinator_request, user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Le nouveau coordinateur est désigné.")
            return redirect(dossier_url(Kind.COORDINATOR, pk))
    return render_dossier(request, Kind.COORDINATOR, pk, cancel_form=form, status=400)


@agent_required
def coordinator_requests(request):
    """Gestion des postes de coordinateurs: the requests of my territory (open by default), per department and
    rank."""
    show = request.GET.get("statut", "en_cours")
    rows = scopes.visible_coordinator_requests(request.user).select_related(
        "structure", "department", "coordinator", "recruitment__candidate"
    )
    if show == "en_cours":
        rows = rows.filter(status__in=OPEN_REQUEST_STATUSES)
    elif show in RequestStatus.values:
        rows = rows.filter(status=show)
    rows = rows.order_by("department_id", F("prefecture_rank").asc(nulls_last=True), "created_at", "pk")
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/espace/coordinator_requests.html",
        {
            "page_title": "Gestion des postes de coordinateurs",
            "page": page,
            "show": show,
            "statuses": RequestStatus.choices,
        },
    )


def _team_candidates(user, coordinator):
    """The advisors the user may put in the team: in post, seen by the user, around the coordinator (her structure's
    department, her departments) or already in her team."""
    current = coordinator.coordinated_advisors.values("pk")
    around = Q(structure__department=coordinator.structure.department_id) | Q(
        structure__department__in=coordinator.coordination_departments.values("pk")
    )
    return (
        directory_scopes.visible_advisors(user)
        .filter(around | Q(pk__in=current), status=AdvisorStatus.ACTIVE)
        .exclude(pk=coordinator.pk)
        .select_related("structure")
        .order_by("last_name", "first_name", "pk")
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.STRUCTURE_MANAGER, Role.NATIONAL)
def coordinator_team(request, pk):
    """The coordinator's team (advisors and departments) and the history of its changes."""
    user = request.user
    coordinator = get_object_or_404(
        directory_scopes.visible_advisors(user).filter(is_coordinator=True).select_related("structure"), pk=pk
    )
    candidates = _team_candidates(user, coordinator)
    initial = {
        "advisors": list(coordinator.coordinated_advisors.values_list("pk", flat=True)),
        "departments": list(coordinator.coordination_departments.values_list("pk", flat=True)),
    }
    form = CoordinatorTeamForm(request.POST or None, initial=initial, advisors=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.coordinator_team_set(coordinator=coordinator, user=user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "L'équipe du coordinateur est enregistrée.")
            return redirect("workflows:coordinator_team", pk=coordinator.pk)
    team = directory_scopes.visible_advisors(user).filter(coordinators=coordinator).select_related("structure")
    return render(
        request,
        "workflows/espace/coordinator_team.html",
        {
            "page_title": f"Équipe de {coordinator.full_name}",
            "coordinator": coordinator,
            "form": form,
            "team": team.order_by("last_name", "first_name"),
            "departments": coordinator.coordination_departments.order_by("code"),
            "history": services.coordinator_team_history(coordinator=coordinator, user=user),
        },
        status=400 if form.errors else 200,
    )
