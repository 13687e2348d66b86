"""Two agents decide the same avenant at the same moment (PostgreSQL: row lock on the process): one wins, the other
is told it is already done, and the posts change once."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory import conventions
from directory.enums import ConventionEventKind
from directory.models import ConventionEvent, Structure
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, Step, Verdict
from workflows.models import Decision

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
class TestSameAvenantDecidedTwice:
    def test_exactly_one_grant_and_the_posts_change_once(
        self, paris_structure, structure_manager, prefecture_paris, hub_agent, national_admin, monkeypatch
    ):
        conventions.convention_open(
            structure=paris_structure, start=timezone.localdate() - datetime.timedelta(days=10), posts=3
        )
        post_request = services.post_request_submit(
            user=structure_manager,
            type="ajout",
            posts_requested=2,
            motivation="Deux antennes ouvrent : il nous faut deux postes de plus.",
        )
        services.post_request_prefecture_review(
            work_item=work_item(Kind.POST_REQUEST, post_request, Step.POST_REQUEST_PREFECTURE),
            user=prefecture_paris,
            opinion="favorable",
            internal_note="Besoin confirmé par la mairie.",
        )
        item = work_item(Kind.POST_REQUEST, post_request, Step.POST_REQUEST_DECISION)
        original = services.DecisionLog.record

        def slow_record(self, *args, **kwargs):
            time.sleep(0.5)  # widen the window: without the lock both requests would get here
            return original(self, *args, **kwargs)

        monkeypatch.setattr(services.DecisionLog, "record", slow_record)
        barrier = threading.Barrier(2)
        answers = []

        def decide(user):
            try:
                client = Client()
                client.force_login(user)
                barrier.wait()
                response = client.post(
                    reverse("workflows:decide", args=[item.pk]),
                    {"decision": "accorder", "posts_granted": "2"},
                    follow=True,
                )
                answers.append((response.status_code, response.text))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=decide, args=(user,)) for user in (hub_agent, national_admin)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not any(thread.is_alive() for thread in threads)

        assert [status for status, _ in answers] == [200, 200]
        successes = [text for _, text in answers if "Votre décision est enregistrée." in text]
        already = [text for _, text in answers if "Cette étape a déjà été traitée." in text]
        assert len(successes) == 1 and len(already) == 1
        assert ConventionEvent.objects.filter(kind=ConventionEventKind.POSTS_ADDED).count() == 1
        assert Structure.objects.get(pk=paris_structure.pk).posts_granted == 5
        assert Decision.objects.filter(subject_id=post_request.pk, verdict=Verdict.GRANTED).count() == 1
