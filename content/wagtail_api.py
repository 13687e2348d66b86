"""Wagtail API v2 at /api/v2/: pages, news, resources (taxonomy filters + search), images, documents.

Read-only and anonymous: only live pages outside private sections, only documents outside restricted collections.
"""

from django.core.exceptions import FieldDoesNotExist
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from content.documents import held_document_ids
from content.models import NewsPage, Public, ResourcePage, Thematique
from content.selectors import resource_filter_choices, search_words

# Relations each page type's API fields read: fetched in a few queries for the whole listing.
API_PREFETCH = {
    ResourcePage: (("document",), ("thematiques", "publics", "tags")),
    NewsPage: (("image",), ("thematiques",)),
}


class SafeSearchFilter(SearchFilter):
    """Wagtail's ?search=, without its 500s: an unknown search_operator is a 400, only the words are searched
    (quotes and operators break SQLite's full-text syntax), a query without words is ignored."""

    def filter_queryset(self, request, queryset, view):
        if request.GET.get("search_operator", "and") not in ("and", "or"):
            raise BadRequestError("« search_operator » doit valoir « and » ou « or ».")
        if "search" in request.GET:
            words = search_words(request.GET["search"])
            if not words:
                return queryset
            if words != request.GET["search"]:
                query = request.GET.copy()
                query["search"] = words
                request._request.GET = query
        return super().filter_queryset(request, queryset, view)


def _safe(backends):
    return [SafeSearchFilter if backend is SearchFilter else backend for backend in backends]


class ChoicesFilter(BaseFilterBackend):
    """?resource_type=podcast: a value outside a field's choices is a 400 (Wagtail would answer an empty list)."""

    def filter_queryset(self, request, queryset, view):
        for name, value in request.GET.items():
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            allowed = [str(choice) for choice, _ in field.flatchoices] if field.choices else []
            if allowed and value not in allowed:
                raise BadRequestError(
                    f"Valeur inconnue « {value} » pour « {name} ». Valeurs possibles : {', '.join(allowed)}."
                )
        return queryset


def with_api_relations(queryset):
    select, prefetch = API_PREFETCH.get(queryset.model, ((), ()))
    return queryset.select_related(*select).prefetch_related(*prefetch)


class CnumPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, with the relations of ?type=content.ResourcePage (or NewsPage) prefetched."""

    filter_backends = [ChoicesFilter, *_safe(PagesAPIViewSet.filter_backends)]

    def get_queryset(self):
        return with_api_relations(super().get_queryset())


class NewsAPIViewSet(PagesAPIViewSet):
    """/api/v2/news/: the news, newest first, with date, summary and thumbnail in listings."""

    model = NewsPage
    name = "news"
    filter_backends = _safe(PagesAPIViewSet.filter_backends)
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "date",
        "summary",
        "image_thumbnail",
        "thematiques",
    ]

    def get_queryset(self):
        queryset = NewsPage.objects.filter(pk__in=self.get_base_queryset().values_list("pk", flat=True))
        return with_api_relations(queryset).order_by("-date", "-pk")


class TaxonomyFilter(BaseFilterBackend):
    """?thematique=<slug>[,<slug>…] (any of them), ?public=<slug>, ?tag=<slug>; unknown values are a 400."""

    def filter_queryset(self, request, queryset, view):
        choices = resource_filter_choices()
        known = {
            "thematique": dict(choices.thematiques),
            "public": {slug for slug, _ in choices.publics},
            "tag": {slug for slug, _ in choices.tags},
        }
        labels = {"thematique": "thématique", "public": "public", "tag": "mot-clé"}
        filtered = False
        for param in ("thematique", "public", "tag"):
            values = [value for value in request.GET.get(param, "").split(",") if value]
            unknown = [value for value in values if value not in known[param]]
            if unknown:
                raise BadRequestError(f"{labels[param].capitalize()} inconnu(e) : « {unknown[0]} ».")
            if not values:
                continue
            filtered = True
            if param == "thematique":
                queryset = queryset.filter(thematiques__in=Thematique.objects.filter(slug__in=values))
            elif param == "public":
                queryset = queryset.filter(publics__in=Public.objects.filter(slug__in=values))
            else:
                queryset = queryset.filter(tags__slug__in=values)
        if filtered:
            # The search backend cannot filter on joins: re-express the filters as a primary-key subquery.
            queryset = with_api_relations(ResourcePage.objects.filter(pk__in=queryset.values("pk")))
        return queryset


class ResourcesAPIViewSet(PagesAPIViewSet):
    """/api/v2/resources/: every resource field in listings, taxonomy filters that combine with ?search=."""

    model = ResourcePage
    name = "resources"
    filter_backends = [
        ChoicesFilter,
        FieldsFilter,
        TaxonomyFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        SafeSearchFilter,
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["thematique", "public", "tag"])
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "resource_type",
        "summary",
        "thematiques",
        "publics",
        "tags",
        "document",
        "external_url",
    ]

    def get_queryset(self):
        queryset = ResourcePage.objects.filter(pk__in=self.get_base_queryset().values_list("pk", flat=True))
        return with_api_relations(queryset)


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """/api/v2/documents/: documents outside restricted collections (Wagtail's filter) and not held by moderation,
    without the tags field.

    Our documents are not tagged, and Wagtail's tags field queries once per document.
    """

    filter_backends = _safe(DocumentsAPIViewSet.filter_backends)
    meta_fields = [field for field in DocumentsAPIViewSet.meta_fields if field != "tags"]
    listing_default_fields = [field for field in DocumentsAPIViewSet.listing_default_fields if field != "tags"]

    def get_queryset(self):
        # A document only unpublished pages use waits for their publication (content/documents.py).
        return super().get_queryset().exclude(pk__in=held_document_ids())


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """/api/v2/images/: Wagtail's, with the guarded search."""

    filter_backends = _safe(ImagesAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CnumPagesAPIViewSet)
api_router.register_endpoint("news", NewsAPIViewSet)
api_router.register_endpoint("resources", ResourcesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
