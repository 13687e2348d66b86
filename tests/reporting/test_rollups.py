"""The rollups equal the naive aggregation of the raw reports, whatever happened to the reports and is asked."""

import uuid
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.enums import StructureType
from reporting import rollups, services
from reporting.counters import (
    BREAKDOWN_FIELDS,
    COUNTER_NAMES,
    MATERIAL_BITS,
    PROCEDURE_BITS,
    THEME_BITS,
    contribution,
)
from reporting.enums import (
    ActivityKind,
    AgeBand,
    Autonomy,
    Gender,
    Material,
    PlaceType,
    Procedure,
    RedirectionStructure,
    SocialStatus,
    Theme,
    WorkshopLevel,
)
from reporting.models import Activity, ActivityRollup
from reporting.scopes import Scope
from reporting.selectors import Filters, Period, activity_statistics, activity_statistics_naive, month_start
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, StructureFactory
from tests.reporting.factories import ActivityFactory
from tests.territories.factories import commune

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HORIZON = 500  # days of history the generated reports spread over


@pytest.fixture
def world(db):
    """Three advisors in two structures of two regions (Paris, Marseille), each with a place; one shares a place."""
    paris = StructureFactory(name="Mairie de Paris")
    marseille = StructureFactory(name="Centre social", in_marseille=True, private=True)
    first = PlaceAssignmentFactory(advisor__structure=paris, place__structure=paris, is_principal=True).advisor
    second = AdvisorFactory(structure=paris)
    PlaceAssignmentFactory(advisor=second, place=first.places.first(), is_principal=True)
    third = PlaceAssignmentFactory(advisor__structure=marseille, place__structure=marseille, is_principal=True).advisor
    communes = [commune("75056"), commune("13055"), commune("92012")]
    return {"advisors": [first, second, third], "structures": [paris, marseille], "communes": communes}


def subset(values, *, min_size=0, max_size=3):
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=max_size, unique=True)


@st.composite
def report_values(draw, kind=None):
    """Valid values of a report (what the forms produce), with any combination of options."""
    kind = kind or draw(st.sampled_from(ActivityKind.values))
    participants = 1 if kind == ActivityKind.INDIVIDUAL else draw(st.integers(1, 30))
    themes = draw(subset(Theme.values, min_size=1))
    procedures = draw(subset(Procedure.values)) if Theme.ADMINISTRATIVE in themes else []
    materials = draw(st.one_of(st.just([Material.NONE]), subset([m for m in Material.values if m != Material.NONE])))
    values = {
        "kind": kind,
        "date": TODAY - timedelta(days=draw(st.integers(0, HORIZON))),
        "duration": draw(st.sampled_from([5, 15, 29, 30, 45, 59, 60, 90, 119, 120, 121, 240])),
        "place_type": draw(st.sampled_from(PlaceType.values)),
        "place_choice": draw(st.integers(0, 10)),
        "commune_choice": draw(st.integers(0, 10)),
        "themes": sum(THEME_BITS[value] for value in themes),
        "procedures": sum(PROCEDURE_BITS[value] for value in procedures),
        "materials": sum(MATERIAL_BITS[value] for value in materials),
        "participants": participants,
        "already_accompanied": draw(st.integers(0, participants)),
        "notes": "",
        "autonomy": "",
        "redirected": None,
        "redirection_structure": "",
        "title": "",
        "level": "",
    }
    if kind == ActivityKind.INDIVIDUAL:
        values["autonomy"] = draw(st.sampled_from(["", *Autonomy.values]))
        values["redirected"] = draw(st.sampled_from([None, False, True]))
        if values["redirected"]:
            values["redirection_structure"] = draw(st.sampled_from(["", *RedirectionStructure.values]))
    else:
        values["title"] = "Atelier"
        values["level"] = draw(st.sampled_from(["", *WorkshopLevel.values]))
    for group, enum in (("gender", Gender), ("age", AgeBand), ("status", SocialStatus)):
        remaining = participants
        for value in enum.values[:-1]:
            count = draw(st.integers(0, remaining))
            values[f"{group}_{value}"] = count
            remaining -= count
        values[f"{group}_{enum.values[-1]}"] = remaining
    return values


operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 2), report_values()),
        st.tuples(
            st.just("edit"),
            st.integers(0, 100),
            st.fixed_dictionaries({kind: report_values(kind) for kind in ActivityKind.values}),
        ),
        st.tuples(st.just("delete"), st.integers(0, 100), st.none()),
    ),
    min_size=1,
    max_size=30,
)


def materialise(world, advisor, values: dict) -> dict:
    """Turn the drawn choices of place and commune into model values for this advisor."""
    values = dict(values)
    place_choice, commune_choice = values.pop("place_choice"), values.pop("commune_choice")
    places = list(advisor.places.all())
    values["place"] = places[place_choice % len(places)] if values["place_type"] == PlaceType.ACTIVITY_PLACE else None
    values["commune"] = (
        world["communes"][commune_choice % 3] if values["place_type"] in (PlaceType.OTHER, PlaceType.HOME) else None
    )
    return values


def run(world, ops) -> list[Activity]:
    created: list[Activity] = []
    for operation, index, values in ops:
        if operation == "create":
            advisor = world["advisors"][index]
            activity, _ = services.activity_create(
                advisor=advisor, values=materialise(world, advisor, values), token=uuid.uuid4()
            )
            created.append(activity)
        elif created and operation == "edit":
            activity = created[index % len(created)]
            if activity.deleted_at is None:
                created[index % len(created)] = services.activity_update(
                    activity=activity, values=materialise(world, activity.advisor, values[activity.kind])
                )
        elif created and operation == "delete":
            activity = created[index % len(created)]
            created[index % len(created)] = services.activity_delete(activity=activity, actor=None)
    return created


def scopes(world) -> list[Scope]:
    first, second, third = world["advisors"]
    paris, marseille = world["structures"]
    return [
        Scope.national(),
        Scope.regions(["11"]),
        Scope.regions(["11", "93"]),
        Scope.departments(["13"]),
        Scope.departments(["75", "13"]),
        Scope.structures([paris.pk]),
        Scope.advisors([first.pk]),
        Scope.advisors([second.pk, third.pk]),
    ]


FILTERS = [
    Filters(),
    Filters(kind=ActivityKind.COLLECTIVE),
    Filters(theme=Theme.ADMINISTRATIVE),
    Filters(theme=Theme.EMAIL, kind=ActivityKind.INDIVIDUAL),
    Filters(place_type=PlaceType.REMOTE),
    Filters(structure_type=StructureType.PRIVATE),
    Filters(theme=Theme.EMAIL, structure_type=StructureType.COMMUNE),
]


def periods(start_offset: int, length: int) -> list[Period]:
    """A drawn period, and one of the usual ones chosen by the draw too."""
    start = TODAY - timedelta(days=start_offset)
    usual = [
        Period(month_start(start), TODAY),
        Period.year_to_date(TODAY),
        Period(TODAY - timedelta(days=HORIZON + 10), TODAY + timedelta(days=40)),
        Period(month_start(start), month_start(TODAY) - timedelta(days=1)),
    ]
    return [Period(start, min(TODAY, start + timedelta(days=length))), usual[start_offset % len(usual)]]


def rollup_state() -> set[tuple]:
    """The non-zero rollup rows, as comparable tuples."""
    names = [*rollups.KEY_COLUMNS, *COUNTER_NAMES]
    return {row for row in ActivityRollup.objects.values_list(*names) if any(row[len(rollups.KEY_COLUMNS) :])}


class TestRollupsEqualNaive:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        ops=operations,
        start_offset=st.integers(0, HORIZON),
        length=st.integers(0, 120),
        filters=st.sampled_from(FILTERS[1:]),
    )
    def test_every_indicator_matches_after_random_creations_edits_and_deletions(
        self, world, ops, start_offset, length, filters
    ):
        with transaction.atomic():
            run(world, ops)
            for scope in scopes(world):
                for period in periods(start_offset, length):
                    for chosen in (Filters(), filters):
                        options = {"daily": period.days <= 92, "locations": True, "today": TODAY}
                        expected = activity_statistics_naive(scope, period, chosen, **options)
                        assert activity_statistics(scope, period, chosen, **options) == expected, (
                            scope,
                            period,
                            chosen,
                        )
            incremental = rollup_state()
            rollups.rebuild()
            assert rollup_state() == incremental
            transaction.set_rollback(True)


class TestContribution:
    def test_a_workshop_counts_its_participants_as_accompaniments(self, world):
        activity = ActivityFactory(
            advisor=world["advisors"][0],
            collective=True,
            participants=10,
            already_accompanied=4,
            counts={"gender_feminin": 6, "gender_masculin": 3, "age_soixante_dix_plus": 2},
        )
        counters = contribution(activity)
        assert counters["activities"] == 1
        assert counters["accompaniments"] == 10
        assert counters["workshops"] == 1 and counters["workshop_participants"] == 10
        assert counters["theme_navigation_sur_internet"] == 10
        assert counters["duration_plus_120"] == 10
        assert counters["gender_feminin"] == 6 and counters["gender_non_communique"] == 1
        assert counters["age_non_communique"] == 8
        assert counters["already_accompanied"] == 4
        assert counters["minutes"] == 120
        assert "individual" not in counters

    def test_duration_buckets_are_half_open(self, world):
        advisor = world["advisors"][0]
        buckets = [
            next(
                name
                for name in contribution(ActivityFactory.build(advisor=advisor, duration=minutes))
                if name.startswith("duration_")
            )
            for minutes in (29, 30, 59, 60, 119, 120)
        ]
        assert buckets == [
            "duration_moins_30",
            "duration_30_60",
            "duration_30_60",
            "duration_60_120",
            "duration_60_120",
            "duration_plus_120",
        ]

    def test_breakdown_fields_and_counter_names_stay_in_step(self):
        assert set(BREAKDOWN_FIELDS) <= set(COUNTER_NAMES)
        assert len(COUNTER_NAMES) == len(set(COUNTER_NAMES)) == 80


class TestWritePath:
    def test_a_new_report_shows_at_once_in_every_level(self, world):
        advisor = world["advisors"][2]
        ActivityFactory(advisor=advisor, date=TODAY, themes=THEME_BITS["email"] | THEME_BITS["sante"])
        rows = ActivityRollup.objects.filter(accompaniments=1)
        # 1 advisor row, then 3 rows (all themes + 2 thématiques) for department, national month, national day and
        # department total.
        assert rows.count() == 13
        assert set(rows.values_list("department", flat=True)) == {"13", ""}
        assert rows.get(level=1).structure_type == StructureType.PRIVATE
        assert rows.get(level=1).commune == "13055"

    def test_editing_moves_the_contribution_and_deleting_removes_it(self, world):
        advisor = world["advisors"][0]
        activity = ActivityFactory(advisor=advisor, date=date(TODAY.year, 1, 1) if TODAY.month > 1 else TODAY)
        services.activity_update(
            activity=activity, values={"date": TODAY, "participants": 1, "place_type": PlaceType.REMOTE}
        )
        national = Scope.national()
        stats = activity_statistics(national, Period(TODAY - timedelta(days=400), TODAY), today=TODAY)
        assert stats["place_type_a_distance"] == 1 and stats["place_type_lieu_activite"] == 0
        services.activity_delete(activity=activity, actor=None)
        stats = activity_statistics(national, Period(TODAY - timedelta(days=400), TODAY), today=TODAY)
        assert stats["activities"] == 0
        assert not rollup_state()

    def test_the_write_is_one_statement_for_the_rollups(self, world, django_assert_num_queries):
        activity = ActivityFactory.build(advisor=world["advisors"][0], place=world["advisors"][0].places.first())
        activity.save()
        with django_assert_num_queries(1):
            rollups.apply(new=rollups.snapshot(activity))

    def test_rebuild_drops_emptied_rows(self, world):
        activity = ActivityFactory(advisor=world["advisors"][0])
        services.activity_delete(activity=activity, actor=None)
        assert ActivityRollup.objects.exists()
        assert rollups.rebuild() == 0
        assert not ActivityRollup.objects.exists()


class TestKeyFigures:
    def test_national_key_figures_for_the_home_page(self, world):
        first, _, third = world["advisors"]
        ActivityFactory(advisor=first, collective=True, participants=12)
        ActivityFactory(advisor=third, date=TODAY - timedelta(days=400))
        deleted = ActivityFactory(advisor=third)
        services.activity_delete(activity=deleted, actor=None)
        from reporting.selectors import national_key_figures

        assert national_key_figures() == {
            "accompaniments": 13,
            "activities": 2,
            "workshops": 1,
            "workshop_participants": 12,
        }
