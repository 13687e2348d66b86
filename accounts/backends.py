"""Authentication backend: e-mail login, and the active role loaded with the user in one query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend

from accounts import roles
from accounts.enums import ROLE_PERMISSIONS
from accounts.identity import normalize_login


class EmailBackend(ModelBackend):
    """Log in with a case-insensitive e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = normalize_login(username or kwargs.get("email"))
        if not email or password is None:
            return None
        user_model = get_user_model()
        try:
            user = user_model.objects.get(email__iexact=email)
        except user_model.DoesNotExist:
            # Run the hasher anyway so that response time does not reveal which e-mails exist.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model.objects.select_related(
                "active_membership__department",
                "active_membership__region",
                "active_membership__hub",
                "active_membership__structure",
                "active_membership__advisor",
                # The advisor's structure and department: recording a report reads them (reporting/services).
                "active_membership__advisor__structure__department",
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


# Apps whose data national admins manage in the Django admin (and whose permissions they therefore hold).
NATIONAL_ADMIN_APPS = {"accounts", "territories", "directory", "workflows", "reporting", "axes", "django_tasks_db"}


class RolePermissionBackend(BaseBackend):
    """Grant permissions from the active role: a national admin manages the programme's data, and territorial
    roles hold the role-level permissions of the recruitment parcours (accounts.enums.ROLE_PERMISSIONS)."""

    def _is_national(self, user_obj) -> bool:
        return user_obj.is_active and roles.is_national(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and perm in ROLE_PERMISSIONS.get(roles.active_role(user_obj), ()):
            return True
        app_label = perm.split(".", 1)[0]
        return app_label in NATIONAL_ADMIN_APPS and self._is_national(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return app_label in NATIONAL_ADMIN_APPS and self._is_national(user_obj)
