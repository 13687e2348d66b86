"""Reads of the public site: resource search and facets, home key figures, listings. Only live, public pages."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, DateTimeField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Length, Substr
from django.utils.functional import cached_property
from wagtail.models import PageLogEntry

from content.enums import ResourceType
from content.models.pages import NewsPage
from content.models.resources import ResourcePage, ResourceTag
from content.models.taxonomies import Public, Thematique
from directory import selectors as directory_selectors
from reporting import selectors as reporting_selectors

TAXONOMIES_CACHE_KEY = "content:filter-choices"
KEY_FIGURES_CACHE_KEY = "content:home-key-figures"
KEY_FIGURES_TIMEOUT = 10 * 60
MAX_TAG_FACETS = 40


@dataclass(frozen=True)
class FilterChoices:
    """(slug, name) of the thématiques, publics and tags a visitor may filter on."""

    thematiques: list[tuple[str, str]] = field(default_factory=list)
    publics: list[tuple[str, str]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ResourceFilters:
    """What the visitor asked for; thématiques combine with OR, the other filters with AND."""

    q: str = ""
    type: str = ""
    thematiques: tuple[str, ...] = ()
    public: str = ""
    tag: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.type or self.thematiques or self.public or self.tag)


def public_resources():
    """Resources anyone may see: published and not behind a view restriction."""
    return ResourcePage.objects.live().public()


# Wagtail's page log actions by which a resource leaves the public set: itself unpublished (by hand or on schedule)
# or deleted; itself or a section above it made private or moved (perhaps under a private section).
LEFT_ITSELF = ("wagtail.unpublish", "wagtail.unpublish.scheduled", "wagtail.delete")
LEFT_WITH_A_SECTION = ("wagtail.view_restriction.create", "wagtail.view_restriction.edit", "wagtail.move")
# ... and by which it may come back without being republished: a restriction lifted, a move out of a private section.
CAME_BACK_WITH_A_SECTION = ("wagtail.view_restriction.delete", "wagtail.move")


def resources_with_change_date(queryset):
    """The resources annotated with `changed_at`: their last publication, or later when a section above them (or the
    resource itself) was moved or had its restriction lifted, which may have brought them back to the public."""
    section_events = (
        PageLogEntry.objects.filter(action__in=CAME_BACK_WITH_A_SECTION)
        .filter(page__path=Substr(OuterRef("path"), 1, Length(F("page__path"))))
        .order_by("-timestamp")
        .values("timestamp")[:1]
    )
    published = Coalesce(F("last_published_at"), F("first_published_at"))
    return queryset.annotate(
        changed_at=Greatest(published, Coalesce(Subquery(section_events, output_field=DateTimeField()), published))
    )


def resource_removals(since: datetime | None = None) -> list[dict]:
    """Resources that left the public set (at or after `since`) and are not public now: [{"id", "removed_at"}], by
    (removed_at, id); the date is the latest event that took each one out, read from Wagtail's page log."""
    logs = PageLogEntry.objects.all()
    if since is not None:
        logs = logs.filter(timestamp__gte=since)
    resource_type = ContentType.objects.get_for_model(ResourcePage)
    removed: dict[int, datetime] = {}

    def note(page_id: int, moment: datetime) -> None:
        if page_id not in removed or moment > removed[page_id]:
            removed[page_id] = moment

    for page_id, moment in logs.filter(content_type=resource_type, action__in=LEFT_ITSELF).values_list(
        "page_id", "timestamp"
    ):
        note(page_id, moment)
    # A page deleted since has no path: its resources were logged one by one when it was deleted.
    sections = [
        (path, moment)
        for path, moment in logs.filter(action__in=LEFT_WITH_A_SECTION).values_list("page__path", "timestamp")
        if path
    ]
    if sections:
        under = Q()
        for path in {path for path, _ in sections}:
            under |= Q(path__startswith=path)
        # Live ones only: a draft under the section was never public, an unpublished one is logged with its own date.
        for page_id, page_path in ResourcePage.objects.live().filter(under).values_list("pk", "path"):
            for path, moment in sections:
                if page_path.startswith(path):
                    note(page_id, moment)
    still_public = set(public_resources().filter(pk__in=list(removed)).values_list("pk", flat=True))
    return sorted(
        ({"id": page_id, "removed_at": moment} for page_id, moment in removed.items() if page_id not in still_public),
        key=lambda removal: (removal["removed_at"], removal["id"]),
    )


def resource_filter_choices() -> FilterChoices:
    """Every thématique and public, and the tags used by published resources; cached until the next publish."""
    choices = cache.get(TAXONOMIES_CACHE_KEY)
    if choices is None:
        tags = (
            ResourceTag.objects.filter(content_object__in=public_resources().values("pk"))
            .values_list("tag__slug", "tag__name")
            .distinct()
        )
        choices = FilterChoices(
            thematiques=list(Thematique.objects.values_list("slug", "name")),
            publics=list(Public.objects.values_list("slug", "name")),
            tags=sorted(tags, key=lambda tag: tag[1].lower()),
        )
        cache.set(TAXONOMIES_CACHE_KEY, choices, 60 * 60)
    return choices


def forget_cached_listings(**kwargs) -> None:
    """Signal receiver: a page was published or unpublished, or a taxonomy changed."""
    cache.delete_many([TAXONOMIES_CACHE_KEY, KEY_FIGURES_CACHE_KEY])


def _filtered(queryset, filters: ResourceFilters, *, skip: str = ""):
    """Apply every filter but `skip` (a facet ignores its own dimension); M2M filters use subqueries: no duplicates."""
    if filters.type and skip != "type":
        queryset = queryset.filter(resource_type=filters.type)
    if filters.thematiques and skip != "thematique":
        through = ResourcePage.thematiques.through.objects.filter(thematique__slug__in=filters.thematiques)
        queryset = queryset.filter(pk__in=through.values("resourcepage_id"))
    if filters.public and skip != "public":
        through = ResourcePage.publics.through.objects.filter(public__slug=filters.public)
        queryset = queryset.filter(pk__in=through.values("resourcepage_id"))
    if filters.tag and skip != "tag":
        queryset = queryset.filter(
            pk__in=ResourceTag.objects.filter(tag__slug=filters.tag).values("content_object_id")
        )
    return queryset


@dataclass(frozen=True)
class FacetValue:
    slug: str
    name: str
    count: int
    selected: bool


def search_words(text: str) -> str:
    """The words of a search, without the quotes and operators the SQLite full-text syntax would choke on."""
    return " ".join(re.findall(r"\w+", text or ""))


class ResourceSearch:
    """One search of the library: each costly part (public pages, full-text ranking, matches) is computed once."""

    def __init__(self, filters: ResourceFilters):
        self.filters = filters

    @cached_property
    def public(self):
        # .public() reads the view restrictions when called: once per search.
        return public_resources()

    @cached_property
    def ranked(self) -> list[int] | None:
        """Primary keys matching the search words, most relevant first; None without words."""
        words = search_words(self.filters.q)
        if not words:
            return None
        results = self.public.search(words, operator="and")
        # The database backends expose the ranked queryset: fetching the keys alone spares loading every body.
        ranked = getattr(results, "get_queryset", None)
        if ranked is not None:
            return list(ranked().values_list("pk", flat=True))
        return [page.pk for page in results]

    @cached_property
    def candidates(self):
        """Public resources matching the words (all of them without words), before the filters."""
        return self.public if self.ranked is None else self.public.filter(pk__in=self.ranked)

    @cached_property
    def ids(self) -> list[int]:
        """Primary keys of the results: by relevance when searching, newest first otherwise."""
        queryset = _filtered(self.candidates, self.filters)
        if self.ranked is None:
            return list(queryset.order_by("-first_published_at", "-pk").values_list("pk", flat=True))
        kept = set(queryset.values_list("pk", flat=True))
        return [pk for pk in self.ranked if pk in kept]

    def page(self, number=None, *, per_page: int = 12) -> Page:
        """One page of results (a Django Page whose object_list holds the resources)."""
        result_page = Paginator(self.ids, per_page).get_page(number)
        result_page.object_list = resources_in_order(list(result_page.object_list))
        return result_page

    def facets(self) -> dict[str, list[FacetValue]]:
        """Counts per type, thématique, public and tag, each under the other active filters (4 grouped queries)."""
        filters, candidates, choices = self.filters, self.candidates, resource_filter_choices()
        type_counts = dict(
            _filtered(candidates, filters, skip="type").values_list("resource_type").annotate(n=Count("pk")).order_by()
        )
        thematique_counts = dict(
            ResourcePage.thematiques.through.objects.filter(
                resourcepage__in=_filtered(candidates, filters, skip="thematique").values("pk")
            )
            .values_list("thematique__slug")
            .annotate(n=Count("pk"))
            .order_by()
        )
        public_counts = dict(
            ResourcePage.publics.through.objects.filter(
                resourcepage__in=_filtered(candidates, filters, skip="public").values("pk")
            )
            .values_list("public__slug")
            .annotate(n=Count("pk"))
            .order_by()
        )
        tag_counts = dict(
            ResourceTag.objects.filter(content_object__in=_filtered(candidates, filters, skip="tag").values("pk"))
            .values_list("tag__slug")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {
            "types": [
                FacetValue(value, str(label), type_counts.get(value, 0), value == filters.type)
                for value, label in ResourceType.choices
            ],
            "thematiques": [
                FacetValue(slug, name, thematique_counts.get(slug, 0), slug in filters.thematiques)
                for slug, name in choices.thematiques
            ],
            "publics": [
                FacetValue(slug, name, public_counts.get(slug, 0), slug == filters.public)
                for slug, name in choices.publics
            ],
            # The most used tags only (and the chosen one): a library may hold hundreds of them.
            "tags": sorted(
                (
                    FacetValue(slug, name, tag_counts.get(slug, 0), slug == filters.tag)
                    for slug, name in choices.tags
                    if tag_counts.get(slug) or slug == filters.tag
                ),
                key=lambda facet: (not facet.selected, -facet.count, facet.name.lower()),
            )[:MAX_TAG_FACETS],
        }


def resources_in_order(ids: list[int]) -> list[ResourcePage]:
    """These resources, in this order, with their document, taxonomies and tags (4 queries)."""
    resources = ResourcePage.objects.filter(pk__in=ids).select_related("document")
    by_pk = {resource.pk: resource for resource in resources.prefetch_related("thematiques", "publics", "tags")}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def related_resources(resource: ResourcePage, *, limit: int = 3) -> list[ResourcePage]:
    """Other public resources sharing a thématique with this one, newest first."""
    shared = ResourcePage.thematiques.through.objects.filter(
        thematique__in=ResourcePage.thematiques.through.objects.filter(resourcepage=resource).values("thematique")
    ).values("resourcepage_id")
    return list(
        public_resources().filter(pk__in=shared).exclude(pk=resource.pk).order_by("-first_published_at", "-pk")[:limit]
    )


def featured_resources(home, *, limit: int = 6) -> list[ResourcePage]:
    """The resources chosen on the home page, in their order; the newest ones when none is chosen."""
    chosen = [item.resource_id for item in home.featured_resources.all()][:limit]
    resources = public_resources().prefetch_related("thematiques")
    if not chosen:
        return list(resources.order_by("-first_published_at", "-pk")[: min(limit, 3)])
    by_pk = {resource.pk: resource for resource in resources.filter(pk__in=chosen)}
    return [by_pk[pk] for pk in chosen if pk in by_pk]


def latest_news(*, limit: int = 3) -> list[NewsPage]:
    return list(NewsPage.objects.live().public().select_related("image").order_by("-date", "-pk")[:limit])


def home_key_figures() -> dict[str, int | None]:
    """Structures engaged, advisors in post and accompaniments recorded, computed from the database; cached."""
    figures = cache.get(KEY_FIGURES_CACHE_KEY)
    if figures is None:
        figures = {
            "structures": directory_selectors.engaged_structures_count(),
            "advisors": directory_selectors.advisors_in_post_count(),
            "accompaniments": reporting_selectors.national_key_figures()["accompaniments"],
        }
        cache.set(KEY_FIGURES_CACHE_KEY, figures, KEY_FIGURES_TIMEOUT)
    return figures
