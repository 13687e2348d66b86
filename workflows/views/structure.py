"""Structure managers' pages: their applications, the candidate pool (Recruter), their advisors, ends of contract."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import roles
from accounts.decorators import role_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from directory import conventions
from directory import scopes as directory_scopes
from directory.enums import AdvisorStatus, StructureStatus
from directory.models import Contract
from territories.utils import bounding_box, distance_km
from workflows import scopes, selectors, services
from workflows.enums import CandidateStatus, Kind
from workflows.forms import CancelForm, PoolSearchForm, RuptureNotifyForm
from workflows.links import dossier_url
from workflows.models import Recruitment
from workflows.views.dossiers import render_dossier, rupture_cancel_form

POOL_SCAN_LIMIT = 2000


def _structure(user):
    return roles.active_membership(user).structure


@role_required(Role.STRUCTURE_MANAGER)
def my_applications(request):
    """Mes candidatures: my structure's applications for posts, with their status."""
    applications = scopes.visible_structure_applications(request.user).order_by("-created_at")
    return render(request, "workflows/espace/my_applications.html", {"applications": applications})


@role_required(Role.STRUCTURE_MANAGER)
def pool(request):
    """Recruter: available candidates within the chosen distance of my structure (and within theirs)."""
    structure = _structure(request.user)
    form = PoolSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    radius = filters.get("distance") or 20
    lat = structure.latitude or structure.commune.latitude
    lon = structure.longitude or structure.commune.longitude
    candidates = (
        scopes.visible_candidates(request.user)
        .filter(status=CandidateStatus.AVAILABLE)
        .not_engaged(except_structure=structure)
    )
    rows = []
    if lat is not None and lon is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
        candidates = candidates.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
        if filters.get("available_by"):
            candidates = candidates.filter(available_from__lte=filters["available_by"])
        if filters.get("diploma"):
            candidates = candidates.filter(has_diploma=filters["diploma"] == "oui")
        if filters.get("experience"):
            candidates = candidates.filter(has_experience=filters["experience"] == "oui")
        for candidate in candidates.select_related("commune")[:POOL_SCAN_LIMIT]:
            distance = distance_km(lat, lon, candidate.latitude, candidate.longitude)
            if distance <= radius and distance <= candidate.max_distance_km:
                rows.append((round(distance, 1), candidate))
        rows.sort(key=lambda row: (row[0], row[1].pk))
    preselected = set(Recruitment.objects.open().filter(structure=structure).values_list("candidate_id", flat=True))
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/espace/pool.html",
        {
            "form": form,
            "page": page,
            "preselected": preselected,
            "structure": structure,
            "radius": radius,
            "free_posts": selectors.free_posts(structure),
            "validated": structure.status == StructureStatus.VALIDATED,
        },
    )


def _to_candidate(request, pk):
    """A reloaded preselection URL goes back to the candidate's profile (404 out of scope)."""
    candidate = get_object_or_404(scopes.visible_candidates(request.user), pk=pk)
    return redirect("workflows:candidate", pk=candidate.pk)


@role_required(Role.STRUCTURE_MANAGER)
@post_only(on_get=_to_candidate)
def preselect(request, pk):
    candidate = get_object_or_404(
        scopes.visible_candidates(request.user).filter(status=CandidateStatus.AVAILABLE), pk=pk
    )
    try:
        recruitment = services.recruitment_preselect(candidate=candidate, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("workflows:candidate", pk=pk)
    messages.success(request, f"{candidate.full_name} est présélectionné : proposez-lui un contrat.")
    return redirect(dossier_url("recrutement", recruitment.pk))


@role_required(Role.STRUCTURE_MANAGER)
def my_advisors(request):
    """Mes conseillers: recruitments in progress, advisors in post (with end-of-contract notification)."""
    user = request.user
    structure = _structure(user)
    recruitments = scopes.visible_recruitments(user).open().select_related("candidate").order_by("-created_at")
    advisors = (
        directory_scopes.visible_advisors(user)
        .filter(structure=structure, status=AdvisorStatus.ACTIVE)
        .select_related("recruitment")
        .order_by("last_name", "first_name")
    )
    ruptures = scopes.visible_ruptures(user).open().select_related("advisor")
    # Each advisor's contract in progress (its end may have moved since recruitment) and open contract change.
    advisors = list(advisors.prefetch_related(Prefetch("contracts", Contract.objects.active(), to_attr="running")))
    changes = {
        change.advisor_id: change
        for change in scopes.visible_contract_changes(user).open().filter(advisor__in=[a.pk for a in advisors])
    }
    for advisor in advisors:
        advisor.contract_in_progress = advisor.running[0] if advisor.running else None
        advisor.open_contract_change = changes.get(advisor.pk)
    return render(
        request,
        "workflows/espace/my_advisors.html",
        {
            "structure": structure,
            "recruitments": recruitments,
            "advisors": advisors,
            "ruptures": ruptures,
            "ruptured_ids": {rupture.advisor_id for rupture in ruptures},
            "free_posts": selectors.free_posts(structure),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.STRUCTURE_MANAGER)
def rupture_notify(request, advisor_pk):
    """Notify the end of an advisor's contract."""
    advisor = get_object_or_404(
        directory_scopes.visible_advisors(request.user)
        .filter(status=AdvisorStatus.ACTIVE)
        .select_related("recruitment"),
        pk=advisor_pk,
    )
    form = RuptureNotifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rupture = services.rupture_notify(
                advisor=advisor,
                user=request.user,
                end_date=form.cleaned_data["end_date"],
                motive=form.cleaned_data["motive"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La fin de contrat est notifiée : elle sera validée par le hub ou l'ANCT.")
            return redirect(dossier_url("rupture", rupture.pk))
    recruitment = getattr(advisor, "recruitment", None)
    return render(
        request,
        "workflows/espace/rupture_notify.html",
        {
            "form": form,
            "advisor": advisor,
            "recruitment": recruitment,
            "contract": conventions.active_contract(advisor),
        },
        status=400 if form.errors else 200,
    )


def _to_recruitment(request, pk):
    recruitment = get_object_or_404(scopes.visible_recruitments(request.user), pk=pk)
    return redirect(dossier_url("recrutement", recruitment.pk))


@role_required(Role.STRUCTURE_MANAGER, Role.NATIONAL)
@post_only(on_get=_to_recruitment)
def recruitment_cancel(request, pk):
    recruitment = get_object_or_404(scopes.visible_recruitments(request.user), pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        # The dossier again, the error next to the field and what was typed kept (never a redirect that loses it).
        return render_dossier(request, Kind.RECRUITMENT, pk, cancel_form=form, status=400)
    try:
        services.recruitment_cancel(
            recruitment=recruitment,
            user=request.user,
            message_to_applicant=form.cleaned_data["message_to_applicant"],
            request=request,
        )
    except services.AlreadyProcessed as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, "Le recrutement est annulé ; le candidat en est informé.")
    return redirect(dossier_url("recrutement", pk))


def _to_rupture(request, pk):
    rupture = get_object_or_404(scopes.visible_ruptures(request.user), pk=pk)
    return redirect(dossier_url("rupture", rupture.pk))


@role_required(Role.STRUCTURE_MANAGER, Role.NATIONAL)
@post_only(on_get=_to_rupture)
def rupture_cancel(request, pk):
    """Withdraw an end of contract not yet applied (the advisor stays in post); errors show on the dossier."""
    rupture = get_object_or_404(scopes.visible_ruptures(request.user), pk=pk)
    form = rupture_cancel_form(request.POST)
    if form.is_valid():
        try:
            services.rupture_cancel(
                rupture=rupture, user=request.user, comment=form.cleaned_data["comment"], request=request
            )
        except services.AlreadyProcessed as error:
            messages.warning(request, str(error))
            return redirect(dossier_url("rupture", pk))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La fin de contrat est annulée : le conseiller reste en poste.")
            return redirect(dossier_url("rupture", pk))
    return render_dossier(request, Kind.RUPTURE, pk, cancel_form=form, status=400)
