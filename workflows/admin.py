"""Read-only Django admin of the recruitment data: every change goes through the services (and the decision log)."""

from django.contrib import admin

from workflows.models import AdvisorApplication, Decision, Recruitment, Rupture, StructureApplication, WorkItem


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "subject_id", "step", "verdict", "actor_label", "actor_role", "reason"]
    list_filter = ["kind", "verdict", "step"]
    search_fields = ["actor_label", "reason", "internal_note", "message_to_applicant"]
    date_hierarchy = "created_at"


@admin.register(StructureApplication)
class StructureApplicationAdmin(ReadOnlyAdmin):
    list_display = ["name", "siret", "department", "status", "posts_granted", "created_at"]
    list_filter = ["status", "type"]
    search_fields = ["name", "siret", "contact_email"]


@admin.register(AdvisorApplication)
class AdvisorApplicationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "email", "department", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["last_name", "first_name", "email"]
    exclude = ["cv"]


@admin.register(Recruitment)
class RecruitmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "contract_type", "department", "created_at"]
    list_filter = ["status", "contract_type"]


@admin.register(Rupture)
class RuptureAdmin(ReadOnlyAdmin):
    list_display = ["advisor", "structure", "end_date", "motive", "status"]
    list_filter = ["status", "motive"]


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "step", "department", "owner", "is_open", "due_at", "escalated_at"]
    list_filter = ["is_open", "step"]
