"""The Django admin, open only to national admins (active role) and superusers; every change is audited."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class AuditedModelAdminMixin:
    """Copy the admin's own change log (LogEntry) into the project's audit log, with the caller's address."""

    def _audit(self, request, obj, action, message=""):
        # Imported here: this module loads with the app registry, before models are ready.
        from accounts.services import audit_record

        if isinstance(message, list):  # e.g. [{"changed": {"fields": ["Prénom"]}}]
            message = "; ".join(
                f"{verb} {', '.join(change.get('fields', [])) or change.get('name', '')}".strip()
                for entry in message
                for verb, change in entry.items()
            )
        audit_record(
            actor=request.user,
            action=action,
            target=obj,
            details={"model": obj._meta.label_lower, "message": str(message)[:500]},
            request=request,
        )

    def log_addition(self, request, obj, message):
        from accounts.enums import AuditAction

        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, AuditAction.ADMIN_ADDITION, message)
        return entry

    def log_change(self, request, obj, message):
        from accounts.enums import AuditAction

        entry = super().log_change(request, obj, message)
        self._audit(request, obj, AuditAction.ADMIN_CHANGE, message)
        return entry

    def log_deletions(self, request, queryset):
        from accounts.enums import AuditAction

        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit(request, obj, AuditAction.ADMIN_DELETION)
        return entries


class NationalAdminSite(admin.AdminSite):
    site_header = "Conseiller numérique — administration technique"
    site_title = "Administration Conseiller numérique"
    index_title = "Données de référence"

    def has_permission(self, request):
        from accounts import roles

        return super().has_permission(request) and (request.user.is_superuser or roles.is_national(request.user))

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every registered ModelAdmin gets the audit hooks, whoever wrote it."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdminMixin):
            admin_class = type(
                admin_class.__name__, (AuditedModelAdminMixin, admin_class), {"__module__": admin_class.__module__}
            )
        return super().register(model_or_iterable, admin_class, **options)


class NationalAdminConfig(AdminConfig):
    default_site = "config.admin.NationalAdminSite"
