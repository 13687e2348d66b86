"""Site-wide identity shown in the header and footer, editable in Wagtail (Paramètres › Identité du site)."""

from django.core.cache import cache
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from content.enums import AccessibilityStatus, NoticeLevel

SITE_IDENTITY_CACHE_KEY = "content:site-identity"


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting):
    """Service name, tagline, footer text, accessibility status and the optional important-information banner."""

    service_title = models.CharField("nom du service", max_length=100, default="Conseiller numérique")
    tagline = models.CharField(
        "devise (sous le nom du service)",
        max_length=150,
        blank=True,
        default="Accompagner chacun vers l'autonomie numérique",
    )
    operator_name = models.CharField(
        "opérateur", max_length=200, default="Agence nationale de la cohésion des territoires (ANCT)"
    )
    footer_description = models.TextField(
        "texte du pied de page",
        max_length=600,
        default=(
            "Le dispositif Conseiller numérique, piloté par l'Agence nationale de la cohésion des territoires (ANCT), "
            "finance, forme et déploie des conseillers numériques dans des structures publiques et associatives pour "
            "accompagner chacun vers l'autonomie numérique."
        ),
    )
    accessibility_status = models.CharField(
        "état de conformité au RGAA",
        max_length=20,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.PARTIAL,
        help_text="Affiché dans le pied de page : « Accessibilité : partiellement conforme ». "
        "Il doit correspondre à la déclaration d'accessibilité.",
    )
    notice_title = models.CharField(
        "bandeau d'information importante",
        max_length=200,
        blank=True,
        help_text="Laissez vide pour ne pas afficher de bandeau.",
    )
    notice_level = models.CharField(
        "type de bandeau", max_length=20, choices=NoticeLevel.choices, default=NoticeLevel.INFO
    )
    notice_link = models.URLField("lien du bandeau", blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("service_title"), FieldPanel("tagline"), FieldPanel("operator_name")], heading="En-tête"
        ),
        MultiFieldPanel(
            [FieldPanel("footer_description"), FieldPanel("accessibility_status")], heading="Pied de page"
        ),
        MultiFieldPanel(
            [FieldPanel("notice_title"), FieldPanel("notice_level"), FieldPanel("notice_link")],
            heading="Bandeau d'information importante",
        ),
    ]

    class Meta:
        verbose_name = "identité du site"

    def __str__(self):
        return self.service_title

    @classmethod
    def current(cls) -> "SiteIdentity":
        """The saved settings, or an unsaved instance with the defaults; read from the cache, not the database."""
        identity = cache.get(SITE_IDENTITY_CACHE_KEY)
        if identity is None:
            identity = cls.objects.first() or cls()
            cache.set(SITE_IDENTITY_CACHE_KEY, identity, 300)
        return identity

    @staticmethod
    def forget(**kwargs) -> None:
        """Signal receiver: the settings were saved."""
        cache.delete(SITE_IDENTITY_CACHE_KEY)
