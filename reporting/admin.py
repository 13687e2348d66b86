"""Django admin (national admins): activity reports and reminders are read-only here, because every change must go
through reporting.services to keep the rollups exact; tools are also editable in the CMS."""

from django.contrib import admin

from reporting.models import Activity, ReminderLog, Tool


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "advisor", "structure", "department", "participants", "duration", "deleted_at"]
    list_filter = ["kind", "place_type", "region", "structure_type"]
    list_select_related = ["advisor", "structure", "department"]
    date_hierarchy = "date"
    search_fields = ["advisor__last_name", "advisor__first_name", "structure__name", "title"]
    exclude = ["notes"]  # private to the advisor


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["advisor", "threshold", "silence_start", "sent_at"]
    list_filter = ["threshold"]
    list_select_related = ["advisor"]
    search_fields = ["advisor__last_name", "advisor__first_name"]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["category", "is_active"]
