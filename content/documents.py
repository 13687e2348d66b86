"""Which documents the public may download: those outside any collection with a view restriction."""

from django.core.cache import cache
from wagtail.models import Collection, CollectionViewRestriction

RESTRICTED_COLLECTIONS_CACHE_KEY = "content:restricted-collection-ids"


def restricted_collection_ids() -> frozenset[int]:
    """Collections under a view restriction (password, login or groups), sub-collections included; cached."""
    ids = cache.get(RESTRICTED_COLLECTIONS_CACHE_KEY)
    if ids is None:
        paths = list(
            Collection.objects.filter(pk__in=CollectionViewRestriction.objects.values("collection")).values_list(
                "path", flat=True
            )
        )
        ids = frozenset()
        if paths:
            collections = Collection.objects.none()
            for path in paths:
                collections |= Collection.objects.filter(path__startswith=path)
            ids = frozenset(collections.values_list("pk", flat=True))
        cache.set(RESTRICTED_COLLECTIONS_CACHE_KEY, ids, 300)
    return ids


def forget_restricted_collections(**kwargs) -> None:
    """Signal receiver: a restriction or a collection changed."""
    cache.delete(RESTRICTED_COLLECTIONS_CACHE_KEY)


def is_public_document(document) -> bool:
    return document is not None and document.collection_id not in restricted_collection_ids()


def document_api_representation(document) -> dict | None:
    """Title, URL, format and size of a public document; None for a missing or private one."""
    if not is_public_document(document):
        return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": document.url,
        "file_extension": document.file_extension,
        "file_size": document.file_size,
    }
