"""Which documents the public may download and see in the APIs (rule in README « Documents et modération »).

A document is public when its collection has no view restriction and it is not held by moderation: a document
that only unpublished content uses (a page never published, a draft or a revision awaiting approval, a publication
scheduled for later) stays hidden until that content is published. A document no page uses keeps the collection
rule alone.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex, Revision

RESTRICTED_COLLECTIONS_CACHE_KEY = "content:restricted-collection-ids"
HELD_DOCUMENTS_CACHE_KEY = "content:held-document-ids"


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


def _documents_used_by(obj, document_type_id: int) -> set[int]:
    # Wagtail's own reference extraction reads foreign keys, StreamField blocks and rich text links alike.
    return {
        int(object_id)
        for type_id, object_id, *_ in ReferenceIndex._extract_references_from_object(obj)
        if type_id == document_type_id
    }


def _held_document_ids() -> frozenset[int]:
    document_type_id = ContentType.objects.get_for_model(get_document_model()).pk
    pending = Page.objects.filter(Q(live=False) | Q(has_unpublished_changes=True)).select_related("latest_revision")
    unpublished = set()
    for page in pending.specific():
        unpublished |= _documents_used_by(page, document_type_id)
        if page.latest_revision is not None:
            unpublished |= _documents_used_by(page.latest_revision.as_object(), document_type_id)
    if not unpublished:
        return frozenset()
    # The page rows of live pages hold their published content, which the reference index describes.
    published = ReferenceIndex.objects.filter(
        to_content_type_id=document_type_id,
        to_object_id__in=[str(pk) for pk in unpublished],
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=Page.objects.filter(live=True).annotate(key=Cast("pk", CharField())).values("key"),
    ).values_list("to_object_id", flat=True)
    return frozenset(unpublished - {int(pk) for pk in published})


def held_document_ids() -> frozenset[int]:
    """Documents only unpublished content uses: hidden from the public until that content is published; cached."""
    ids = cache.get(HELD_DOCUMENTS_CACHE_KEY)
    if ids is None:
        ids = _held_document_ids()
        cache.set(HELD_DOCUMENTS_CACHE_KEY, ids, 300)
    return ids


def forget_held_documents(sender=None, instance=None, **kwargs) -> None:
    """Signal receiver: a page was saved, published, unpublished or deleted, or a revision was saved."""
    if instance is None or isinstance(instance, Page | Revision):
        cache.delete(HELD_DOCUMENTS_CACHE_KEY)


def in_public_collection(document) -> bool:
    """Whether the document's collection lets the public read it (what an editor may attach to a public page)."""
    return document is not None and document.collection_id not in restricted_collection_ids()


def is_public_document(document) -> bool:
    """Whether the public may download this document and see it in the APIs, now."""
    return in_public_collection(document) and document.pk not in held_document_ids()


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
