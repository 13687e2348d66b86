"""Mes activités › Coordination: a coordinator's own activities (animation, événement, partenariat), their
statistics and exports; and their part of the pilotage dashboard, with its export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import coordinator_required, pilotage_required
from accounts.enums import AuditAction
from accounts.services import audit_record
from common import exports as export_files
from common.forms import apply_errors
from reporting import coordination_stats, scopes
from reporting.coordination_exports import coordination_rows, organisers, partners, themes, type_detail
from reporting.enums import CoordinationKind
from reporting.filters import PilotageFilterSet
from reporting.forms_coordination import (
    COORDINATION_FORMS,
    KIND_INTROS,
    KIND_TITLES,
    CoordinationFilterForm,
)
from reporting.models import Tag
from reporting.scopes import Scope
from reporting.selectors import PROGRAMME_START, Period
from reporting.services.coordination import (
    coordination_activity_create,
    coordination_activity_delete,
    coordination_activity_update,
)
from reporting.views.common import coop_breadcrumb

PAGE_SIZE = 20
SECTION = "coordination"


def _tags(request) -> list:
    return list(scopes.visible_tags(request.user).order_by("name", "pk"))


def _own(request):
    return scopes.own_coordination_activities(request.user)


def _crumbs(*items):
    return coop_breadcrumb(("Mes activités", reverse("coop:activity_list")), *items)


def _list_crumb():
    return ("Coordination", reverse("coop:coordination_list"))


def _kind(request) -> str:
    kind = request.GET.get("type", "")
    if kind and kind not in CoordinationKind.values:
        raise Http404("Type d'activité de coordination inconnu.")
    return kind


def _render_form(request, form, *, kind, title, activity=None, action="", status=200):
    return render(
        request,
        "reporting/coop/coordination_form.html",
        {
            "form": form,
            "kind": kind,
            "title": title,
            "intro": KIND_INTROS[kind],
            "activity": activity,
            "action": action,
            "breadcrumb": _crumbs(_list_crumb(), (title, "")),
            "section": SECTION,
        },
        status=status,
    )


def _save(request, form, save):
    """Run a service on valid data; its refusal (a rule, a tag) is shown next to the fields, nothing typed lost."""
    try:
        return save()
    except ValidationError as error:
        apply_errors(form, error)
        return None


@coordinator_required
@require_http_methods(["GET", "POST"])
def coordination_create(request):
    """Choose the type (three big choices), then its form; a double submission returns the activity already made."""
    kind = _kind(request)
    if not kind:
        return render(
            request,
            "reporting/coop/coordination_choose.html",
            {
                "title": "Enregistrer une activité de coordination",
                "choices": [(value, label, KIND_INTROS[value]) for value, label in CoordinationKind.choices],
                "breadcrumb": _crumbs(_list_crumb(), ("Nouvelle activité", "")),
                "section": SECTION,
            },
        )
    form_class = COORDINATION_FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, tags=_tags(request))
        if form.is_valid():
            result = _save(
                request,
                form,
                lambda: coordination_activity_create(
                    coordinator=request.advisor,
                    values=form.activity_values(),
                    token=form.cleaned_data["token"],
                    tags=form.chosen_tags(),
                ),
            )
            if result is not None:
                activity, created = result
                if created:
                    messages.success(request, f"{activity} enregistrée. Merci !")
                else:
                    messages.info(
                        request, f"{activity} était déjà enregistrée : elle ne l'a pas été une seconde fois."
                    )
                return redirect("coop:coordination_list")
        return _render_form(request, form, kind=kind, title=KIND_TITLES[kind])
    form = form_class(initial={"date": timezone.localdate()}, tags=_tags(request))
    return _render_form(request, form, kind=kind, title=KIND_TITLES[kind])


@coordinator_required
def coordination_duplicate(request, pk):
    """A new activity prefilled from one of mine, dated today, saved by the usual creation form."""
    source = get_object_or_404(_own(request), pk=pk)
    form_class = COORDINATION_FORMS[source.kind]
    form = form_class(initial=form_class.initial_from(source, duplicate=True), tags=_tags(request))
    action = f"{reverse('coop:coordination_create')}?type={source.kind}"
    title = f"Dupliquer : {KIND_TITLES[source.kind][len('Enregistrer ') :]}"
    return _render_form(request, form, kind=source.kind, title=title, action=action)


@coordinator_required
@require_http_methods(["GET", "POST"])
def coordination_edit(request, pk):
    """Change one of my coordination activities (anyone else's answers 404)."""
    activity = get_object_or_404(_own(request), pk=pk)
    form_class = COORDINATION_FORMS[activity.kind]
    title = f"Modifier : {str(activity).lower()}"
    if request.method == "POST":
        form = form_class(request.POST, tags=_tags(request))
        if form.is_valid():
            values = {key: value for key, value in form.activity_values().items() if key != "kind"}
            saved = _save(
                request,
                form,
                lambda: coordination_activity_update(
                    actor=request.user, activity=activity, values=values, tags=form.chosen_tags()
                ),
            )
            if saved is not None:
                messages.success(request, "Activité de coordination modifiée.")
                return redirect("coop:coordination_detail", pk=activity.pk)
    else:
        form = form_class(initial=form_class.initial_from(activity), tags=_tags(request))
    return _render_form(request, form, kind=activity.kind, title=title, activity=activity)


@coordinator_required
def coordination_detail(request, pk):
    """One of my coordination activities, with its actions."""
    activity = get_object_or_404(_own(request).prefetch_related("tags"), pk=pk)
    return render(
        request,
        "reporting/coop/coordination_detail.html",
        {
            "title": str(activity),
            "activity": activity,
            "type_detail": type_detail(activity),
            "partners": partners(activity),
            "themes": themes(activity),
            "organisers": organisers(activity),
            "breadcrumb": _crumbs(_list_crumb(), (str(activity), "")),
            "section": SECTION,
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def coordination_delete(request, pk):
    """Confirm (GET), then delete (POST) one of my coordination activities; it leaves the statistics at once."""
    activity = get_object_or_404(_own(request), pk=pk)
    if request.method == "POST":
        coordination_activity_delete(actor=request.user, activity=activity, request=request)
        messages.success(request, f"{activity} supprimée.")
        return redirect("coop:coordination_list")
    return render(
        request,
        "reporting/coop/coordination_delete.html",
        {
            "title": "Supprimer une activité de coordination",
            "activity": activity,
            "breadcrumb": _crumbs(_list_crumb(), ("Supprimer", "")),
            "section": SECTION,
        },
    )


def _filtered(request, default_period: Period, tags):
    form = CoordinationFilterForm(request.GET or None, default_period=default_period, tags=tags)
    return form, form.apply(_own(request))


@coordinator_required
def coordination_list(request):
    """My coordination activities by date (newest first), filtered by period, type and tag; 20 per page."""
    tags = _tags(request)
    form, activities = _filtered(request, Period(PROGRAMME_START, timezone.localdate()), tags)
    activities = activities.annotate(reached=F("advisors_count") + F("structures_count") + F("other_actors_count"))
    page = Paginator(activities.prefetch_related("tags").order_by("-date", "-created_at"), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/coop/coordination_list.html",
        {
            "title": "Mes activités de coordination",
            "filter_form": form,
            "page": page,
            "query": request.GET.urlencode(),
            "breadcrumb": _crumbs(("Coordination", "")),
            "section": SECTION,
        },
    )


@coordinator_required
def coordination_export(request, fmt):
    """My coordination activities with the list's filters, as CSV or XLSX, with my private notes (they are mine)."""
    _, activities = _filtered(request, Period(PROGRAMME_START, timezone.localdate()), _tags(request))
    activities = activities.prefetch_related("tags").order_by("date", "created_at")
    name = f"mes_activites_coordination_{timezone.localdate():%Y-%m-%d}"
    rows = coordination_rows(activities)
    if fmt == "csv":
        return export_files.csv_response(name, rows)
    return export_files.xlsx_response(name, [("Activités de coordination", rows, 1)])


@coordinator_required
def coordination_statistics(request):
    """Mes statistiques de coordination: key figures, breakdowns and a monthly chart, for a period, type and tag."""
    tags = _tags(request)
    form, activities = _filtered(request, Period.year_to_date(), tags)
    statistics = coordination_stats.coordination_statistics(activities, form.period)
    return render(
        request,
        "reporting/coop/coordination_statistics.html",
        {
            "title": "Mes statistiques de coordination",
            "filter_form": form,
            "period": form.period,
            "statistics": statistics,
            "figures": coordination_stats.key_figures(statistics),
            "distributions": coordination_stats.distributions(statistics),
            "chart": coordination_stats.monthly_chart(statistics),
            "query": request.GET.urlencode(),
            "breadcrumb": _crumbs(_list_crumb(), ("Statistiques", "")),
            "section": SECTION,
        },
    )


# Pilotage: the coordinators' activities of the dashboard's territory.


def _in_scope(activities, scope: Scope):
    if scope.level == Scope.NATIONAL:
        return activities
    if scope.is_empty:
        return activities.none()
    lookup = {
        Scope.REGIONS: "region__in",
        Scope.DEPARTMENTS: "department__in",
        Scope.STRUCTURES: "structure__in",
        Scope.ADVISORS: "coordinator__in",
    }[scope.level]
    return activities.filter(**{lookup: scope.ids})


def pilotage_coordination_activities(request, filterset):
    """The coordination activities the dashboard covers: visible to the user, narrowed like its reports."""
    activities = scopes.visible_coordination_activities(request.user)
    scope = filterset.scope()
    if scope != filterset.base_scope:
        activities = _in_scope(activities, scope)
    structure_type = filterset.activity_filters.structure_type
    if structure_type:
        activities = activities.filter(structure__type=structure_type)
    return activities


def pilotage_coordination_context(request, filterset, period: Period) -> dict:
    """The dashboard's coordination part: key figures and the breakdown by type (one query)."""
    statistics = coordination_stats.coordination_summary(pilotage_coordination_activities(request, filterset), period)
    return {
        "coordination": {
            "statistics": statistics,
            "figures": coordination_stats.key_figures(statistics),
            "kinds": coordination_stats.kind_distribution(statistics),
        }
    }


@pilotage_required
def pilotage_coordination_export(request, fmt):
    """The coordinators' activities of the dashboard's territory and period, without anyone's private notes."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filterset = PilotageFilterSet(request.GET, user=request.user, default_period=Period.last_months(12))
    if filterset.scope_error:
        raise Http404("Territoire inconnu ou hors de votre périmètre.")
    period = filterset.period
    activities = (
        pilotage_coordination_activities(request, filterset)
        .filter(date__range=(period.start, period.end))
        .select_related("coordinator", "structure")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("date", "created_at")
    )
    audit_record(
        actor=request.user,
        action=AuditAction.PILOTAGE_EXPORTED,
        details={
            "export": "coordination",
            "format": fmt,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "filters": filterset.active_labels(),
        },
        request=request,
    )
    name = f"activites_coordination_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}"
    rows = coordination_rows(activities, pilotage=True)
    if fmt == "csv":
        return export_files.csv_response(name, rows)
    return export_files.xlsx_response(name, [("Activités de coordination", rows, 1)])
