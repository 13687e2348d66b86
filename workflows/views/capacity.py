"""Pilotage of the requests: the open tasks of the user's scope per step, with their count and their age (oldest and
median time spent at the step). Linked from the pilotage menu by URL only (reporting never imports workflows)."""

from django.db.models import Count, F, Min, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.utils import timezone

from accounts.decorators import agent_required
from workflows import scopes
from workflows.enums import Kind, Step


def pending_by_step(user, now) -> list[dict]:
    """[{step, kind, count, oldest_days, median_days}] of the open tasks the user sees (2 queries)."""
    items = scopes.visible_work_items(user).filter(is_open=True)
    totals = items.values("step", "kind").annotate(n=Count("pk"), oldest=Min("created_at")).order_by()
    # The median task of each step: the one ranked in the middle by age (one query, window functions).
    ranked = (
        items.annotate(
            rank=Window(RowNumber(), partition_by=[F("step")], order_by=[F("created_at").asc(), F("pk").asc()]),
            total=Window(Count("pk"), partition_by=[F("step")]),
        )
        .filter(rank=(F("total") + 1) / 2)
        .values_list("step", "created_at")
    )
    medians = dict(ranked)
    steps, kinds = dict(Step.choices), dict(Kind.choices)
    rows = []
    for row in totals:
        median = medians.get(row["step"])
        rows.append(
            {
                "step": steps.get(row["step"], row["step"]),
                "kind": kinds.get(row["kind"], row["kind"]),
                "count": row["n"],
                "oldest_days": (now - row["oldest"]).days,
                "median_days": (now - median).days if median else None,
            }
        )
    rows.sort(key=lambda r: (-r["oldest_days"], r["step"]))
    return rows


@agent_required
def requests_age(request):
    """Demandes en attente par étape: how many wait, since when (oldest, median), in my scope."""
    now = timezone.now()
    rows = pending_by_step(request.user, now)
    return render(
        request,
        "workflows/espace/requests_age.html",
        {"rows": rows, "now": now, "total": sum(r["count"] for r in rows), "page_title": "Demandes en attente"},
    )
