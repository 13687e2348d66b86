"""Filters of the task lists (django-filter over the open-task index), applied on top of the user's scope."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from common.forms import BoundedDateFilter, BoundedPeriodMixin
from workflows.enums import Step
from workflows.forms import DateInput
from workflows.models import WorkItem


class CreationPeriodForm(BoundedPeriodMixin, DsfrBaseForm):
    """The form of the list filters: a bounded creation period (see common.dates)."""

    period_fields = ("created_after", "created_before")


class WorkItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom ou SIRET", method="filter_q")
    step = django_filters.ChoiceFilter(label="Étape", choices=Step.choices, empty_label="Toutes les étapes")
    department = django_filters.ModelChoiceFilter(
        label="Département", queryset=None, empty_label="Tous les départements"
    )
    deadline = django_filters.ChoiceFilter(
        label="Échéance",
        choices=[("retard", "En retard"), ("rappel", "Rappel envoyé"), ("delai", "Dans les délais")],
        empty_label="Toutes",
        method="filter_deadline",
    )
    created_after = BoundedDateFilter(
        label="Créée depuis le", field_name="created_at", lookup_expr="date__gte", widget=DateInput
    )
    created_before = BoundedDateFilter(
        label="Créée jusqu'au", field_name="created_at", lookup_expr="date__lte", widget=DateInput
    )

    class Meta:
        model = WorkItem
        fields = ["q", "step", "department", "deadline", "created_after", "created_before"]
        form = CreationPeriodForm

    def __init__(self, *args, departments=None, steps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = departments
        if steps is not None:
            self.filters["step"].extra["choices"] = [(s, Step(s).label) for s in steps]

    def filter_q(self, queryset, name, value):
        value = value.strip().lower().replace(" ", "") if value.replace(" ", "").isdigit() else value.strip().lower()
        return queryset.filter(search_text__contains=value) if value else queryset

    def filter_deadline(self, queryset, name, value):
        now = timezone.now()
        if value == "retard":
            return queryset.filter(due_at__lt=now)
        if value == "rappel":
            return queryset.filter(reminded_at__isnull=False, due_at__gte=now)
        if value == "delai":
            return queryset.filter(due_at__gte=now)
        return queryset


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
