from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Outils communs"

    def ready(self):
        from common.form_renderer import share_dsfr_renderer

        share_dsfr_renderer()
