from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Activité et pilotage"

    def ready(self):
        from reporting import scopes  # noqa: F401  (registers the scope rules of its models with accounts.roles)
