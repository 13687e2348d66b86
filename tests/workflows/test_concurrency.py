"""Two agents submit the same decision at the same moment (PostgreSQL: row lock on the process)."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tests.workflows.helpers import confirmed_application, work_item
from workflows import services
from workflows.enums import Kind, Step, Verdict
from workflows.models import Decision, WorkItem

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
class TestSameDecisionTwice:
    def test_exactly_one_succeeds_and_the_other_is_told_it_is_already_done(
        self, prefecture_paris, monkeypatch, password
    ):
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        original = services.DecisionLog.record

        def slow_record(self, *args, **kwargs):
            time.sleep(0.5)  # widen the window: without the lock both requests would get here
            return original(self, *args, **kwargs)

        monkeypatch.setattr(services.DecisionLog, "record", slow_record)
        barrier = threading.Barrier(2)
        answers = []

        def submit():
            try:
                client = Client()
                client.force_login(prefecture_paris)
                barrier.wait()
                response = client.post(
                    reverse("workflows:decide", args=[item.pk]),
                    {"opinion": "favorable", "internal_note": "Avis favorable, dossier complet."},
                    follow=True,
                )
                answers.append((response.status_code, response.text))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            # Generous: on a loaded machine both requests may queue; a hung thread still fails the test.
            thread.join(timeout=300)
        assert not any(thread.is_alive() for thread in threads)

        assert [status for status, _ in answers] == [200, 200]
        successes = [text for _, text in answers if "Votre décision est enregistrée." in text]
        already = [text for _, text in answers if "Cette étape a déjà été traitée." in text]
        assert len(successes) == 1 and len(already) == 1
        process = application.process
        human = process.task_set.filter(flow_task_type="HUMAN")
        assert human.count() == 2  # the prefecture task (done) and one hub task, never two
        assert WorkItem.objects.filter(process=process, is_open=True, step=Step.STRUCTURE_HUB).count() == 1
        assert Decision.objects.filter(subject_id=application.pk, verdict=Verdict.FAVORABLE).count() == 1
