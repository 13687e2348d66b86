"""Controlled vocabularies of the resource library, edited as snippets by moderators."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField


class Taxonomy(models.Model):
    name = models.CharField("nom", max_length=100, unique=True)
    slug = models.SlugField(
        "identifiant dans les adresses", max_length=100, unique=True, help_text="Format attendu : mots-en-minuscules"
    )
    description = models.TextField("description", blank=True, max_length=500)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    api_fields = [APIField("name"), APIField("slug"), APIField("description")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Thematique(Taxonomy):
    """A theme of the resources and news (démarches en ligne, sécurité numérique…)."""

    class Meta(Taxonomy.Meta):
        verbose_name = "thématique"


class Public(Taxonomy):
    """Who a resource is for (conseillers, structures, élus…)."""

    class Meta(Taxonomy.Meta):
        verbose_name = "public cible"
        verbose_name_plural = "publics cibles"
