"""Filters of the directory lists (django-filter), applied on top of the user's scope."""

import django_filters
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from directory.enums import AdvisorStatus, StructureStatus, StructureType
from directory.models import Advisor, Structure
from territories.models import Department


class StructureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom ou SIRET", method="filter_q")
    department = django_filters.ModelChoiceFilter(
        label="Département", queryset=Department.objects.all(), empty_label="Tous les départements"
    )
    type = django_filters.ChoiceFilter(label="Type", choices=StructureType.choices, empty_label="Tous les types")
    status = django_filters.ChoiceFilter(
        label="Statut", choices=StructureStatus.choices, empty_label="Tous les statuts"
    )

    class Meta:
        model = Structure
        fields = ["q", "department", "type", "status"]
        form = DsfrBaseForm

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.filters["department"].queryset = departments

    def filter_q(self, queryset, name, value):
        value = value.strip()
        digits = value.replace(" ", "")
        if digits.isdigit():
            return queryset.filter(siret__startswith=digits)
        return queryset.filter(name__icontains=value)


class AdvisorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom du conseiller", method="filter_q")
    status = django_filters.ChoiceFilter(label="Statut", choices=AdvisorStatus.choices, empty_label="Tous")
    is_coordinator = django_filters.BooleanFilter(label="Coordinateur")

    class Meta:
        model = Advisor
        fields = ["q", "status", "is_coordinator"]
        form = DsfrBaseForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(last_name__icontains=value) | Q(first_name__icontains=value))
