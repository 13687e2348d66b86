"""The Données personnelles page says what the retention jobs do, and seed_content keeps it so idempotently."""

import json

import pytest
from django.core.management import call_command

from accounts.inactivity import ACCOUNT_INACTIVITY_DAYS, NOTICE_DAYS
from accounts.management.commands.purge_audit_log import AUDIT_RETENTION_YEARS
from content.models import StandardPage
from content.seed import pages
from content.seed.streams import h2, p, stream
from tests.accounts.factories import UserFactory
from workflows.retention import CANDIDATE_INACTIVITY_YEARS, CV_RETENTION_MONTHS

pytestmark = pytest.mark.django_db

OLD_BODY = stream(h2("Durées de conservation"), p("Les comptes inactifs sont supprimés après trente mois."))


def personal_data_page() -> StandardPage:
    return StandardPage.objects.get(slug="donnees-personnelles")


class TestPersonalDataPage:
    def test_it_states_the_durations_the_jobs_apply(self, seeded, client):
        assert (CV_RETENTION_MONTHS, CANDIDATE_INACTIVITY_YEARS, ACCOUNT_INACTIVITY_DAYS, NOTICE_DAYS) == (
            6,
            2,
            730,
            30,
        )
        assert AUDIT_RETENTION_YEARS == 5
        text = client.get("/donnees-personnelles/").text
        for words in (
            "six mois après leur dépôt",
            "anonymisées après deux ans sans activité",
            "ne s'est pas connecté depuis deux ans",
            "dans les trente jours, il est désactivé",
            "<strong>Journal d'audit</strong> : cinq ans",
            "Comptes rendus d'activité</strong> : anonymes",
            "téléchargez (fichier JSON et CV)",
        ):
            assert words.replace("'", "&#x27;") in text or words in text, words
        assert "trente mois" not in text

    def test_seeding_again_changes_nothing(self, seeded):
        revisions = personal_data_page().revisions.count()
        call_command("seed_content", verbosity=0)
        assert personal_data_page().revisions.count() == revisions

    def test_an_outdated_seeded_text_is_brought_up_to_date(self, seeded):
        page = personal_data_page()
        page.body = OLD_BODY
        page.save_revision().publish()  # as an older seed wrote it: no user on the revision
        call_command("seed_content", verbosity=0)
        page = personal_data_page()
        assert [block["type"] for block in page.body.raw_data] == [
            block["type"] for block in json.loads(pages.PERSONAL_DATA["body"])
        ]
        assert "trente mois" not in json.dumps(list(page.body.raw_data))

    def test_an_editors_version_is_never_overwritten(self, seeded):
        page = personal_data_page()
        page.body = OLD_BODY
        page.save_revision(user=UserFactory()).publish()
        call_command("seed_content", verbosity=0)
        assert "trente mois" in json.dumps(list(personal_data_page().body.raw_data))
