"""Build the public site (idempotent): page tree, programme pages, news, resource library, editorial setup.

Existing pages are never overwritten: an editor's changes survive a new run. The pages flagged `refresh` (personal
data: it must say what the retention jobs do) are brought up to date while no editor has revised them.
Run by `manage.py seed_content`.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site

from content.models import (
    HomeFeaturedResource,
    HomePage,
    NewsIndexPage,
    NewsPage,
    Public,
    ResourceIndexPage,
    ResourcePage,
    SiteIdentity,
    StandardPage,
    Thematique,
)
from content.seed import library, pages
from content.seed.editorial import collections, setup_editorial
from content.seed.pdf import pdf_document
from content.seed.streams import p, stream

PRIVATE_DOCUMENT_TITLE = "Calendrier éditorial interne"
FEATURED_SLUGS = ["guide-franceconnect", "guide-arnaques-en-ligne", "guide-animer-atelier-collectif"]


def _child(parent: Page, model, slug: str, **fields):
    """The child page with this slug, created and published when missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _without_ids(blocks) -> list:
    """Stream blocks as the seed writes them (Wagtail adds a random id to each)."""
    return [{key: value for key, value in block.items() if key != "id"} for block in blocks]


def _refresh(page: StandardPage, definition: dict) -> None:
    """Publish the seed's current text on a page only the seed ever wrote (no revision by a person); idempotent."""
    if page.revisions.exclude(user=None).exists():
        return
    wanted = _without_ids(json.loads(definition["body"]))
    if page.intro == definition["intro"] and _without_ids(page.body.raw_data) == wanted:
        return
    page.intro = definition["intro"]
    page.body = definition["body"]
    page.save_revision().publish()


def _home() -> HomePage:
    # Wagtail's migrations create the locale and the root; a flushed database (transactional tests) has neither.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title=pages.HOME_TITLE,
                seo_title="Accueil",
                slug="accueil",
                intro=pages.HOME_INTRO,
                body=pages.HOME_BODY,
            )
        )
        home.save_revision().publish()
    elif not home.body:
        # The minimal home page of the first releases: give it its content once.
        home.title, home.seo_title, home.intro, home.body = (
            pages.HOME_TITLE,
            "Accueil",
            pages.HOME_INTRO,
            pages.HOME_BODY,
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    # Full URLs (API, sitemap, sharing metadata) use the site's host: take it from SITE_URL.
    url = urlsplit(settings.SITE_URL)
    host = {"hostname": url.hostname or "localhost", "port": url.port or (443 if url.scheme == "https" else 80)}
    if site is None:
        Site.objects.create(root_page=home, is_default_site=True, site_name="Conseiller numérique", **host)
        return home
    if (site.hostname, site.port) == ("localhost", 80):
        # Wagtail's install-time site: point it at this deployment.
        site.hostname, site.port = host["hostname"], host["port"]
        site.save(update_fields=["hostname", "port"])
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Conseiller numérique"
        site.save()
        # The welcome page Wagtail creates at install time is no longer reachable: remove it.
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def _taxonomies() -> tuple[dict[str, Thematique], dict[str, Public]]:
    thematiques = {
        slug: Thematique.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})[0]
        for slug, name, description in library.THEMATIQUES
    }
    publics = {
        slug: Public.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})[0]
        for slug, name, description in library.PUBLICS
    }
    return thematiques, publics


def _document(title: str, paragraphs, collection, filename: str):
    document_model = get_document_model()
    document = document_model.objects.filter(title=title, collection=collection).first()
    if document is None:
        document = document_model(title=title, collection=collection)
        document.file.save(filename, ContentFile(pdf_document(title, list(paragraphs))), save=False)
        document.file_size = document.file.size
        document.save()
    return document


def _resources(index: ResourceIndexPage, thematiques, publics, public_collection) -> None:
    # Oldest first, so that the first of the list is the newest in the library.
    for resource in reversed(library.RESOURCES):
        if ResourcePage.objects.child_of(index).filter(slug=resource.slug).exists():
            continue
        document = None
        if resource.document_text:
            document = _document(resource.title, resource.document_text, public_collection, f"{resource.slug}.pdf")
        page = ResourcePage(
            slug=resource.slug,
            title=resource.title,
            resource_type=resource.resource_type,
            summary=resource.summary,
            document=document,
            external_url=resource.external_url,
            duration=resource.duration,
            body=stream(p(*resource.body)) if resource.body else stream(p(resource.summary)),
        )
        page.thematiques = [thematiques[slug] for slug in resource.thematiques]
        page.publics = [publics[slug] for slug in resource.publics]
        page.tags.add(*resource.tags)
        index.add_child(instance=page)
        page.save_revision().publish()


def _news(index: NewsIndexPage, thematiques) -> None:
    for news in sorted(library.NEWS, key=lambda item: item.date):
        if NewsPage.objects.child_of(index).filter(slug=news.slug).exists():
            continue
        page = NewsPage(
            slug=news.slug, title=news.title, date=news.date, summary=news.summary, body=stream(p(*news.paragraphs))
        )
        page.thematiques = [thematiques[slug] for slug in news.thematiques]
        index.add_child(instance=page)
        page.save_revision().publish()


@transaction.atomic
def seed_content(*, demo: bool = True) -> str:
    """Create whatever is missing; return a one-line summary.

    Without `demo`, only what a production site needs: the tree, the programme pages, the vocabularies, the editorial
    groups and workflow (no demo news, resources or documents).
    """
    home = _home()
    if not SiteIdentity.objects.exists():
        SiteIdentity.objects.create()
    for definition in pages.STANDARD_PAGES:
        page = _child(
            home,
            StandardPage,
            definition["slug"],
            title=definition["title"],
            intro=definition["intro"],
            body=definition["body"],
            show_summary=definition["show_summary"],
            show_in_menus=definition["slug"] not in pages.FOOTER_SLUGS,
        )
        if definition.get("refresh"):
            _refresh(page, definition)
    thematiques, publics = _taxonomies()
    setup_editorial(home=home)
    news_index = _child(
        home, NewsIndexPage, pages.NEWS_INDEX["slug"], title=pages.NEWS_INDEX["title"], intro=pages.NEWS_INDEX["intro"]
    )
    resource_index = _child(
        home,
        ResourceIndexPage,
        pages.RESOURCE_INDEX["slug"],
        title=pages.RESOURCE_INDEX["title"],
        intro=pages.RESOURCE_INDEX["intro"],
    )
    if demo:
        _news(news_index, thematiques)
        public_collection, private_collection = collections()
        _resources(resource_index, thematiques, publics, public_collection)
        _document(
            PRIVATE_DOCUMENT_TITLE,
            ["Document de travail réservé aux modérateurs : il ne doit jamais être public."],
            private_collection,
            "calendrier-editorial-interne.pdf",
        )
        if not home.featured_resources.exists():
            # Through a revision, so that the admin's edit form (which reads the latest revision) shows them.
            featured = {resource.slug: resource for resource in ResourcePage.objects.filter(slug__in=FEATURED_SLUGS)}
            home.featured_resources = [
                HomeFeaturedResource(resource=featured[slug], sort_order=order)
                for order, slug in enumerate(FEATURED_SLUGS)
                if slug in featured
            ]
            home.save_revision().publish()
    return (
        f"{StandardPage.objects.count()} pages, {NewsPage.objects.count()} actualités, "
        f"{ResourcePage.objects.count()} ressources, {Thematique.objects.count()} thématiques, "
        f"{Public.objects.count()} publics"
    )
