"""Mon équipe (coordinators): the advisors I coordinate, their reporting activity, team statistics and export."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.decorators import coordinator_required
from accounts.enums import AuditAction
from accounts.services import audit_record
from common import exports as export_files
from directory import scopes as directory_scopes
from reporting import exports, scopes, selectors
from reporting.enums import ReportingStatus
from reporting.forms import PeriodFilterForm
from reporting.scopes import Scope
from reporting.selectors import Period
from reporting.tag_statistics import tag_filter_options
from reporting.views.common import coop_breadcrumb
from reporting.views.statistics import statistics_context, statistics_export_response


def _team(request):
    return (
        directory_scopes.coordinated_advisors(request.user)
        .select_related("structure")
        .order_by("last_name", "first_name")
    )


def _chosen_scope(request, team) -> tuple[Scope, object | None]:
    """The whole team, or the one advisor of the team asked for in ?conseiller= (404 for anyone else)."""
    raw = request.GET.get("conseiller", "")
    if not raw:
        return Scope.advisors([advisor.pk for advisor in team]), None
    if not raw.isdigit():
        raise Http404("Conseiller inconnu.")
    advisor = next((advisor for advisor in team if advisor.pk == int(raw)), None)
    if advisor is None:
        raise Http404("Ce conseiller ne fait pas partie de votre équipe.")
    return Scope.advisors([advisor.pk]), advisor


@coordinator_required
def team(request):
    """The advisors I coordinate: last report, reports per month over 6 months, status (active / 30 / 45 days)."""
    members = selectors.team_overview(_team(request))
    months = members[0].monthly if members else []
    return render(
        request,
        "reporting/coop/team.html",
        {
            "title": "Mon équipe",
            "members": members,
            "months": [month for month, _ in months],
            "counts": {
                name: sum(1 for member in members if member.status == status)
                for name, status in (
                    ("active", ReportingStatus.ACTIVE),
                    ("silent_30", ReportingStatus.SILENT_30),
                    ("silent_45", ReportingStatus.SILENT_45),
                )
            },
            "breadcrumb": coop_breadcrumb(("Mon équipe", "")),
            "section": "equipe",
        },
    )


@coordinator_required
def team_statistics(request):
    """The team's indicators, or one team member's (?conseiller=id)."""
    team_members = list(_team(request))
    scope, advisor = _chosen_scope(request, team_members)
    context = statistics_context(request, scope)
    query = request.GET.urlencode()
    context.update(
        title=f"Statistiques de {advisor.full_name}" if advisor else "Statistiques de mon équipe",
        subject=advisor.full_name if advisor else f"Équipe de {request.advisor.full_name}",
        team=team_members,
        chosen=advisor,
        export_url=f"{reverse('coop:team_statistics_export', kwargs={'fmt': 'csv'})}?{query}",
        export_xlsx_url=f"{reverse('coop:team_statistics_export', kwargs={'fmt': 'xlsx'})}?{query}",
        breadcrumb=coop_breadcrumb(("Mon équipe", reverse("coop:team")), ("Statistiques", "")),
        section="equipe",
        coordination_statistics_url=reverse("coop:coordination_statistics"),
    )
    return render(request, "reporting/coop/statistics.html", context)


@coordinator_required
def team_statistics_export(request, fmt):
    team_members = list(_team(request))
    scope, advisor = _chosen_scope(request, team_members)
    context = statistics_context(request, scope)
    subject = f"Conseiller : {advisor.full_name}" if advisor else f"Équipe de {request.advisor.full_name}"
    return statistics_export_response(request, context, fmt=fmt, subject=subject, name="statistiques_equipe")


@coordinator_required
def team_export(request, fmt):
    """The team's reports over the chosen period and filters, without anyone's private notes; the export is audited."""
    team_members = list(_team(request))
    scope, advisor = _chosen_scope(request, team_members)
    tags = tag_filter_options(request.user, personal=False)
    form = PeriodFilterForm(request.GET or None, default_period=Period.year_to_date(), tags=tags)
    period, filters = form.period, form.filters
    activities = scopes.visible_activities(request.user).filter(advisor_id__in=scope.ids)
    activities = activities.between(period.start, period.end)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.theme:
        activities = activities.with_theme(filters.theme)
    if filters.place_type:
        activities = activities.filter(place_type=filters.place_type)
    if filters.tag:
        activities = activities.filter(tag_links__tag=filters.tag)
    audit_record(
        actor=request.user,
        action=AuditAction.TEAM_ACTIVITIES_EXPORTED,
        target=advisor or request.advisor,
        details={
            "format": fmt,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "advisors": len(scope.ids),
        },
        request=request,
    )
    rows = exports.activity_rows(
        activities.select_related("advisor", "structure", "place", "commune")
        .prefetch_related("tags")
        .order_by("date", "created_at")
        .iterator(chunk_size=2000),
        team=True,
    )
    name = f"activites_equipe_{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return export_files.csv_response(name, rows)
    return export_files.xlsx_response(name, [("Activités de l'équipe", rows, 1)])
