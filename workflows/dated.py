"""The registry of the programme's dated effects: what the daily `apply_programme_dates` command applies when its
date has come (a decision dated in the future takes effect on its date, never before).

Each `DatedJob` names what is due at `now` and how to apply one item; `apply` is idempotent (it re-reads and locks
the item and answers False when there is nothing left to do), so two runs apply it once. Jobs run in the order
listed: effects that change the posts come before the re-reading of each structure's posts.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from directory import conventions
from workflows import services
from workflows.services import renewals, transfers


@dataclass(frozen=True)
class DatedJob:
    """One kind of dated effect."""

    name: str  # what the command's summary says, in French, plural
    due: Callable[[Any], Iterable]  # the items due at `now`
    apply: Callable[..., bool]  # apply(item, now=) → True when it did something


def _posts_resync_due(now):
    return conventions.structures_posts_out_of_date(today=timezone.localdate(now)).only("pk", "posts_granted")


def _posts_resync_apply(structure, *, now) -> bool:
    before = structure.posts_granted
    return conventions.structure_posts_sync(structure_id=structure.pk, today=timezone.localdate(now)) != before


# Reconventionnement (workflows/services/renewals.py): the reminder, the new convention's start (continuing
# contracts relinked), then the endings dated on the old convention's end date.
RENEWAL_JOBS = [
    DatedJob(
        "rappels de reconventionnement envoyés", due=renewals.renewal_notices_due, apply=renewals.renewal_notice_apply
    ),
    DatedJob(
        "conventions renouvelées entrées en vigueur",
        due=renewals.renewal_starts_due,
        apply=renewals.renewal_start_apply,
    ),
    DatedJob(
        "reconventionnements : contrats non poursuivis terminés",
        due=renewals.renewal_leavers_due,
        apply=renewals.renewal_leavers_apply,
    ),
    DatedJob("conventions terminées", due=renewals.conventions_ended_due, apply=renewals.convention_end_apply),
]


# --- Contract changes (issue 13, item 5): renewals on their first day, then fixed-term contracts at their term ------

CONTRACT_JOBS = [
    DatedJob(
        "renouvellements de contrat appliqués",
        due=services.contract_changes_due,
        apply=lambda change, *, now: services.contract_change_apply(change=change, now=now),
    ),
    DatedJob(
        "contrats arrivés à leur terme",
        due=services.contracts_due_at_term,
        apply=lambda contract, *, now: services.contract_end_at_term(contract=contract, now=now),
    ),
]


JOBS: list[DatedJob] = [
    *RENEWAL_JOBS,
    *CONTRACT_JOBS,
    # --- Transfers of posts (issue 13, item 3) ---
    DatedJob(
        "transferts appliqués",
        due=lambda now: list(transfers.transfers_due(now).order_by("effective_on", "pk")),
        apply=lambda transfer, *, now: transfers.transfer_apply(transfer=transfer, now=now),
    ),
    DatedJob("structures dont les postes sont remis à jour", due=_posts_resync_due, apply=_posts_resync_apply),
]
