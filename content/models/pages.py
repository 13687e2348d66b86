"""Page types of the public site: the abstract base page, standard pages and news (listing pages: listings.py)."""

from django import forms
from django.db import models
from django.utils.text import slugify
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from content.api_fields import TaxonomyField
from content.blocks import BodyBlock


class BasePage(Page):
    """Every page of the site: DSFR breadcrumb, SEO description, sharing image, sitemap opt-out."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="image de partage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # No reverse accessor on Image: images are shared by many page types.
        related_name="+",
        help_text="Affichée quand la page est partagée sur un réseau social (format conseillé : 1200 × 630).",
    )
    exclude_from_sitemap = models.BooleanField(
        "exclure du plan du site",
        default=False,
        help_text="La page n'apparaît ni dans le plan du site ni dans sitemap.xml.",
    )

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel([FieldPanel("social_image"), FieldPanel("exclude_from_sitemap")], heading="Référencement"),
    ]

    class Meta:
        abstract = True

    def breadcrumb(self, request) -> list[tuple[str, str]]:
        """(title, url) of the ancestors below the home page, then the page itself (its url unused)."""
        ancestors = self.get_ancestors().filter(depth__gt=2)
        return [(page.title, page.get_url(request)) for page in ancestors] + [(self.title, "")]

    @property
    def meta_description(self) -> str:
        return self.search_description or getattr(self, "summary", "") or getattr(self, "intro_text", "")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumb"] = self.breadcrumb(request) if self.depth > 2 else []
        context["parent_url"] = context["breadcrumb"][-2][1] if len(context["breadcrumb"]) > 1 else "/"
        return context

    def get_sitemap_urls(self, request=None):
        return [] if self.exclude_from_sitemap else super().get_sitemap_urls(request)


class StandardPage(BasePage):
    """A content page: the programme, FAQ, legal notices, accessibility, personal data, site map…"""

    intro = models.TextField("chapô", blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name="contenu", blank=True)
    show_summary = models.BooleanField(
        "afficher un sommaire", default=False, help_text="Sommaire construit à partir des titres de niveau 2."
    )
    last_reviewed = models.DateField("dernière mise à jour du contenu", null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("show_summary"), FieldPanel("last_reviewed")], heading="Présentation"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body"), APIField("last_reviewed")]
    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = ["content.StandardPage"]

    class Meta:
        verbose_name = "page standard"
        verbose_name_plural = "pages standard"

    @property
    def intro_text(self) -> str:
        return self.intro

    def summary_links(self) -> list[tuple[str, str]]:
        """(title, anchor) of the level-2 headings, for the DSFR « Sommaire »."""
        return [
            (child.value["text"], slugify(child.value["text"]))
            for child in self.body
            if child.block_type == "heading" and child.value["level"] == "h2"
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["summary_links"] = self.summary_links() if self.show_summary else []
        return context


class NewsPage(BasePage):
    """One news item."""

    date = models.DateField("date de publication")
    summary = models.TextField(
        "résumé", max_length=400, help_text="Affiché dans la liste des actualités (400 caractères au plus)."
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name="contenu", blank=True)
    thematiques = ParentalManyToManyField(
        "content.Thematique", blank=True, related_name="news", verbose_name="thématiques"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("thematiques", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.RelatedFields("thematiques", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("date"),
        APIField("summary"),
        APIField("image"),
        APIField("image_thumbnail", serializer=ImageRenditionField("fill-600x338", source="image")),
        APIField("thematiques", serializer=TaxonomyField()),
        APIField("body"),
    ]
    parent_page_types = ["content.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "actualité"
