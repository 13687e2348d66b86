from django.apps import AppConfig


class SwitchoverConfig(AppConfig):
    name = "switchover"
    verbose_name = "Reprise des données de l'ancien système"
