"""A paginator whose count stops at MAX_COUNT: a page of a long queue costs the same as one of a short queue."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_COUNT = 1000


class BoundedPaginator(Paginator):
    """Counts at most MAX_COUNT + 1 rows, so that a page costs the same whatever the size of the queue."""

    @cached_property
    def count(self):
        # Ordering is useless to a count and would make the database sort the whole list first.
        return self.object_list.order_by()[: MAX_COUNT + 1].count()

    @property
    def count_is_capped(self) -> bool:
        return self.count > MAX_COUNT
