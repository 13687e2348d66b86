"""View-only admin for the territories: they come from the data file, and load_territories would undo any edit."""

from django.contrib import admin

from territories.models import Commune, Department, PostalCode, Region
from territories.utils import normalize_search


class ViewOnlyMixin:
    """Browse and search only: corrections go through territories/data/ (see its README) and load_territories."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DepartmentInline(ViewOnlyMixin, admin.TabularInline):
    model = Department
    fields = ["code", "name"]
    show_change_link = True


@admin.register(Region)
class RegionAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]
    ordering = ["code"]


class PostalCodeInline(ViewOnlyMixin, admin.TabularInline):
    model = PostalCode
    fields = ["code"]


@admin.register(Commune)
class CommuneAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "department", "first_postal_code", "population"]
    list_filter = ["department__region", "department"]
    list_select_related = ["department"]
    # search_name (lower-case, accent-free) so that "etienne" finds Saint-Étienne; codes and postal codes too.
    search_fields = ["code", "name", "search_name", "postal_code_rows__code"]
    fields = ["code", "name", "search_name", "department", "postal_codes", "population", "latitude", "longitude"]
    ordering = ["-population"]
    show_full_result_count = False
    inlines = [PostalCodeInline]

    @admin.display(description="code postal principal")
    def first_postal_code(self, obj):
        return obj.main_postal_code

    def get_search_results(self, request, queryset, search_term):
        """Also search the normalized term, so that "saint-etienne" finds Saint-Étienne."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        normalized = normalize_search(search_term)
        if normalized and normalized != search_term.strip().lower():
            more, more_duplicates = super().get_search_results(request, queryset, normalized)
            results |= more
            may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates
