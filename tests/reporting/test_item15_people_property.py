"""Statistics stay exact with followed people: random operations, then the indicators against the test's own recount.

The test keeps its own model of every person (anonymous ones as it typed them, followed ones with their current
attributes) and of every report, and recounts genre, tranche d'âge, statut, « déjà accompagnés » and participants
naively — never through the application's counters — for an advisor, a department and the whole country.
"""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting import services
from reporting.counters import BREAKDOWN_FIELDS, GROUPS, MATERIAL_BITS, THEME_BITS, to_mask
from reporting.enums import ActivityKind, AgeBand, Gender, PlaceType, SocialStatus
from reporting.models import Activity
from reporting.scopes import Scope
from reporting.selectors import PROGRAMME_START, Period, activity_statistics
from tests.directory.factories import AdvisorFactory, PlaceAssignmentFactory, StructureFactory
from tests.reporting.factories_people import BeneficiaryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PEOPLE_PER_ADVISOR = 3
person = st.tuples(
    st.sampled_from(Gender.values), st.sampled_from(AgeBand.values), st.sampled_from(SocialStatus.values)
)
anonymous = st.tuples(person, st.booleans())  # (genre, âge, statut), déjà accompagnée

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("create"),
            st.integers(0, 2),  # advisor
            st.sampled_from(ActivityKind.values),
            st.integers(0, 60),  # days ago
            st.lists(anonymous, max_size=3),
            st.lists(st.integers(0, PEOPLE_PER_ADVISOR - 1), max_size=3, unique=True),
        ),
        st.tuples(st.just("refresh"), st.integers(0, 2), st.integers(0, PEOPLE_PER_ADVISOR - 1), person),
        st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, PEOPLE_PER_ADVISOR - 1), st.integers(0, 2)),
        st.tuples(st.just("delete"), st.integers(0, 30)),
        st.tuples(st.just("redate"), st.integers(0, 30), st.integers(0, 60)),
    ),
    min_size=1,
    max_size=14,
)


@pytest.fixture
def advisors(db):
    """Two advisors in Paris (one structure) and one in Marseille, each with a place."""
    paris = StructureFactory()
    marseille = StructureFactory(in_marseille=True)
    first = PlaceAssignmentFactory(advisor__structure=paris, place__structure=paris, is_principal=True).advisor
    second = AdvisorFactory(structure=paris)
    PlaceAssignmentFactory(advisor=second, place=first.places.first(), is_principal=True)
    third = PlaceAssignmentFactory(advisor__structure=marseille, place__structure=marseille, is_principal=True).advisor
    return [first, second, third]


class World:
    """The test's own model of the people and reports, beside the application's."""

    def __init__(self, advisors):
        self.advisors = advisors
        self.people = [
            [BeneficiaryFactory(advisor=advisor, unknown=True) for _ in range(PEOPLE_PER_ADVISOR)]
            for advisor in advisors
        ]
        self.attributes = {p.pk: (p.gender, p.age_band, p.status) for row in self.people for p in row}
        self.merged: set[int] = set()
        self.reports: list[dict] = []  # {activity, advisor, kind, date, order, anonymous, followed, deleted}

    def create(self, advisor_index, kind, days, anonymous_people, chosen):
        advisor = self.advisors[advisor_index]
        followed = [self.people[advisor_index][i].pk for i in chosen]
        followed = [pk for pk in followed if pk not in self.merged]
        if kind == ActivityKind.INDIVIDUAL:
            followed = followed[:1]
            unknown = ((Gender.UNKNOWN, AgeBand.UNKNOWN, SocialStatus.UNKNOWN), False)
            anonymous_people = [] if followed else (anonymous_people[:1] or [unknown])
        elif not anonymous_people and not followed:
            anonymous_people = [((Gender.MALE, AgeBand.FROM_18, SocialStatus.STUDENT), True)]
        values = {
            "kind": kind,
            "date": TODAY - timedelta(days=days),
            "duration": 30,
            "place_type": PlaceType.ACTIVITY_PLACE,
            "place": advisor.places.first(),
            "themes": to_mask(["email"], THEME_BITS),
            "materials": to_mask(["ordinateur"], MATERIAL_BITS),
            "participants": len(anonymous_people),
            "already_accompanied": sum(already for _, already in anonymous_people),
            "title": "Atelier" if kind == ActivityKind.COLLECTIVE else "",
            **dict.fromkeys(BREAKDOWN_FIELDS, 0),
        }
        for (gender, age, status), _ in anonymous_people:
            for group, value in (("gender", gender), ("age", age), ("status", status)):
                values[GROUPS[group].column(value)] += 1
        activity, _ = services.activity_create(
            advisor=advisor, values=values, token=uuid.uuid4(), beneficiaries=followed
        )
        self.reports.append(
            {
                "activity": activity,
                "advisor": advisor_index,
                "date": values["date"],
                "order": len(self.reports),
                "anonymous": anonymous_people,
                "followed": followed,
                "deleted": False,
            }
        )

    def current(self, index):
        alive = [report for report in self.reports if not report["deleted"]]
        return alive[index % len(alive)] if alive else None

    def refresh(self, advisor_index, chosen, attributes):
        beneficiary = self.people[advisor_index][chosen]
        beneficiary.gender, beneficiary.age_band, beneficiary.status = attributes
        beneficiary.save()
        services.activity_refresh_people(beneficiary=beneficiary)
        self.attributes[beneficiary.pk] = attributes

    def merge(self, advisor_index, source_index, target_index):
        source, target = self.people[advisor_index][source_index], self.people[advisor_index][target_index]
        if source.pk == target.pk or source.pk in self.merged or target.pk in self.merged:
            return
        services.activity_merge_people(source=source, target=target)
        source.merged_into = target
        source.save()
        self.merged.add(source.pk)
        for report in self.reports:
            if source.pk in report["followed"]:
                followed = [target.pk if pk == source.pk else pk for pk in report["followed"]]
                report["followed"] = list(dict.fromkeys(followed))

    def delete(self, index):
        report = self.current(index)
        if report:
            services.activity_delete(activity=report["activity"], actor=None)
            report["deleted"] = True

    def redate(self, index, days):
        report = self.current(index)
        if report:
            report["date"] = TODAY - timedelta(days=days)
            services.activity_update(activity=report["activity"], values={"date": report["date"]})

    def expected(self, advisor_indexes) -> Counter:
        """The naive recount over the current reports of these advisors."""
        totals = Counter()
        alive = [report for report in self.reports if not report["deleted"]]
        for report in alive:
            if report["advisor"] not in advisor_indexes:
                continue
            people = [(attributes, already) for attributes, already in report["anonymous"]]
            for pk in report["followed"]:
                earlier = any(
                    pk in other["followed"] and (other["date"], other["order"]) < (report["date"], report["order"])
                    for other in alive
                )
                people.append((self.attributes[pk], earlier))
            totals["accompaniments"] += len(people)
            if report["activity"].kind == ActivityKind.COLLECTIVE:
                totals["workshop_participants"] += len(people)
            for (gender, age, status), already in people:
                totals["already_accompanied"] += already
                totals[f"gender_{gender}"] += 1
                totals[f"age_{age}"] += 1
                totals[f"status_{status}"] += 1
        return totals


NAMES = ["accompaniments", "workshop_participants", "already_accompanied", *BREAKDOWN_FIELDS]


class TestStatisticsStayExact:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(ops=operations)
    def test_it_matches_a_naive_recount_after_random_operations(self, advisors, ops):
        with transaction.atomic():
            world = World(advisors)
            for op in ops:
                getattr(world, op[0])(*op[1:])
            period = Period(PROGRAMME_START, TODAY)
            paris = advisors[0].structure.department_id
            for scope, indexes in (
                (Scope.advisors([advisors[0].pk]), {0}),
                (Scope.departments([paris]), {0, 1}),
                (Scope.national(), {0, 1, 2}),
            ):
                statistics = activity_statistics(scope, period)
                expected = world.expected(indexes)
                assert {name: statistics[name] for name in NAMES} == {name: expected[name] for name in NAMES}, scope
            for report in world.reports:
                activity = Activity.objects.get(pk=report["activity"].pk)
                for group in ("gender", "age", "status"):
                    assert sum(activity.breakdown(group).values()) == activity.participants
            transaction.set_rollback(True)
