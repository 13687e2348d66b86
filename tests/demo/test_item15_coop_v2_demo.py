"""The Espace Coop v2 demo (issue 15): each demo account finds its part, the statistics stay exact, seeding twice
changes nothing."""

import pytest
from django.core.management import call_command

from reporting.models import ActivityBeneficiary, Beneficiary, CoordinationActivity, StatisticsShare, Tag
from reporting.scopes import Scope
from reporting.selectors import Period, activity_statistics, activity_statistics_naive

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run

PASSWORD = "demo-cnum-2026"


def counts():
    return tuple(
        model.objects.count()
        for model in (Beneficiary, ActivityBeneficiary, Tag, CoordinationActivity, StatisticsShare)
    )


def log_in(client, email):
    client.post("/connexion/", {"username": email, "password": PASSWORD})


def test_the_demo_shows_every_part_and_seeding_again_changes_nothing(demo_world, client):
    before = counts()
    assert all(before), before
    call_command("seed_demo", verbosity=0)
    assert counts() == before

    log_in(client, "conseiller@demo.conseiller-numerique.fr")
    people = client.get("/coop/beneficiaires/")
    assert people.status_code == 200 and people.context["page"].paginator.count >= 5
    assert client.get("/coop/etiquettes/").status_code == 200
    assert client.get("/coop/statistiques/partages/").status_code == 200
    statistics = client.get("/coop/statistiques/")
    assert statistics.context["followed"].people >= 1

    client.logout()
    log_in(client, "coordinateur@demo.conseiller-numerique.fr")
    coordination = client.get("/coop/activites/coordination/")
    assert coordination.status_code == 200
    assert "Animation" in coordination.content.decode()

    # Linked people count like anonymous ones: the rollups still agree with the raw reports.
    national = Scope.national()
    period = Period(
        *(
            ActivityBeneficiary.objects.order_by(order).first().activity.date
            for order in ("activity__date", "-activity__date")
        )
    )
    assert activity_statistics(national, period) == activity_statistics_naive(national, period)
