"""Factories for the public site: taxonomies, documents, and a small published page tree with resources and news."""

import itertools
from datetime import date

import factory
from django.core.files.base import ContentFile
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, Site

from content.models import HomePage, NewsIndexPage, NewsPage, Public, ResourceIndexPage, ResourcePage, Thematique
from content.seed.pdf import pdf_document
from content.seed.streams import p, stream


class ThematiqueFactory(DjangoModelFactory):
    class Meta:
        model = Thematique
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thématique {n}")
    slug = factory.Sequence(lambda n: f"thematique-{n}")


class PublicFactory(DjangoModelFactory):
    class Meta:
        model = Public
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Public {n}")
    slug = factory.Sequence(lambda n: f"public-{n}")


def public_collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name="Ressources").first() or root.add_child(name="Ressources")


def private_collection() -> Collection:
    """A collection only moderators may read (a group view restriction)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name="Documents internes").first() or root.add_child(
        name="Documents internes"
    )
    CollectionViewRestriction.objects.get_or_create(
        collection=collection, defaults={"restriction_type": CollectionViewRestriction.GROUPS}
    )
    return collection


class DocumentFactory(DjangoModelFactory):
    """A small valid PDF in the public collection; trait `private` puts it in the restricted one."""

    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Document {n}")
    collection = factory.LazyFunction(public_collection)
    file = factory.LazyAttribute(lambda o: ContentFile(pdf_document(o.title, ["Contenu de test."]), name="doc.pdf"))

    class Params:
        private = factory.Trait(collection=factory.LazyFunction(private_collection))


_slugs = itertools.count(1)


def _slug(title: str) -> str:
    return f"{slugify(title)[:40]}-{next(_slugs)}"


def site_tree() -> dict:
    """Home (root of the default site), the news list and the library, all published."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Accueil du site", slug="accueil"))
        home.save_revision().publish()
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "testserver", "root_page": home})
    news = NewsIndexPage.objects.first() or _publish(home, NewsIndexPage(title="Actualités", slug="actualites"))
    library = ResourceIndexPage.objects.first() or _publish(
        home, ResourceIndexPage(title="Ressources", slug="ressources")
    )
    return {"home": home, "news": news, "library": library}


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def resource(
    library: ResourceIndexPage,
    *,
    title: str,
    slug: str = "",
    resource_type: str = "fiche",
    summary: str = "Un résumé de la ressource.",
    text: str = "",
    thematiques=(),
    publics=(),
    tags=(),
    document=None,
    external_url: str = "",
    publish: bool = True,
) -> ResourcePage:
    """A resource under the library, published unless publish=False (then a draft)."""
    page = ResourcePage(
        title=title,
        slug=slug or _slug(title),
        resource_type=resource_type,
        summary=summary,
        body=stream(p(text)) if text else "[]",
        document=document,
        external_url="" if document else (external_url or "https://exemple.gouv.fr/outil"),
    )
    page.thematiques = list(thematiques)
    page.publics = list(publics)
    page.tags.add(*tags)
    if publish:
        return _publish(library, page)
    page.live = False
    library.add_child(instance=page)
    page.save_revision()
    return page


def news_item(index: NewsIndexPage, *, title: str, day: date, thematiques=(), summary: str = "Résumé.") -> NewsPage:
    page = NewsPage(title=title, slug=_slug(title), date=day, summary=summary)
    page.thematiques = list(thematiques)
    return _publish(index, page)
