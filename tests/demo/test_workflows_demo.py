import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from workflows.enums import RecruitmentStatus, Step, StructureApplicationStatus
from workflows.models import AdvisorApplication, Decision, Recruitment, Rupture, StructureApplication, WorkItem

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run
User = get_user_model()

MODELS = [StructureApplication, AdvisorApplication, Recruitment, Rupture, WorkItem, Decision]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


class TestDemo:
    def test_it_seeds_every_step_and_is_idempotent(self, demo_world, client):
        first = counts()
        call_command("seed_demo", verbosity=0)
        assert counts() == first
        statuses = set(StructureApplication.objects.values_list("status", flat=True))
        assert {
            StructureApplicationStatus.UNCONFIRMED,
            StructureApplicationStatus.PREFECTURE_REVIEW,
            StructureApplicationStatus.HUB_VALIDATION,
            StructureApplicationStatus.REFUSED,
        } <= statuses
        # The hub's selection committee (workflows/demo_instruction.py) adds applications of the Hauts-de-Seine.
        assert set(StructureApplication.objects.values_list("department", flat=True)) == {"75", "13", "92"}
        assert 25 <= AdvisorApplication.objects.count() <= 35
        assert set(Recruitment.objects.values_list("status", flat=True)) == {
            RecruitmentStatus.PRESELECTED,
            RecruitmentStatus.PREFECTURE_REVIEW,
            RecruitmentStatus.HUB_VALIDATION,
            RecruitmentStatus.TRAINING,
            RecruitmentStatus.DEPLOYMENT,
        }
        assert Rupture.objects.count() == 1
        open_steps = set(WorkItem.objects.filter(is_open=True).values_list("step", flat=True))
        assert {Step.STRUCTURE_PREFECTURE, Step.RECRUITMENT_DEPLOYMENT, Step.RUPTURE_VALIDATION} <= open_steps
        for persona, url, text in [
            ("prefecture75", "/espace/a-traiter/", "Centre social Belleville Solidaire"),
            ("hub.idf", "/espace/a-traiter/", "Association Clic&#x27;Seniors Paris 15"),
            ("structure", "/espace/recruter/", "candidat"),
            ("structure", "/espace/mes-conseillers/", "Fins de contrat en cours"),
            ("admin", "/espace/a-traiter/?deadline=retard", "Maison des associations du 20e"),
        ]:
            client.force_login(User.objects.get(email=f"{persona}@demo.conseiller-numerique.fr"))
            response = client.get(url)
            assert response.status_code == 200 and text in response.text, (persona, url)
