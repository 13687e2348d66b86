"""Statistics by tag: the « Étiquettes » breakdown of a scope and period, and the tags a statistics filter offers.

Tags are not in the rollups: the breakdown reads the raw tagged reports in one query, then names the tags in one more.
Personal tags are private to their author; a breakdown shows them only for that author's own statistics.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from reporting import aggregation, scopes
from reporting.enums import TagScope
from reporting.models import Tag
from reporting.scopes import Scope
from reporting.selectors import SERIES_COUNTERS, Filters, Period


@dataclass(frozen=True)
class TagRow:
    """Activities and accompaniments carrying one tag."""

    tag: Tag
    activities: int
    accompaniments: int

    @property
    def scope_label(self) -> str:
        if self.tag.scope == TagScope.DEPARTMENT:
            return f"Départementale ({self.tag.department_id})"
        return "Nationale" if self.tag.scope == TagScope.NATIONAL else "Personnelle"


def tag_breakdown(
    scope: Scope, period: Period, filters: Filters | None = None, *, personal_owner: int | None = None
) -> list[TagRow]:
    """Per tag, the activities and accompaniments of a scope over a period (at most 2 queries), most used first.

    A report with two tags counts under each; archived tags still count (they stay on past reports).
    """
    if scope.is_empty or period.start > period.end:
        return []
    rows = aggregation.tag_totals(
        scope, filters or Filters(), [(period.start, period.end)], SERIES_COUNTERS, personal_owner=personal_owner
    )
    rows = [row for row in rows if row["activities"]]
    if not rows:
        return []
    tags = Tag.objects.in_bulk([row["tag_id"] for row in rows])
    result = [
        TagRow(tags[row["tag_id"]], row["activities"], row["accompaniments"] or 0)
        for row in rows
        if row["tag_id"] in tags
    ]
    return sorted(result, key=lambda row: (-row.accompaniments, -row.activities, row.tag.name.casefold()))


def tag_filter_options(user, *, personal: bool) -> QuerySet[Tag]:
    """The tags a statistics or list filter offers: those the user may use, without personal ones unless asked."""
    tags = scopes.visible_tags(user)
    if not personal:
        tags = tags.exclude(scope=TagScope.PERSONAL)
    return tags.order_by("scope", "name", "pk")
