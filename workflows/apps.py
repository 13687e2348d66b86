from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Parcours de recrutement"

    def ready(self):
        from workflows import attachments, scopes  # noqa: F401  (scope rules registered; attachment files deleted)
