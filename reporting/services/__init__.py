"""Writes of the Espace Coop, one module per entity (activities, beneficiaries, tags, coordination, shares).

The activity-report writes are re-exported here: callers keep `from reporting import services`.
"""

from reporting.services.activities import activity_create, activity_delete, activity_update
from reporting.services.people import activity_merge_people, activity_refresh_people

__all__ = [
    "activity_create",
    "activity_delete",
    "activity_merge_people",
    "activity_refresh_people",
    "activity_update",
]
