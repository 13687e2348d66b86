from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from accounts import (
            inactivity,  # noqa: F401  (connects the login signal)
            roles,  # noqa: F401  (registers the scope rule of departments)
        )
