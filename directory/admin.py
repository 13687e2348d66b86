from django.contrib import admin

from directory.models import Advisor, Hub, Place, PlaceAssignment, Structure


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    search_fields = ["name"]
    filter_horizontal = ["departments"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "type", "status", "department", "posts_granted"]
    list_filter = ["status", "type", "qpv", "zrr", "france_services_label", "network"]
    search_fields = ["name", "siret", "contact_email"]
    autocomplete_fields = ["commune"]
    list_select_related = ["department"]


class PlaceAssignmentInline(admin.TabularInline):
    model = PlaceAssignment
    extra = 0
    autocomplete_fields = ["place"]


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "structure", "status", "is_coordinator", "certified"]
    list_filter = ["status", "is_coordinator", "certified"]
    search_fields = ["last_name", "first_name", "email", "professional_email"]
    autocomplete_fields = ["structure", "user"]
    filter_horizontal = ["coordinated_advisors", "coordination_departments"]
    inlines = [PlaceAssignmentInline]
    list_select_related = ["structure"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "is_public", "itinerant", "removed_at"]
    list_filter = ["is_public", "itinerant"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["commune", "structure"]
    list_select_related = ["commune"]
