"""Pilotage capacity (issue 13, item 8): posts granted / held / vacant at any date per territory and structure,
contracts and conventions ending within 3 and 6 months, its export, and the requests pending per step with their age
(espace agents)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from directory import conventions
from directory.enums import ConventionEventKind
from directory.models import Contract, Convention, ConventionEvent
from reporting import capacity
from reporting.scopes import Scope
from tests.directory.factories import AdvisorFactory, StructureFactory
from tests.workflows.helpers import confirmed_application

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _days(n):
    return TODAY() + datetime.timedelta(days=n)


@pytest.fixture
def network():
    """Two structures in Paris, two in Marseille: conventions with dated events, contracts with various ends."""
    paris_a = StructureFactory(name="Paris A")
    paris_b = StructureFactory(name="Paris B")
    marseille_a = StructureFactory(name="Marseille A", in_marseille=True)
    marseille_b = StructureFactory(name="Marseille B", in_marseille=True)
    c1 = conventions.convention_open(structure=paris_a, start=_days(-400), posts=3, end=_days(60))
    conventions.convention_record(
        convention=c1, kind=ConventionEventKind.POSTS_ADDED, delta=2, effective_on=_days(-10)
    )
    conventions.convention_record(
        convention=c1, kind=ConventionEventKind.POSTS_RETURNED, delta=-1, effective_on=_days(20)
    )
    conventions.convention_open(structure=paris_b, start=_days(-100), posts=2, end=_days(500))
    conventions.convention_open(structure=marseille_a, start=_days(-50), posts=4, end=_days(150))
    conventions.convention_open(structure=marseille_b, start=_days(30), posts=1)  # starts later
    specs = [
        (paris_a, -300, 40, None),  # ends in 40 days (< 3 months)
        (paris_a, -200, 120, None),  # ends in 120 days (3–6 months)
        (paris_a, -200, 400, -5),  # ended 5 days ago
        (paris_b, -50, 150, None),  # ends within 6 months
        (marseille_a, -30, None, None),  # CDI
        (marseille_a, 10, 300, None),  # starts in 10 days
    ]
    for structure, start, end, ended in specs:
        contract = Contract.objects.create(
            advisor=AdvisorFactory(structure=structure),
            structure=structure,
            contract_type="cdi" if end is None else "cdd",
            start=_days(start),
            end=_days(end) if end is not None else None,
            salary=2000,
        )
        if ended is not None:
            conventions.contract_close(contract=contract, ended_on=_days(ended), reason="rupture")
    return paris_a, paris_b, marseille_a, marseille_b


def _naive(structures, on):
    """Recount by hand: events per structure dated ≤ on inside a convention covering on; contracts running on."""
    granted = held = 0
    for structure in structures:
        for convention in Convention.objects.filter(structure=structure):
            if convention.start <= on <= convention.end:
                granted += sum(
                    e.delta for e in ConventionEvent.objects.filter(convention=convention) if e.effective_on <= on
                )
        for contract in Contract.objects.filter(structure=structure):
            if contract.start <= on and (contract.ended_on is None or contract.ended_on >= on):
                held += 1
    return granted, held


class TestCapacityNumbers:
    @pytest.mark.parametrize("offset", [-200, -20, 0, 15, 25, 45, 100])
    def test_posts_at_any_date_match_a_naive_recount(self, network, offset, django_assert_max_num_queries):
        on = _days(offset)
        with django_assert_max_num_queries(5):
            result = capacity.capacity_by(Scope.national(), on, "department")
        rows = {row.key: row for row in result.rows}
        paris, marseille = network[:2], network[2:]
        for code, structures in (("75", paris), ("13", marseille)):
            granted, held = _naive(structures, on)
            row = rows.get(code, capacity.CapacityRow(code, ""))
            assert (row.granted, row.held, row.vacant) == (granted, held, granted - held), (code, offset)
        assert result.total.granted == sum(row.granted for row in result.rows)

    def test_today_per_structure_and_endings(self, network):
        paris_a, paris_b, marseille_a, _marseille_b = network
        result = capacity.capacity_by(Scope.departments(["75"]), TODAY(), "structure")
        rows = {row.name: row for row in result.rows}
        # Paris A: 3 + 2 (10 days ago) = 5 today (−1 only in 20 days); 2 contracts running (one ended).
        assert (rows["Paris A"].granted, rows["Paris A"].held, rows["Paris A"].vacant) == (5, 2, 3)
        assert (rows["Paris A"].contracts_3, rows["Paris A"].contracts_6) == (1, 2)
        assert (rows["Paris A"].conventions_3, rows["Paris A"].conventions_6) == (1, 1)
        assert (rows["Paris B"].granted, rows["Paris B"].contracts_3, rows["Paris B"].contracts_6) == (2, 0, 1)
        assert rows["Paris B"].conventions_6 == 0  # ends in 500 days
        assert set(rows) == {"Paris A", "Paris B"}  # scope: nothing of Marseille
        assert [c.structure for c in capacity.contracts_ending(Scope.departments(["75"]), TODAY())] == [
            paris_a,
            paris_a,
            paris_b,
        ]

    def test_a_renewed_convention_is_not_ending(self, network):
        paris_a = network[0]
        convention = conventions.current_convention(paris_a)
        conventions.convention_mark(convention=convention, status="reconventionnee")
        result = capacity.capacity_by(Scope.departments(["75"]), TODAY(), "department")
        assert result.rows[0].conventions_6 == 0

    def test_query_count_does_not_grow_with_the_network(self, network, django_assert_max_num_queries):
        for index in range(15):
            structure = StructureFactory(in_marseille=index % 2 == 0)
            conventions.convention_open(structure=structure, start=_days(-10), posts=2, end=_days(index * 20 + 5))
        for by in ("region", "department", "structure"):
            with django_assert_max_num_queries(4):
                capacity.capacity_by(Scope.national(), TODAY(), by)


class TestCapacityPage:
    def test_national_sees_regions_and_drills_down(self, client, network, national_admin):
        client.force_login(national_admin)
        response = client.get(reverse("pilotage:capacity"))
        assert response.status_code == 200 and response.context["by"] == "region"
        response = client.get(reverse("pilotage:capacity"), {"departement": "75"})
        assert response.context["by"] == "structure"
        assert [row.name for row, _url in response.context["rows"]] == ["Paris A", "Paris B"]
        future = client.get(reverse("pilotage:capacity"), {"departement": "75", "date": _days(25).isoformat()})
        rows = {row.name: row for row, _url in future.context["rows"]}
        assert rows["Paris A"].granted == 4

    def test_the_marseille_prefecture_sees_only_13(
        self, client, network, prefecture_marseille, django_assert_max_num_queries
    ):
        client.force_login(prefecture_marseille)
        with django_assert_max_num_queries(25):
            response = client.get(reverse("pilotage:capacity"))
        assert response.context["by"] == "structure"
        assert {row.name for row, _url in response.context["rows"]} == {"Marseille A"}
        assert "Paris A" not in response.text
        assert client.get(reverse("pilotage:capacity"), {"departement": "75"}).status_code == 404

    def test_bad_date_answers_400_in_french(self, client, network, national_admin):
        client.force_login(national_admin)
        response = client.get(reverse("pilotage:capacity"), {"date": "31/02/2026"})
        assert response.status_code == 400 and "Erreur" in response.text

    def test_the_export_neutralises_formulas(self, client, network, national_admin):
        network[0].__class__.objects.filter(pk=network[0].pk).update(name="=HYPERLINK(1)")
        client.force_login(national_admin)
        response = client.get(reverse("pilotage:capacity_export", args=["csv"]), {"departement": "75"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
        assert rows[1][:5] == ["Code", "Nom", "Postes attribués", "Postes occupés", "Postes vacants"]
        assert any(row and row[1] == "'=HYPERLINK(1)" for row in rows)
        xlsx = client.get(reverse("pilotage:capacity_export", args=["xlsx"]))
        assert xlsx.status_code == 200


class TestRequestsAge:
    def test_pending_per_step_with_age_in_scope(
        self, client, prefecture_paris, prefecture_marseille, national_admin, django_assert_max_num_queries
    ):
        from workflows.models import WorkItem

        for _ in range(3):
            confirmed_application()
        confirmed_application(in_marseille=True)
        WorkItem.objects.filter(department_id="75").update(created_at=timezone.now() - datetime.timedelta(days=9))
        oldest = WorkItem.objects.filter(department_id="75").first()
        WorkItem.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
        client.force_login(prefecture_paris)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("workflows:requests_age"))
        (row,) = response.context["rows"]
        assert (row["count"], row["oldest_days"], row["median_days"]) == (3, 30, 9)
        client.force_login(prefecture_marseille)
        (row,) = client.get(reverse("workflows:requests_age")).context["rows"]
        assert row["count"] == 1
        client.force_login(national_admin)
        assert client.get(reverse("workflows:requests_age")).context["total"] == 4
