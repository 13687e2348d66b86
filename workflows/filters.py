"""Filters and sorting of the task lists (django-filter over the open-task index), applied on top of the user's
scope; the dossier archive's filters.

One source of truth for what a list shows: `WorkItemFilter.as_q()` builds the condition of a filter set, used for
the page, its export, the bulk actions' "all N matching" (`filtered_work_items`) and the saved views' counts (one
aggregate per list, `saved_view_counts`)."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from dsfr.forms import DsfrBaseForm

from accounts import roles
from accounts.models import User
from common.forms import BoundedDateFilter, BoundedPeriodMixin
from directory.enums import StructureType
from workflows import scopes, selectors
from workflows.audiences import reads_internal_notes
from workflows.enums import PrefectureOpinion, Step
from workflows.forms import DateInput
from workflows.models import DossierLabel, Label, WorkItem
from workflows.teams import team_key

# The task lists: URL name, title, and the open tasks each one shows.
LISTS = {
    "queue": ("workflows:queue", "À traiter", selectors.queue_items),
    "inbox": ("workflows:inbox", "Mes dossiers", selectors.inbox_items),
}

NO_OPINION = "sans"
UNASSIGNED = "aucun"
PAUSED = "attente"

_STEP_ORDER = Case(
    *(When(step=value, then=Value(rank)) for rank, (value, _) in enumerate(sorted(Step.choices, key=lambda c: c[1]))),
    default=Value(len(Step.choices)),
    output_field=IntegerField(),
)

# Sort keys of the URL (`?tri=echeance`, `?tri=-recue`): column header and the fields it orders by.
SORTS = {
    "dossier": ("Dossier", ("title",)),
    "etape": ("Étape", (_STEP_ORDER,)),
    "departement": ("Département", ("department_id",)),
    "type": ("Type de structure", ("structure_type",)),
    "avis": ("Avis du préfet", ("prefecture_opinion",)),
    "postes": ("Postes demandés", ("posts_requested",)),
    "recue": ("Reçue le", ("created_at",)),
    "echeance": ("Échéance", ("due_at",)),
    "en-charge": ("En charge", ("owner__last_name", "owner__first_name")),
}
DEFAULT_SORT = "echeance"
# Columns only agents read (a structure manager never sees the prefecture's opinion in her lists).
AGENT_ONLY_SORTS = {"avis"}


def parse_sort(value) -> tuple[str, bool]:
    """(key, descending) of a `tri` value; an unknown value gives the default order."""
    value = value or ""
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def sorted_items(queryset: QuerySet, value) -> QuerySet:
    """The rows in the order of a `tri` value, always ending on the primary key so that pages never overlap."""
    key, descending = parse_sort(value)
    fields = [F(f) if isinstance(f, str) else f for f in SORTS[key][1]]
    order = [f.desc(nulls_last=True) if descending else f.asc(nulls_last=True) for f in fields]
    return queryset.order_by(*order, "-pk" if descending else "pk")


def list_items(user, list_name) -> QuerySet:
    """The open tasks of one task list of the user, in her current scope (404 for an unknown list)."""
    if list_name not in LISTS:
        raise Http404
    return LISTS[list_name][2](user)


class ListChoices:
    """The choices of a list's filters, read once per page: departments of the scope, the team's labels, owners."""

    def __init__(self, user, items):
        self.user = user
        self.items = items

    @cached_property
    def team(self) -> str:
        return team_key(roles.active_membership(self.user))

    @cached_property
    def departments(self) -> list[tuple[str, str]]:
        return [(d.code, f"{d.name} ({d.code})") for d in roles.visible_departments(self.user).order_by("code")]

    @cached_property
    def labels(self) -> list[tuple[str, str]]:
        if not self.team:
            return []
        return [(str(pk), name) for pk, name in Label.objects.filter(team=self.team).values_list("pk", "name")]

    @cached_property
    def owners(self) -> list[tuple[str, str]]:
        owners = User.objects.filter(pk__in=self.items.order_by().values("owner")).order_by(
            "last_name", "first_name", "pk"
        )
        return [(UNASSIGNED, "Non attribué")] + [(str(u.pk), u.get_full_name() or u.email) for u in owners]


class LenientChoiceField(django_filters.fields.ChoiceField):
    """A choice checked by the scoped query itself (saved views' counts): no query to validate it."""

    def valid_value(self, value):
        return True


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CreationPeriodForm(BoundedPeriodMixin, DsfrBaseForm):
    """The form of the list filters: a bounded creation period (see common.dates)."""

    period_fields = ("created_after", "created_before")


class TaskListForm(CreationPeriodForm):
    """The form of the task lists' filters: the creation period, and posts requested between min and max."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("posts_min"), cleaned.get("posts_max")
        if low is not None and high is not None and low > high:
            self.add_error("posts_max", "Le maximum doit être supérieur ou égal au minimum.")
        return cleaned


class WorkItemFilter(django_filters.FilterSet):
    """The filters of "À traiter" and "Mes dossiers"; the condition they select is `as_q()`."""

    q = django_filters.CharFilter(label="Nom ou SIRET")
    step = django_filters.ChoiceFilter(label="Étape", choices=Step.choices, empty_label="Toutes les étapes")
    department = django_filters.ChoiceFilter(label="Département", choices=[], empty_label="Tous les départements")
    deadline = django_filters.ChoiceFilter(
        label="Échéance",
        choices=[
            ("retard", "En retard"),
            ("rappel", "Rappel envoyé"),
            ("delai", "Dans les délais"),
            (PAUSED, "En attente du demandeur"),
        ],
        empty_label="Toutes",
    )
    opinion = django_filters.ChoiceFilter(
        label="Avis du préfet",
        choices=[*PrefectureOpinion.choices, (NO_OPINION, "Sans avis")],
        empty_label="Tous les avis",
    )
    structure_type = django_filters.ChoiceFilter(
        label="Type de structure", choices=StructureType.choices, empty_label="Tous les types"
    )
    posts_min = IntegerFilter(label="Postes demandés : au moins", min_value=0, max_value=9999)
    posts_max = IntegerFilter(label="Postes demandés : au plus", min_value=0, max_value=9999)
    label = django_filters.ChoiceFilter(label="Étiquette", choices=[], empty_label="Toutes les étiquettes")
    assignee = django_filters.ChoiceFilter(label="En charge", choices=[], empty_label="Tout le monde")
    created_after = BoundedDateFilter(label="Reçue depuis le", widget=DateInput)
    created_before = BoundedDateFilter(label="Reçue jusqu'au", widget=DateInput)

    class Meta:
        model = WorkItem
        fields = []
        form = TaskListForm

    def __init__(self, data=None, queryset=None, *, user, choices: ListChoices | None = None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        self.team = choices.team if choices else team_key(roles.active_membership(user))
        self.now = timezone.now()
        if not reads_internal_notes(roles.active_role(user)):
            for name in ("opinion", "label", "assignee"):
                del self.filters[name]
        elif not self.team:
            del self.filters["label"]
        if choices is None:  # counting: the scoped query checks the values, no query to list the choices
            for name in ("department", "label", "assignee"):
                if name in self.filters:
                    self.filters[name].field_class = LenientChoiceField
            return
        self.filters["step"].extra["choices"] = [(s, Step(s).label) for s in scopes.actionable_steps(user)]
        self.filters["department"].extra["choices"] = lambda: choices.departments
        if "label" in self.filters:
            self.filters["label"].extra["choices"] = lambda: choices.labels
        if "assignee" in self.filters:
            self.filters["assignee"].extra["choices"] = lambda: choices.owners

    def filter_queryset(self, queryset):
        return queryset.filter(self.as_q())

    def as_q(self) -> Q:
        """The condition the valid filters select (an invalid one is left out, its error shown next to it)."""
        self.form.is_valid()
        return self._condition(self.form.cleaned_data)

    def q_for(self, data: QueryDict) -> Q:
        """The condition of another query string through the same filters (one filter set for many saved views)."""
        if not hasattr(self, "_form_class"):
            self._form_class = self.get_form_class()
        form = self._form_class(data)
        form.is_valid()
        return self._condition(form.cleaned_data)

    def _condition(self, data) -> Q:
        condition = Q()
        if value := (data.get("q") or "").strip().lower():
            condition &= Q(search_text__contains=value.replace(" ", "") if value.replace(" ", "").isdigit() else value)
        for name, field in (("step", "step"), ("department", "department_id"), ("structure_type", "structure_type")):
            if value := data.get(name):
                condition &= Q(**{field: value})
        if value := data.get("deadline"):
            condition &= self._deadline(value)
        if value := data.get("opinion"):
            condition &= Q(prefecture_opinion="" if value == NO_OPINION else value)
        if (value := data.get("posts_min")) is not None:
            condition &= Q(posts_requested__gte=value)
        if (value := data.get("posts_max")) is not None:
            condition &= Q(posts_requested__lte=value)
        if value := data.get("label"):
            condition &= self._label(value)
        if value := data.get("assignee"):
            condition &= Q(owner__isnull=True) if value == UNASSIGNED else Q(owner_id=_integer(value))
        if value := data.get("created_after"):
            condition &= Q(created_at__date__gte=value)
        if value := data.get("created_before"):
            condition &= Q(created_at__date__lte=value)
        return condition

    def _deadline(self, value) -> Q:
        # A task waiting for the applicant has its deadline paused: it is neither late nor reminded.
        running = Q(paused_at__isnull=True)
        return {
            "retard": running & Q(due_at__lt=self.now),
            "rappel": running & Q(reminded_at__isnull=False, due_at__gte=self.now),
            "delai": running & Q(due_at__gte=self.now),
            PAUSED: Q(paused_at__isnull=False),
        }.get(value, Q())

    def _label(self, value) -> Q:
        labelled = DossierLabel.objects.filter(
            label_id=_integer(value), label__team=self.team, kind=OuterRef("kind"), subject_id=OuterRef("subject_id")
        )
        # An uncorrelated IN over the open tasks is planned once per query (a hashed subplan), where a bare EXISTS
        # would run once per row inside the saved views' COUNT(...) FILTER.
        return Q(pk__in=WorkItem.objects.filter(Exists(labelled), is_open=True).values("pk"))


def _integer(value) -> int:
    """A primary key read from the URL (anything else matches nothing)."""
    return int(value) if str(value).isdigit() else 0


def filtered_work_items(user, list_name, query_string, *, choices=None) -> tuple[WorkItemFilter, QuerySet]:
    """The filter set and the sorted rows a list shows for a query string (`list`: "queue" or "inbox").

    The bulk actions rebuild "all N matching" with it from the list's name and query string."""
    items = list_items(user, list_name)
    data = query_string if isinstance(query_string, QueryDict) else QueryDict(query_string or "")
    filterset = WorkItemFilter(data or None, queryset=items, user=user, choices=choices or ListChoices(user, items))
    rows = sorted_items(filterset.qs.select_related("department", "owner"), data.get("tri"))
    return filterset, rows


def saved_view_counts(user, views) -> dict[int, int]:
    """The live count of each saved view in the user's current scope: one aggregate query per list."""
    counts = {}
    for list_name in LISTS:
        of_list = [view for view in views if view.list_name == list_name]
        if not of_list:
            continue
        items = list_items(user, list_name)
        filterset = WorkItemFilter(None, queryset=items, user=user)
        aggregates = {
            f"v{view.pk}": Count("pk", filter=filterset.q_for(QueryDict(view.query)) or Q(pk__gt=0))
            for view in of_list
        }
        counts.update({int(key[1:]): value for key, value in items.order_by().aggregate(**aggregates).items()})
    return counts


@dataclass
class SortColumn:
    """A sortable column header: its label, the link that sorts by it, and its aria-sort state."""

    key: str
    label: str
    url: str
    aria_sort: str


def sort_columns(data: QueryDict, *, agent: bool) -> list[SortColumn]:
    """The headers of a list: each links to its sort (the other direction when already sorted by it)."""
    current, descending = parse_sort(data.get("tri"))
    columns = []
    for key, (label, _) in SORTS.items():
        if key in AGENT_ONLY_SORTS and not agent:
            continue
        query = data.copy()
        query.pop("page", None)
        is_current = key == current
        query["tri"] = f"-{key}" if is_current and not descending else key
        aria = ("descending" if descending else "ascending") if is_current else ""
        columns.append(SortColumn(key, label, f"?{query.urlencode()}", aria))
    return columns


def query_without_page(data: QueryDict) -> str:
    """The query string of a list's filters and sort, without its page (what a saved view remembers)."""
    query = data.copy()
    query.pop("page", None)
    return query.urlencode()


class DossierFilter(django_filters.FilterSet):
    """Filters of the dossier archive (every application of the scope, open or closed)."""

    q = django_filters.CharFilter(label="Nom ou SIRET", method="filter_q")
    status = django_filters.ChoiceFilter(label="Statut", choices=[], empty_label="Tous les statuts")
    department = django_filters.ModelChoiceFilter(
        label="Département", queryset=None, empty_label="Tous les départements"
    )
    created_after = BoundedDateFilter(
        label="Déposé depuis le", field_name="created_at", lookup_expr="date__gte", widget=DateInput
    )
    created_before = BoundedDateFilter(
        label="Déposé jusqu'au", field_name="created_at", lookup_expr="date__lte", widget=DateInput
    )

    class Meta:
        fields = ["q", "status", "department", "created_after", "created_before"]
        form = CreationPeriodForm

    def __init__(self, *args, departments=None, statuses=(), search_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = departments
        self.filters["status"].extra["choices"] = statuses
        self.search_fields = search_fields

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)
