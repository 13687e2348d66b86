import pytest
from django.core.management import call_command

from workflows.enums import RecruitmentStatus, Step, StructureApplicationStatus
from workflows.models import AdvisorApplication, Decision, Recruitment, Rupture, StructureApplication, WorkItem

pytestmark = pytest.mark.django_db

MODELS = [StructureApplication, AdvisorApplication, Recruitment, Rupture, WorkItem, Decision]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


class TestDemo:
    def test_it_seeds_every_step_and_is_idempotent(self):
        call_command("load_territories", verbosity=0)
        call_command("seed_demo", verbosity=0)
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
        assert set(StructureApplication.objects.values_list("department", flat=True)) == {"75", "13"}
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
