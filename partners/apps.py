from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partner access to the project API: tokens, their scope and rights, rate limits and the audit of every call."""

    name = "partners"
    verbose_name = "Partenaires de l'API"
