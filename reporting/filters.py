"""Filters of the pilotage dashboards and exports (django-filter), all in the URL so that a view can be shared.

The same FilterSet narrows the activity reports of an export (`.qs`) and gives the dashboards their Scope, period and
Filters, so that a dashboard and its exports always count the same reports. Choices only list what the user's
scope covers: an identifier from outside it makes the form invalid, and the views answer 404.
"""

from datetime import date

import django_filters
from django.http import QueryDict
from dsfr.forms import DsfrBaseForm

from accounts import roles
from common.forms import BoundedDateFilter, BoundedPeriodMixin
from directory import scopes as directory_scopes
from directory.enums import StructureType
from reporting import scopes
from reporting.counters import THEME_BITS
from reporting.enums import ActivityKind, PlaceType, Theme
from reporting.forms import tag_label
from reporting.scopes import Scope
from reporting.selectors import Filters, Period
from reporting.tag_statistics import tag_filter_options
from territories.models import Region

SCOPE_FIELDS = ("region", "departement", "structure", "conseiller")
# Above this many structures (or advisors), the select is only offered once a narrower territory is chosen.
MAX_SELECT_OPTIONS = 300


class PilotageForm(BoundedPeriodMixin, DsfrBaseForm):
    """The form behind the FilterSet: a bounded period (see common.dates)."""

    period_fields = ("du", "au")


def _date_filter(label: str, lookup: str) -> BoundedDateFilter:
    return BoundedDateFilter(field_name="date", lookup_expr=lookup, label=label)


class PilotageFilterSet(django_filters.FilterSet):
    """Period, territory (region, department, structure type, structure, advisor) and activity filters."""

    du = _date_filter("Du", "gte")
    au = _date_filter("Au", "lte")
    region = django_filters.ModelChoiceFilter(
        field_name="region", label="Région", queryset=Region.objects.none(), empty_label="Toutes les régions"
    )
    departement = django_filters.ModelChoiceFilter(
        field_name="department", label="Département", queryset=None, empty_label="Tous les départements"
    )
    type_structure = django_filters.ChoiceFilter(
        field_name="structure_type", label="Type de structure", choices=StructureType.choices, empty_label="Tous"
    )
    structure = django_filters.ModelChoiceFilter(
        field_name="structure", label="Structure", queryset=None, empty_label="Toutes les structures"
    )
    conseiller = django_filters.ModelChoiceFilter(
        field_name="advisor", label="Conseiller", queryset=None, empty_label="Tous les conseillers"
    )
    type = django_filters.ChoiceFilter(
        field_name="kind", label="Type d'activité", choices=ActivityKind.choices, empty_label="Tous les types"
    )
    thematique = django_filters.ChoiceFilter(
        label="Thématique", choices=Theme.choices, empty_label="Toutes", method="filter_theme"
    )
    lieu = django_filters.ChoiceFilter(
        field_name="place_type", label="Type de lieu", choices=PlaceType.choices, empty_label="Tous les lieux"
    )
    etiquette = django_filters.ChoiceFilter(
        label="Étiquette", choices=[], empty_label="Toutes les étiquettes", method="filter_tag"
    )

    class Meta:
        form = PilotageForm
        fields: list[str] = []

    def __init__(self, data=None, *, user, default_period: Period, **kwargs):
        data = data if data is not None else QueryDict()
        super().__init__(data, queryset=scopes.visible_activities(user), **kwargs)
        self.user = user
        self.default_period = default_period
        self.base_scope = scopes.statistics_scope(user)
        departments = roles.visible_departments(user).order_by("code")
        self.filters["departement"].queryset = departments
        self.filters["region"].queryset = Region.objects.filter(code__in=departments.values("region")).order_by("code")
        structures = directory_scopes.visible_structures(user).order_by("name")
        advisors = directory_scopes.visible_advisors(user).order_by("last_name", "first_name")
        department = data.get("departement", "")
        structure = data.get("structure", "")
        if department:
            structures = structures.filter(department=department)
        if structure.isdigit():
            advisors = advisors.filter(structure=structure)
        elif department:
            advisors = advisors.filter(structure__department=department)
        self.filters["structure"].queryset = structures
        self.filters["conseiller"].queryset = advisors
        self.wide = self.base_scope.level in (Scope.NATIONAL, Scope.REGIONS, Scope.DEPARTMENTS)
        # Long lists only once a narrower territory is chosen (a select of 4,000 advisors helps nobody).
        self.structure_select = not self.wide or bool(department)
        self.advisor_select = not self.wide or bool(department) or structure.isdigit()
        self.territory_select = self.wide
        # Shared tags only (personal ones are private to their author); another id makes this one field invalid.
        shared = tag_filter_options(user, personal=False)
        self.filters["etiquette"].extra["choices"] = [(str(tag.pk), tag_label(tag)) for tag in shared]

    # (value, label) lists of the model filters without model instances: the select of 101 departments renders in
    # one loop (reporting/pilotage/_select.html) instead of a template per option.
    MODEL_LABELS = {
        "region": (("code", "name"), "{1}"),
        "departement": (("code", "name"), "{1} ({0})"),
        "structure": (("pk", "name"), "{1}"),
        "conseiller": (("pk", "first_name", "last_name"), "{1} {2}"),
    }

    def options(self) -> dict[str, list[tuple[str, str, bool]]]:
        """{field name: [(value, label, selected)]} of every select of the form."""
        options = {}
        for name, field in self.form.fields.items():
            if name in ("du", "au"):
                continue
            current = str(self.data.get(name, "") or "")
            if name in self.MODEL_LABELS:
                columns, template = self.MODEL_LABELS[name]
                rows = self.filters[name].queryset.values_list(*columns)
                choices = [("", field.empty_label or "")]
                choices += [(str(row[0]), template.format(*row)) for row in rows]
            else:
                choices = [(str(value), str(label)) for value, label in field.choices]
            options[name] = [(value, label, value == current) for value, label in choices]
        return options

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tag_links__tag=int(value)) if value else queryset

    def filter_theme(self, queryset, name, value):
        return queryset.with_theme(value) if value in THEME_BITS else queryset

    # What the views need

    @property
    def form_valid(self) -> bool:
        return self.form.is_valid()

    @property
    def scope_error(self) -> bool:
        """An identifier outside the user's scope (or unknown) was asked for: the views answer 404."""
        self.form.is_valid()
        return any(name in self.form.errors for name in SCOPE_FIELDS)

    def _value(self, name: str):
        self.form.is_valid()  # cleaned_data then holds the valid fields only
        return self.form.cleaned_data.get(name)

    @property
    def period(self) -> Period:
        """The period asked for; the default one (or its missing bound) when absent or invalid."""
        self.form.is_valid()
        if "du" in self.form.errors or "au" in self.form.errors:
            return self.default_period
        start = self._value("du") or self.default_period.start
        end = self._value("au") or max(self.default_period.end, start)
        return Period(start, end)

    @property
    def activity_filters(self) -> Filters:
        return Filters(
            kind=self._value("type") or "",
            theme=self._value("thematique") or "",
            place_type=self._value("lieu") or "",
            structure_type=self._value("type_structure") or "",
            tag=int(self._value("etiquette")) if self._value("etiquette") else None,
        )

    def scope(self) -> Scope:
        """The user's statistics scope narrowed by the territory filters (never widened)."""
        base = self.base_scope
        region, department = self._value("region"), self._value("departement")
        structure, advisor = self._value("structure"), self._value("conseiller")
        if advisor is not None:
            return Scope.advisors([advisor.pk])
        if base.level in (Scope.STRUCTURES, Scope.ADVISORS):
            if not (structure or department or region):
                return base
            advisors = scopes.scope_advisors(base)
            structures = scopes.scope_structures(base)
            if structure is not None:
                advisors, structures = advisors.filter(structure=structure), structures.filter(pk=structure.pk)
            if department is not None:
                advisors = advisors.filter(structure__department=department)
                structures = structures.filter(department=department)
            if region is not None:
                advisors = advisors.filter(structure__department__region=region)
                structures = structures.filter(department__region=region)
            if base.level == Scope.STRUCTURES:
                return Scope.structures(structures.values_list("pk", flat=True))
            return Scope.advisors(advisors.values_list("pk", flat=True))
        if structure is not None:
            return Scope.structures([structure.pk])
        if department is not None:
            return Scope.departments([department.code])
        if region is not None:
            if base.level in (Scope.NATIONAL, Scope.REGIONS):
                return Scope.regions([region.code])
            codes = self.filters["departement"].queryset.filter(region=region).values_list("code", flat=True)
            return Scope.departments(codes)
        return base

    def active_tags(self) -> list[tuple[str, str]]:
        """(label, URL without this filter) of each active filter: the removable DSFR tags."""
        tags = []
        for name, field in self.form.fields.items():
            value = self._value(name)
            if value in (None, ""):
                continue
            query = self.data.copy()
            query.pop(name, None)
            if name == "departement":
                query.pop("structure", None)
                query.pop("conseiller", None)
            if name == "structure":
                query.pop("conseiller", None)
            if name == "region":
                for narrower in ("departement", "structure", "conseiller"):
                    query.pop(narrower, None)
            display = value.strftime("%d/%m/%Y") if isinstance(value, date) else _display(field, value)
            tags.append((f"{field.label} : {display}", f"?{query.urlencode()}"))
        return tags

    def active_labels(self) -> list[str]:
        return [label for label, _ in self.active_tags()]


def _display(field, value) -> str:
    if hasattr(field, "choices") and not hasattr(value, "pk"):
        return str(dict(field.choices).get(value, value))
    return str(value)
