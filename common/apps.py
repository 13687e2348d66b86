from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The shared helpers (no models); at start-up, every DSFR form gets one shared renderer."""

    name = "common"
    verbose_name = "Outils communs"

    def ready(self):
        from common.form_renderer import share_dsfr_renderer

        share_dsfr_renderer()
