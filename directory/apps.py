from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Réseau (structures, conseillers, lieux)"

    def ready(self):
        from directory import scopes  # noqa: F401  (registers the scope rules of its models with accounts.roles)
