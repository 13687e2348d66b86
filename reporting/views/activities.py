"""Record, list, edit, duplicate, delete and export my activity reports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import coop_required
from common import exports as export_files
from reporting import exports, scopes, selectors, services
from reporting.enums import ActivityKind, PlaceType
from reporting.forms import ACTIVITY_FORMS, NOTES_WARNING, ActivityListFilterForm
from reporting.forms_people import anonymous_initial, with_people
from reporting.selectors import PROGRAMME_START, Period
from reporting.services.beneficiaries import beneficiary_create
from reporting.tag_statistics import tag_filter_options
from reporting.views.common import coop_breadcrumb, my_places

PAGE_SIZE = 20
KIND_TITLES = {
    ActivityKind.INDIVIDUAL: "Enregistrer un accompagnement individuel",
    ActivityKind.COLLECTIVE: "Enregistrer un atelier collectif",
}


def _kind(request) -> str:
    kind = request.GET.get("type", ActivityKind.INDIVIDUAL)
    if kind not in ActivityKind.values:
        raise Http404("Type d'activité inconnu.")
    return kind


def _default_place(request, places) -> str:
    """My most used place, else my principal place, else the first one."""
    if not places:
        return ""
    usual = selectors.usual_place_id(request.advisor.pk, [place.pk for place in places])
    return str(usual or places[0].pk)


def _usable_tags(request):
    """The tags I may put on a report: my personal ones, my departments' and the national ones (not archived)."""
    return scopes.visible_tags(request.user).order_by("scope", "name", "pk")


def _tags_to_save(form, activity):
    """The tags ticked, plus those the report carries but the form does not offer (archived since, or of a former
    department): editing a report never drops them silently."""
    offered = set(form.fields["tags"].queryset.values_list("pk", flat=True))
    kept = [link.tag for link in activity.tag_links.select_related("tag") if link.tag_id not in offered]
    return [*form.cleaned_data["tags"], *kept]


def _render_form(request, form, *, kind, title, activity=None, action="", status=200):
    list_url = reverse("coop:activity_list")
    return render(
        request,
        "reporting/coop/activity_form.html",
        {
            "form": form,
            "kind": kind,
            "title": title,
            "activity": activity,
            "action": action,
            "notes_warning": NOTES_WARNING,
            "usual_themes": selectors.usual_themes(request.advisor.pk, kind),
            "other_kind": ActivityKind.COLLECTIVE if kind == ActivityKind.INDIVIDUAL else ActivityKind.INDIVIDUAL,
            "breadcrumb": coop_breadcrumb(("Mes activités", list_url), (title, "")),
            "section": "activites",
        },
        status=status,
    )


def _saved_message(request, activity, created: bool) -> None:
    if created:
        messages.success(request, f"{activity} enregistré. Merci !")
    else:
        messages.info(request, f"{activity} était déjà enregistré : il n'a pas été enregistré une seconde fois.")


@coop_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    """One form, one POST: a double submission (double click, back then resubmit) returns the report already made."""
    kind = _kind(request)
    form_class = with_people(ACTIVITY_FORMS[kind])
    places = my_places(request)
    if request.method == "POST":
        form = form_class(
            request.POST,
            places=places,
            advisor=request.advisor,
            people_query=request.POST.get("personne_recherche", ""),
            tags=_usable_tags(request),
        )
        if _PEOPLE_SEARCH in request.POST:
            return _render_search(request, form, kind=kind, title=KIND_TITLES[kind])
        if form.is_valid():
            saved = _save_new(request, form)
            if saved is not None:
                activity, created = saved
                _saved_message(request, activity, created)
                if request.POST.get("next") == "another":
                    return redirect(f"{reverse('coop:activity_create')}?type={kind}")
                return redirect("coop:activity_list")
        form.set_duration_choices(selectors.usual_durations(request.advisor.pk, kind))
        return _render_form(request, form, kind=kind, title=KIND_TITLES[kind])
    initial = {
        "date": timezone.localdate(),
        "place_type": PlaceType.ACTIVITY_PLACE if places else "",
        "place": _default_place(request, places),
    }
    if request.GET.get("beneficiaire"):
        person = get_object_or_404(scopes.visible_beneficiaries(request.user), pk=_pk(request.GET["beneficiaire"]))
        initial["beneficiaires"] = person.pk if kind == ActivityKind.INDIVIDUAL else [person.pk]
    form = form_class(
        initial=initial,
        places=places,
        durations=selectors.usual_durations(request.advisor.pk, kind),
        advisor=request.advisor,
        tags=_usable_tags(request),
    )
    return _render_form(request, form, kind=kind, title=KIND_TITLES[kind])


_PEOPLE_SEARCH = "chercher_personne"


def _people_query(request) -> str:
    return request.POST.get("personne_recherche", "")


def _pk(value: str) -> int:
    if not value.isdigit():
        raise Http404("Personne inconnue.")
    return int(value)


def _render_search(request, form, *, kind, title, activity=None, action=""):
    """The form as typed, with the people matching the search among the choices; nothing is saved nor refused."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.set_duration_choices(selectors.usual_durations(request.advisor.pk, kind))
    return _render_form(request, form, kind=kind, title=title, activity=activity, action=action)


def _people_of(request, form) -> list[int] | None:
    """The people chosen on a valid form, with the one created inline (None when her record was refused)."""
    chosen = list(form.cleaned_data["people"])
    if form.wants_new_person():
        try:
            person = beneficiary_create(
                advisor=request.advisor,
                values=form.new_person_values(),
                informed=form.cleaned_data["nouvelle_informee"],
            )
        except ValidationError as error:
            form.add_error("nouvelle_prenom", error.messages)
            return None
        chosen.append(person.pk)
    return chosen


def _save_new(request, form):
    """Create the report (and the person typed inline, in the same transaction); None if the service refused it."""
    try:
        if not form.wants_new_person():
            return services.activity_create(
                advisor=request.advisor,
                values=form.activity_values(),
                token=form.cleaned_data["token"],
                beneficiaries=form.cleaned_data["people"],
                tags=form.cleaned_data["tags"],
            )
        with transaction.atomic():
            people = _people_of(request, form)
            if people is None:
                return None
            activity, created = services.activity_create(
                advisor=request.advisor,
                values=form.activity_values(),
                token=form.cleaned_data["token"],
                beneficiaries=people,
                tags=form.cleaned_data["tags"],
            )
            if not created:
                # A second submission: the person typed inline was recorded by the first one.
                transaction.set_rollback(True)
            return activity, created
    except ValidationError as error:
        form.add_error("beneficiaires", error.messages)
        return None


@coop_required
def activity_duplicate(request, pk):
    """A new report prefilled from one of mine, dated today; it is saved by the usual creation form."""
    source = get_object_or_404(scopes.own_activities(request.user).select_related("commune"), pk=pk)
    places = my_places(request)
    initial = ACTIVITY_FORMS[source.kind].initial_from(source, duplicate=True)
    if initial["place"] and initial["place"] not in {str(place.pk) for place in places}:
        initial["place"] = _default_place(request, places)
    # People still followed are chosen again; one erased or merged since counts among the other participants.
    links = list(
        source.followed_links.filter(beneficiary__merged_into__isnull=True, beneficiary__anonymised_at__isnull=True)
    )
    initial = anonymous_initial(initial, source, links)
    form = with_people(ACTIVITY_FORMS[source.kind])(
        initial=initial,
        places=places,
        durations=selectors.usual_durations(request.advisor.pk, source.kind),
        advisor=request.advisor,
        tags=_usable_tags(request),
    )
    action = f"{reverse('coop:activity_create')}?type={source.kind}"
    title = f"Dupliquer : {KIND_TITLES[source.kind][len('Enregistrer ') :]}"
    return _render_form(request, form, kind=source.kind, title=title, action=action)


@coop_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    """Change one of my reports (another advisor's report answers 404)."""
    activity = get_object_or_404(scopes.own_activities(request.user).select_related("commune", "place"), pk=pk)
    form_class = with_people(ACTIVITY_FORMS[activity.kind])
    places = my_places(request)
    if activity.place_id and activity.place_id not in {place.pk for place in places}:
        places.append(activity.place)
    title = f"Modifier : {str(activity).lower()}"
    if request.method == "POST":
        form = form_class(
            request.POST,
            places=places,
            advisor=request.advisor,
            people_query=request.POST.get("personne_recherche", ""),
            tags=_usable_tags(request),
        )
        if _PEOPLE_SEARCH in request.POST:
            return _render_search(request, form, kind=activity.kind, title=title, activity=activity)
        if form.is_valid() and _save_edit(request, form, activity):
            messages.success(request, "Activité modifiée.")
            return redirect("coop:activity_detail", pk=activity.pk)
        form.set_duration_choices(selectors.usual_durations(request.advisor.pk, activity.kind))
    else:
        initial = anonymous_initial(form_class.initial_from(activity), activity, list(activity.followed_links.all()))
        form = form_class(
            initial=initial,
            places=places,
            durations=selectors.usual_durations(request.advisor.pk, activity.kind),
            advisor=request.advisor,
            tags=_usable_tags(request),
        )
    return _render_form(request, form, kind=activity.kind, title=title, activity=activity)


def _save_edit(request, form, activity) -> bool:
    """Change the report and its people (a person linked earlier and since erased or merged stays linked)."""
    try:
        with transaction.atomic():
            people = _people_of(request, form)
            if people is None:
                return False
            services.activity_update(
                activity=activity,
                values=form.activity_values(),
                beneficiaries=people,
                tags=_tags_to_save(form, activity),
            )
    except ValidationError as error:
        form.add_error("beneficiaires", error.messages)
        return False
    return True


@coop_required
def activity_detail(request, pk):
    """One of my reports, with its actions."""
    activity = get_object_or_404(scopes.own_activities(request.user).select_related("commune", "place"), pk=pk)
    return render(
        request,
        "reporting/coop/activity_detail.html",
        {
            "title": str(activity),
            "activity": activity,
            "breadcrumb": coop_breadcrumb(("Mes activités", reverse("coop:activity_list")), (str(activity), "")),
            "section": "activites",
        },
    )


@coop_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    """Confirm (GET), then delete (POST) one of my reports; it leaves the statistics at once."""
    activity = get_object_or_404(scopes.own_activities(request.user), pk=pk)
    if request.method == "POST":
        services.activity_delete(activity=activity, actor=request.user, request=request)
        messages.success(request, f"{activity} supprimé.")
        return redirect("coop:activity_list")
    return render(
        request,
        "reporting/coop/activity_delete.html",
        {
            "title": "Supprimer une activité",
            "activity": activity,
            "breadcrumb": coop_breadcrumb(("Mes activités", reverse("coop:activity_list")), ("Supprimer", "")),
            "section": "activites",
        },
    )


def _filtered_activities(request, places):
    form = ActivityListFilterForm(
        request.GET or None,
        places=places,
        default_period=Period(PROGRAMME_START, timezone.localdate()),
        tags=tag_filter_options(request.user, personal=True),
    )
    period, filters = form.period, form.filters
    activities = scopes.own_activities(request.user).between(period.start, period.end)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.theme:
        activities = activities.with_theme(filters.theme)
    if filters.place_type:
        activities = activities.filter(place_type=filters.place_type)
    if form.place_id:
        activities = activities.filter(place_id=form.place_id)
    if filters.tag:
        activities = activities.filter(tag_links__tag=filters.tag)
    return form, activities


@coop_required
def activity_list(request):
    """My reports by date (newest first), filtered by period, kind, thématique and place; 20 per page."""
    places = my_places(request)
    form, activities = _filtered_activities(request, places)
    page = Paginator(activities.select_related("place", "commune").order_by("-date", "-created_at"), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/coop/activity_list.html",
        {
            "title": "Mes activités",
            "filter_form": form,
            "page": page,
            "query": request.GET.urlencode(),
            "has_places": bool(places),
            "breadcrumb": coop_breadcrumb(("Mes activités", "")),
            "section": "activites",
        },
    )


def _export_name(prefix: str) -> str:
    return f"{prefix}_{timezone.localdate():%Y-%m-%d}"


@coop_required
def activity_export(request, fmt):
    """My reports with the list's filters, as CSV (streamed) or XLSX; my private notes included (they are mine)."""
    _, activities = _filtered_activities(request, my_places(request))
    activities = (
        activities.select_related("place", "commune")
        .prefetch_related("beneficiaries", "tags")
        .order_by("date", "created_at")
        .iterator(chunk_size=2000)
    )
    rows = exports.activity_rows(activities, people=True)
    name = _export_name("mes_activites")
    if fmt == "csv":
        return export_files.csv_response(name, rows)
    return export_files.xlsx_response(name, [("Activités", rows, 1)])
