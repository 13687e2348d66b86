from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Activité et pilotage"

    def ready(self):
        # Registers the scope rules of its models with accounts.roles; gives SQLite the accent-free search function.
        from reporting import folding, scopes  # noqa: F401
