"""The same national decision submitted twice at the same moment (a double click, two tabs of one admin), on
PostgreSQL: one wins, the other is told it is already done, and the effect happens once. Covers the transfer with
its advisor (the decision reads the optional advisor through an outer join) and the reconventionnement."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory import conventions
from directory.enums import ContractType, ConventionEventKind
from directory.models import Contract, Convention, ConventionEvent
from tests.directory.factories import contract_for, convention_for
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, Step

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

TODAY = timezone.localdate


def _twice(monkeypatch, user, item, data) -> list[str]:
    """Post the same decision from two sessions at once; the pages each one ends on."""
    original = services.DecisionLog.record

    def slow_record(self, *args, **kwargs):
        time.sleep(0.5)  # widen the window: without the lock both requests would get here
        return original(self, *args, **kwargs)

    monkeypatch.setattr(services.DecisionLog, "record", slow_record)
    barrier = threading.Barrier(2)
    pages = []

    def decide():
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            response = client.post(reverse("workflows:decide", args=[item.pk]), data, follow=True)
            pages.append((response.status_code, response.text))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert [status for status, _ in pages] == [200, 200]
    return [text for _, text in pages]


def _one_won(pages) -> bool:
    won = [page for page in pages if "Votre décision est enregistrée." in page]
    already = [page for page in pages if "Cette étape a déjà été traitée." in page]
    return len(won) == 1 and len(already) == 1


def test_a_transfer_with_its_advisor_is_confirmed_once(
    monkeypatch, paris_structure, marseille_structure, paris_advisor, national_admin
):
    convention_for(paris_structure, posts=3)
    convention_for(marseille_structure, posts=2)
    contract_for(paris_advisor, contract_type=ContractType.CDD, end=TODAY() + datetime.timedelta(days=300))
    transfer = services.transfer_start(
        user=national_admin,
        from_structure=paris_structure,
        structure=marseille_structure,
        posts=1,
        advisor=paris_advisor,
        effective_on=TODAY(),
        motivation="La conseillère déménage à Marseille avec son poste.",
    )
    item = work_item(Kind.TRANSFER, transfer, Step.TRANSFER_DECISION)
    pages = _twice(monkeypatch, national_admin, item, {"decision": "accorder"})
    assert _one_won(pages)
    assert ConventionEvent.objects.filter(kind=ConventionEventKind.TRANSFER_OUT).count() == 1
    assert ConventionEvent.objects.filter(kind=ConventionEventKind.TRANSFER_IN).count() == 1
    assert Contract.objects.filter(advisor=paris_advisor, structure=marseille_structure).count() == 1
    paris_advisor.refresh_from_db()
    assert paris_advisor.structure == marseille_structure


def test_a_reconventionnement_is_granted_once(monkeypatch, structure_manager, prefecture_paris, national_admin):
    structure = structure_manager.active_membership.structure
    convention = convention_for(structure, posts=2, start=TODAY() - datetime.timedelta(days=400))
    renewal = services.renewal_submit(
        user=structure_manager, posts_requested=2, motivation="Poursuivre l'accompagnement du quartier."
    )
    services.renewal_prefecture_review(
        work_item=work_item(Kind.RENEWAL, renewal, Step.RENEWAL_PREFECTURE),
        user=prefecture_paris,
        opinion="favorable",
        internal_note="Structure active, avis favorable.",
    )
    item = work_item(Kind.RENEWAL, renewal, Step.RENEWAL_DECISION)
    pages = _twice(monkeypatch, national_admin, item, {"decision": "accorder", "posts_granted": "2"})
    assert _one_won(pages)
    assert Convention.objects.filter(previous=convention).count() == 1
    assert conventions.posts_on(structure.pk, convention.end + datetime.timedelta(days=1)) == 2
