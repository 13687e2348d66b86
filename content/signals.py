"""Signal receivers: keep the search index and the cached listings fresh after editors' changes."""

from django.core.cache import cache
from wagtail.search import index

from content.selectors import KEY_FIGURES_CACHE_KEY, forget_cached_listings


def reindex_after_publish(sender, instance, **kwargs):
    """Re-index a page once it is published.

    The index is updated from post_save, i.e. before ClusterableModel writes the ParentalManyToMany and tag rows:
    without this, a changed thématique or tag would stay unsearchable until the next save (wagtail#3728).
    """
    index.insert_or_update_object(instance.specific)
    forget_cached_listings()


def forget_key_figures(**kwargs):
    """A structure or an advisor changed: the home page's key figures are recomputed on the next visit."""
    cache.delete(KEY_FIGURES_CACHE_KEY)
