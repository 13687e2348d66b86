from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Parcours de recrutement"

    def ready(self):
        from workflows import scopes  # noqa: F401  (registers the scope rules of its models with accounts.roles)
