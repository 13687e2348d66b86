"""Pages that list other content: the home page, the news list and the resource library.

They read the listings through content.selectors and their filters through content.forms, which read the pages they
list (content.models.pages, content.models.resources): keeping them apart keeps the imports one way.
"""

from django.core.paginator import Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content import selectors
from content.blocks import BodyBlock
from content.forms import NewsFilterForm, ResourceFilterForm
from content.models.pages import BasePage, NewsPage
from content.models.taxonomies import Thematique

NEWS_PER_PAGE = 10


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


class ResourceIndexPage(BasePage):
    """The library: full-text search, filters with counts, pagination; every state is a shareable URL."""

    intro = models.TextField("chapô", blank=True, max_length=600)
    per_page = models.PositiveSmallIntegerField("ressources par page", default=12)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("per_page")]
    api_fields = [APIField("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ResourcePage"]
    max_count = 1

    class Meta:
        verbose_name = "bibliothèque de ressources"
        verbose_name_plural = "bibliothèques de ressources"

    @property
    def intro_text(self) -> str:
        return self.intro

    def serve(self, request, *args, **kwargs):
        form = ResourceFilterForm(request.GET, choices=selectors.resource_filter_choices())
        filters = form.filters()
        context = self.get_context(request, *args, **kwargs)
        context["form"] = form
        context["filters"] = filters
        search = selectors.ResourceSearch(filters)
        context["results"] = search.page(request.GET.get("page"), per_page=self.per_page)
        context["facets"] = search.facets()
        context["active_filters"] = form.active_filters(filters)
        return TemplateResponse(
            request, self.get_template(request, *args, **kwargs), context, status=200 if form.is_valid() else 400
        )
