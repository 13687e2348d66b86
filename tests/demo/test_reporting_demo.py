"""The demo year of activity: realistic, consistent with the rollups, and idempotent."""

import pytest
from django.core.management import call_command

from directory.demo import PERSONAS
from directory.models import Advisor
from reporting.models import Activity, ActivityRollup
from reporting.scopes import Scope
from reporting.selectors import Period, activity_statistics, activity_statistics_naive

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run


def test_seed_demo_gives_every_active_advisor_a_realistic_year_and_is_idempotent(demo_world, client):
    reports, rollups = Activity.objects.count(), ActivityRollup.objects.count()
    call_command("seed_demo", verbosity=0)
    assert (Activity.objects.count(), ActivityRollup.objects.count()) == (reports, rollups)

    assert 2_000 <= reports <= 8_000
    active = Advisor.objects.active().filter(structure__isnull=False)
    assert set(Activity.objects.values_list("advisor", flat=True).distinct()) == set(
        active.values_list("pk", flat=True)
    )
    individual_share = Activity.objects.filter(kind="individuel").count() / reports
    assert 0.75 <= individual_share <= 0.85

    national = Scope.national()
    period = Period(Activity.objects.earliest("date").date, Activity.objects.latest("date").date)
    statistics = activity_statistics(national, period, locations=True)
    assert statistics == activity_statistics_naive(national, period, locations=True)
    assert statistics["accompaniments"] > reports  # workshops count their participants
    assert statistics["theme_aide_aux_demarches_administratives"] > statistics["theme_scolarite_et_numerique"]

    advisor_persona = next(persona.email for persona in PERSONAS if persona.email.startswith("conseiller@"))
    client.post("/connexion/", {"username": advisor_persona, "password": "demo-cnum-2026"})
    response = client.get("/coop/statistiques/", {"start": period.start.isoformat()})
    assert response.status_code == 200
    assert int(response.context["statistics"]["activities"]) >= 100
