"""Conventions and contracts: posts on any date from dated events, the cached posts, scopes, and the parcours that
open and close them (grant, deployment, rupture)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory import conventions
from directory.enums import ContractEndReason, ContractStatus, ContractType, ConventionEventKind
from directory.models import Contract, Convention, ConventionEvent, Structure
from directory.scopes import visible_contracts, visible_conventions
from tests.directory.factories import AdvisorFactory, StructureFactory, contract_for, convention_for

TODAY = timezone.localdate


@pytest.fixture
def convention(paris_structure):
    return convention_for(paris_structure, posts=3, start=TODAY() - timedelta(days=100))


def test_posts_on_any_date_follow_the_dated_events(convention):
    start = convention.start
    conventions.convention_record(
        convention=convention, kind=ConventionEventKind.POSTS_ADDED, delta=2, effective_on=start + timedelta(days=10)
    )
    conventions.convention_record(
        convention=convention,
        kind=ConventionEventKind.POSTS_RETURNED,
        delta=-1,
        effective_on=start + timedelta(days=20),
    )
    assert convention.posts_on(start - timedelta(days=1)) == 0  # before the period
    assert convention.posts_on(start) == 3
    assert convention.posts_on(start + timedelta(days=10)) == 5
    assert convention.posts_on(start + timedelta(days=19)) == 5
    assert convention.posts_on(start + timedelta(days=20)) == 4
    assert convention.posts_on(convention.end + timedelta(days=1)) == 0  # after the period
    assert conventions.posts_on(convention.structure_id, TODAY()) == 4
    assert Structure.objects.get(pk=convention.structure_id).posts_granted == 4


def test_a_future_event_changes_the_cached_posts_on_its_date_only(convention):
    structure_id = convention.structure_id
    in_ten_days = TODAY() + timedelta(days=10)
    conventions.convention_record(
        convention=convention, kind=ConventionEventKind.POSTS_ADDED, delta=2, effective_on=in_ten_days
    )
    assert Structure.objects.get(pk=structure_id).posts_granted == 3
    call_command("apply_programme_dates", "--apply", "--now", f"{TODAY() + timedelta(days=9):%Y-%m-%d}T12:00")
    assert Structure.objects.get(pk=structure_id).posts_granted == 3
    call_command("apply_programme_dates", "--now", f"{in_ten_days:%Y-%m-%d}T12:00")  # dry run: nothing changes
    assert Structure.objects.get(pk=structure_id).posts_granted == 3
    call_command("apply_programme_dates", "--apply", "--now", f"{in_ten_days:%Y-%m-%d}T12:00")
    assert Structure.objects.get(pk=structure_id).posts_granted == 5


def test_a_structure_without_convention_keeps_its_posts(db):
    structure = StructureFactory(posts_granted=4)
    call_command("apply_programme_dates", "--apply")
    assert Structure.objects.get(pk=structure.pk).posts_granted == 4


def test_the_history_of_a_convention_is_append_only(convention):
    event = convention.events.get()
    event.delta = 10
    with pytest.raises(ValueError):
        event.save()


def test_a_renewal_is_the_next_phase(convention):
    renewed = conventions.convention_open(
        structure=convention.structure, start=convention.end + timedelta(days=1), posts=2, previous=convention
    )
    assert renewed.phase == 2 and renewed.previous == convention and renewed.number.endswith("-P2")
    assert renewed.events.get().kind == ConventionEventKind.RENEWAL
    assert conventions.posts_on(convention.structure_id, renewed.start) == 2
    assert conventions.posts_on(convention.structure_id, convention.end) == 3


def test_posts_granted_and_held_on_a_date_in_one_query(convention, paris_structure, django_assert_num_queries):
    advisors = AdvisorFactory.create_batch(2, structure=paris_structure)
    contract_for(advisors[0], start=TODAY() - timedelta(days=50))
    ended = contract_for(advisors[1], start=TODAY() - timedelta(days=50))
    conventions.contract_close(contract=ended, ended_on=TODAY() - timedelta(days=5), reason=ContractEndReason.RUPTURE)
    StructureFactory.create_batch(3)
    with django_assert_num_queries(1):
        rows = {
            row["pk"]: row
            for row in Structure.objects.annotate(
                granted=conventions.posts_granted_on(TODAY()), held=conventions.posts_held_on(TODAY())
            ).values("pk", "granted", "held")
        }
    assert rows[paris_structure.pk]["granted"] == 3 and rows[paris_structure.pk]["held"] == 1
    ten_days_ago = Structure.objects.annotate(held=conventions.posts_held_on(TODAY() - timedelta(days=10)))
    assert ten_days_ago.get(pk=paris_structure.pk).held == 2


def test_one_active_contract_per_advisor_and_cdi_without_end(paris_advisor):
    contract_for(paris_advisor)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        contract_for(paris_advisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            advisor=AdvisorFactory(),
            structure=paris_advisor.structure,
            contract_type=ContractType.CDI,
            start=TODAY(),
            end=TODAY() + timedelta(days=30),
        )


def test_conventions_and_contracts_are_scoped(
    convention,
    marseille_structure,
    paris_advisor,
    prefecture_paris,
    prefecture_marseille,
    structure_manager,
    national_admin,
):
    marseille = convention_for(marseille_structure)
    paris_contract = contract_for(paris_advisor)
    assert set(visible_conventions(prefecture_paris)) == {convention}
    assert set(visible_conventions(prefecture_marseille)) == {marseille}
    assert set(visible_conventions(structure_manager)) == {convention}
    assert set(visible_conventions(national_admin)) == {convention, marseille}
    assert set(visible_contracts(prefecture_marseille)) == set()
    assert set(visible_contracts(prefecture_paris)) == {paris_contract}
    assert set(visible_contracts(structure_manager)) == {paris_contract}


def test_advisor_end_closes_her_contract(paris_advisor):
    from workflows.services import advisor_end

    contract = contract_for(paris_advisor)
    advisor_end(advisor=paris_advisor, ended_on=TODAY(), reason=ContractEndReason.TERM)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ENDED and contract.ended_on == TODAY()
    assert contract.end_reason == ContractEndReason.TERM


def test_the_grant_of_a_structure_application_opens_its_convention(prefecture_paris, hub_agent):
    from tests.workflows.helpers import application_at_hub, work_item
    from workflows import services
    from workflows.enums import Kind, Step

    application = application_at_hub(prefecture_paris, advisors_wanted=3)
    services.structure_hub_decide(
        work_item=work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB),
        user=hub_agent,
        decision="attribuer",
        posts_granted=2,
    )
    application.refresh_from_db()
    convention = Convention.objects.get(structure=application.structure)
    assert convention.start == TODAY() and convention.posts_on(TODAY()) == 2
    assert ConventionEvent.objects.get(convention=convention).kind == ConventionEventKind.GRANT
    assert application.structure.posts_granted == 2
