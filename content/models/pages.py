"""Page types of the public site: the abstract base page, home, standard pages and news."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.api_fields import TaxonomyField
from content.blocks import BodyBlock

NEWS_PER_PAGE = 10


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


class HomePage(BasePage):
    """The public home page (one per site): live key figures, latest news, featured resources."""

    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name="contenu", blank=True)
    show_latest_news = models.BooleanField("afficher les dernières actualités", default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("featured_resources", label="Ressource à la une", max_num=6),
        FieldPanel("show_latest_news"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "page d'accueil"

    @property
    def intro_text(self) -> str:
        return strip_tags(self.intro)

    def get_context(self, request, *args, **kwargs):
        from content import selectors

        context = super().get_context(request, *args, **kwargs)
        context["key_figures"] = selectors.home_key_figures()
        context["latest_news"] = selectors.latest_news(limit=3) if self.show_latest_news else []
        context["featured_resources"] = selectors.featured_resources(self, limit=6)
        return context


class HomeFeaturedResource(Orderable):
    """A resource shown on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_resources")
    resource = models.ForeignKey(
        "content.ResourcePage", verbose_name="ressource", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("resource")]

    class Meta(Orderable.Meta):
        verbose_name = "ressource à la une"


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


class NewsIndexPage(BasePage):
    """The news list (/actualites/), newest first, filterable by thématique."""

    intro = models.TextField("chapô", blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = "liste des actualités"
        verbose_name_plural = "listes des actualités"

    @property
    def intro_text(self) -> str:
        return self.intro

    def serve(self, request, *args, **kwargs):
        from content.forms import NewsFilterForm
        from content.models.taxonomies import Thematique

        form = NewsFilterForm(request.GET, thematiques=Thematique.objects.all())
        news = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        if form.is_valid() and form.cleaned_data["thematique"]:
            news = news.filter(thematiques__slug=form.cleaned_data["thematique"])
        news = news.select_related("image").prefetch_related("thematiques")
        context = self.get_context(request, *args, **kwargs)
        context["form"] = form
        context["news_page"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        return TemplateResponse(
            request, self.get_template(request, *args, **kwargs), context, status=200 if form.is_valid() else 400
        )


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
