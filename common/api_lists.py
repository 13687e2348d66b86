"""Pagination and change feed of the API's lists: one envelope, `limit`/`offset`, and `updated_since` with a cursor.

Design note. Every list answers `{"count", "limit", "offset", "next", "previous", "items"}` (next/previous are
absolute URLs, null at the ends). With `updated_since`, a partner synchronises: the list keeps the items changed at
or after that date, ordered by (change date, id), and `next` is a cursor — the last item's change date in
`updated_since` plus its id in `apres_id` — rather than an offset. An offset would lose data here: an item modified
while the partner pages moves to the end and shifts the others back by one, so one of them would never be read.
With the cursor, a modified item is simply read again later. `previous` is null in that mode (a cursor only goes
forward). A naive date is Paris time; a date in the future is accepted and returns nothing.
"""

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from ninja import Field, Schema
from pydantic import field_validator

PARIS = ZoneInfo("Europe/Paris")
# "…T08:00:00 01:00": the "+" of an offset typed unencoded in an address arrives as a space.
UNENCODED_PLUS = re.compile(r"^(\d{4}-\d{2}-\d{2}T[\d:.]+) (\d{2}(?::?\d{2})?)$")
MAX_LIMIT = 500


class ListParams(Schema):
    """Query parameters of a list: a page, and optionally the changes since a date."""

    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Nombre de résultats par page (au plus {MAX_LIMIT})")
    offset: int = Field(0, ge=0, description="Rang du premier résultat (sans `updated_since`)")
    updated_since: datetime | None = Field(
        None,
        description=(
            "Ne renvoyer que ce qui a changé depuis cette date (ISO 8601, ex. 2026-12-01T08:00:00+01:00 ; sans "
            "fuseau : heure de Paris), du plus ancien au plus récent. Suivre ensuite le lien `next`."
        ),
    )
    apres_id: int | None = Field(
        None, ge=0, description="Curseur posé par le lien `next` avec `updated_since` : ne pas le construire soi-même."
    )

    @field_validator("updated_since", mode="before")
    @classmethod
    def _restore_plus(cls, value):
        """Read `2026-12-01T08:00:00+01:00` typed in an address without encoding its "+" as what was meant."""
        if isinstance(value, str) and (match := UNENCODED_PLUS.match(value.strip())):
            return f"{match[1]}+{match[2]}"
        return value


class PageOut(Schema):
    """The envelope of a list; a list's schema adds `items: list[ItsItem]`."""

    count: int = Field(description="Nombre total de résultats (depuis le curseur avec `updated_since`)")
    limit: int
    offset: int
    next: str | None = Field(description="Adresse de la page suivante, null à la fin")
    previous: str | None = Field(description="Adresse de la page précédente, null au début ou avec `updated_since`")


def aware(moment: datetime | None) -> datetime | None:
    """The date with its time zone: a naive date is Paris time."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=PARIS)


def _url(request, **changes) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return request.build_absolute_uri(request.path) + ("?" + urlencode(sorted(query.items())) if query else "")


def _since(queryset: QuerySet, params: ListParams, changed_field: str) -> QuerySet:
    since = aware(params.updated_since)
    if params.apres_id is None:
        condition = Q(**{f"{changed_field}__gte": since})
    else:
        condition = Q(**{f"{changed_field}__gt": since}) | Q(**{changed_field: since, "pk__gt": params.apres_id})
    return queryset.filter(condition).order_by(changed_field, "pk")


def page_of(
    request,
    items: QuerySet | Sequence,
    params: ListParams,
    serialize: Callable | None = None,
    *,
    changed_field: str = "updated_at",
) -> dict:
    """The envelope of one page of `items` (a QuerySet is filtered by `updated_since` on `changed_field`, counted,
    then sliced), each item passed through `serialize` when given."""
    serialize = serialize or (lambda item: item)
    cursor = params.updated_since is not None
    if cursor:
        if not isinstance(items, QuerySet):
            raise TypeError("updated_since needs a QuerySet")
        items = _since(items, params, changed_field)
        start = 0
    else:
        start = params.offset
    count = items.count() if isinstance(items, QuerySet) else len(items)
    window = list(items[start : start + params.limit])
    more = start + len(window) < count
    if cursor:
        last = window[-1] if window else None
        next_url = (
            _url(
                request,
                updated_since=getattr(last, changed_field).isoformat(),
                apres_id=str(last.pk),
                offset=None,
            )
            if more and last is not None
            else None
        )
        previous_url = None
    else:
        next_url = _url(request, offset=str(start + params.limit)) if more else None
        previous_url = _url(request, offset=str(max(start - params.limit, 0))) if start > 0 else None
    return {
        "count": count,
        "limit": params.limit,
        "offset": start,
        "next": next_url,
        "previous": previous_url,
        "items": [serialize(item) for item in window],
    }
