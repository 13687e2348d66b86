"""The Django admin, open only to national admins (active role) and superusers."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class NationalAdminSite(admin.AdminSite):
    site_header = "Conseiller numérique — administration technique"
    site_title = "Administration Conseiller numérique"
    index_title = "Données de référence"

    def has_permission(self, request):
        # Imported here: this module loads with the app registry, before models are ready.
        from accounts import scopes

        return super().has_permission(request) and (request.user.is_superuser or scopes.is_national(request.user))


class NationalAdminConfig(AdminConfig):
    default_site = "config.admin.NationalAdminSite"
