"""Followed and anonymous people in the statistics of a scope: counts only, never names.

One aggregate query over ActivityBeneficiary ⨝ Activity, narrowed like every indicator (scope, period, filters):
its cost depends on the reports of the scope and period, never on how many people are followed elsewhere.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.lookups import GreaterThan

from reporting.counters import THEME_BITS
from reporting.models import ActivityBeneficiary
from reporting.scopes import Scope
from reporting.selectors import Filters, Period, Statistics

# Scope level → the Activity column it narrows.
SCOPE_LOOKUPS = {
    Scope.REGIONS: "activity__region__in",
    Scope.DEPARTMENTS: "activity__department__in",
    Scope.STRUCTURES: "activity__structure__in",
    Scope.ADVISORS: "activity__advisor__in",
}


@dataclass(frozen=True)
class FollowedFigures:
    """People followed and accompanied over a period, the new ones among them, and the anonymous accompaniments."""

    people: int
    new_people: int
    followed_accompaniments: int
    anonymous_accompaniments: int

    @property
    def any(self) -> bool:
        return bool(self.people)


def _links(scope: Scope, period: Period, filters: Filters):
    links = ActivityBeneficiary.objects.filter(
        activity__deleted_at__isnull=True, activity__date__gte=period.start, activity__date__lte=period.end
    )
    if scope.level in SCOPE_LOOKUPS:
        links = links.filter(**{SCOPE_LOOKUPS[scope.level]: list(scope.ids)})
    if filters.kind:
        links = links.filter(activity__kind=filters.kind)
    if filters.place_type:
        links = links.filter(activity__place_type=filters.place_type)
    if getattr(filters, "structure_type", ""):
        links = links.filter(activity__structure_type=filters.structure_type)
    if filters.theme:
        links = links.filter(GreaterThan(F("activity__themes").bitand(THEME_BITS[filters.theme]), 0))
    if getattr(filters, "tag", None):
        links = links.filter(activity__tag_links__tag=int(filters.tag))
    return links


def followed_figures(scope: Scope, period: Period, filters: Filters, statistics: Statistics) -> FollowedFigures:
    """The followed-people figures of a statistics page (one query; none for an empty scope)."""
    if scope.is_empty:
        return FollowedFigures(0, 0, 0, 0)
    totals = _links(scope, period, filters).aggregate(
        people=Count("beneficiary", distinct=True),
        new_people=Count("beneficiary", distinct=True, filter=Q(already_accompanied=False)),
        links=Count("pk"),
    )
    return FollowedFigures(
        people=totals["people"],
        new_people=totals["new_people"],
        followed_accompaniments=totals["links"],
        anonymous_accompaniments=max(statistics["accompaniments"] - totals["links"], 0),
    )
