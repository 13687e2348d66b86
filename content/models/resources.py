"""The resource library: its index page (/ressources/, filters and search) and the resources."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.api_fields import PublicDocumentField, TagsField, TaxonomyField
from content.blocks import BodyBlock
from content.documents import in_public_collection, is_public_document
from content.enums import ResourceType
from content.models.pages import BasePage


class ResourceTag(TaggedItemBase):
    content_object = ParentalKey("content.ResourcePage", on_delete=models.CASCADE, related_name="tagged_items")


class ResourcePage(BasePage):
    """A guide, fiche, tool, video or training: a downloadable document or a link to an external site."""

    resource_type = models.CharField(
        "type de ressource", max_length=20, choices=ResourceType.choices, default=ResourceType.FICHE, db_index=True
    )
    summary = models.TextField(
        "résumé", max_length=500, help_text="Affiché sur la carte de la ressource (500 caractères au plus)."
    )
    body = StreamField(BodyBlock(), verbose_name="présentation détaillée", blank=True)
    thematiques = ParentalManyToManyField(
        "content.Thematique", blank=True, related_name="resources", verbose_name="thématiques"
    )
    publics = ParentalManyToManyField(
        "content.Public", blank=True, related_name="resources", verbose_name="publics cibles"
    )
    tags = ClusterTaggableManager("mots-clés", through=ResourceTag, blank=True)
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name="document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_url = models.URLField("lien externe", blank=True, help_text="Format attendu : https://exemple.gouv.fr/…")
    duration = models.CharField(
        "durée",
        max_length=50,
        blank=True,
        help_text="Pour une vidéo ou une formation. Format attendu : « 45 min », « 2 jours ».",
    )
    last_updated = models.DateField("mise à jour du contenu", null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("resource_type"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("external_url")],
            heading="Accès à la ressource",
            help_text="Renseignez soit un document à télécharger, soit un lien externe.",
        ),
        MultiFieldPanel(
            [
                FieldPanel("thematiques", widget=forms.CheckboxSelectMultiple),
                FieldPanel("publics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading="Classement",
        ),
        FieldPanel("duration"),
        FieldPanel("last_updated"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.AutocompleteField("summary"),
        index.SearchField("body"),
        index.FilterField("resource_type"),
        index.RelatedFields("thematiques", [index.SearchField("name")]),
        index.RelatedFields("publics", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("resource_type"),
        APIField("summary"),
        APIField("thematiques", serializer=TaxonomyField()),
        APIField("publics", serializer=TaxonomyField()),
        APIField("tags", serializer=TagsField()),
        APIField("document", serializer=PublicDocumentField()),
        APIField("external_url"),
        APIField("duration"),
        APIField("last_updated"),
        APIField("body"),
    ]
    parent_page_types = ["content.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "ressource"

    def clean(self):
        super().clean()
        if bool(self.document_id) == bool(self.external_url):
            raise ValidationError(
                {
                    "document": "Renseignez soit un document, soit un lien externe (l'un des deux).",
                    "external_url": "Renseignez soit un document, soit un lien externe (l'un des deux).",
                }
            )
        if self.document_id and not in_public_collection(self.document):
            raise ValidationError(
                {"document": "Ce document est dans une collection privée : le public ne pourrait pas le télécharger."}
            )

    @property
    def public_document(self):
        """The document when the public may download it, else None."""
        return self.document if self.document_id and is_public_document(self.document) else None

    @property
    def access_url(self) -> str:
        document = self.public_document
        return document.url if document else self.external_url
