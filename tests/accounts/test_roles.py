import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import roles
from accounts.models import AuditEvent
from directory import scopes as directory_scopes
from directory.models import Advisor, Contract, Convention, Hub, Place, Structure
from reporting import scopes as reporting_scopes
from reporting.models import Activity, Beneficiary, CoordinationActivity, StatisticsShare, Tag
from territories.models import Department, Region
from tests.directory.factories import PlaceAssignmentFactory
from tests.reporting.factories import ActivityFactory
from tests.workflows.factories import CandidateFactory, StructureApplicationFactory
from workflows import scopes as workflows_scopes
from workflows.models import (
    AdvisorApplication,
    Attachment,
    BulkJob,
    ContractChange,
    CoordinatorRequest,
    PostRequest,
    PostTransfer,
    Recruitment,
    RenewalRequest,
    Rupture,
    SavedView,
    StructureApplication,
    WorkItem,
)

pytestmark = pytest.mark.django_db

RULES = {
    Department: roles.visible_departments,
    Structure: directory_scopes.visible_structures,
    Advisor: directory_scopes.visible_advisors,
    Place: directory_scopes.visible_places,
    Hub: directory_scopes.visible_hubs,
    Convention: directory_scopes.visible_conventions,
    Contract: directory_scopes.visible_contracts,
    StructureApplication: workflows_scopes.visible_structure_applications,
    Recruitment: workflows_scopes.visible_recruitments,
    Rupture: workflows_scopes.visible_ruptures,
    AdvisorApplication: workflows_scopes.visible_candidates,
    WorkItem: workflows_scopes.visible_work_items,
    PostRequest: workflows_scopes.visible_post_requests,
    PostTransfer: workflows_scopes.visible_transfers,
    RenewalRequest: workflows_scopes.visible_renewals,
    ContractChange: workflows_scopes.visible_contract_changes,
    CoordinatorRequest: workflows_scopes.visible_coordinator_requests,
    Attachment: workflows_scopes.visible_attachments,
    BulkJob: workflows_scopes.visible_bulk_jobs,
    SavedView: workflows_scopes.visible_saved_views,
    Activity: reporting_scopes.visible_activities,
    Beneficiary: reporting_scopes.visible_beneficiaries,
    Tag: reporting_scopes.visible_tags,
    CoordinationActivity: reporting_scopes.visible_coordination_activities,
    StatisticsShare: reporting_scopes.visible_statistics_shares,
}


def pks(queryset):
    return sorted(queryset.values_list("pk", flat=True))


class TestScopeRegistry:
    def test_it_knows_the_rule_of_every_scoped_model_from_the_apps_ready(self):
        assert roles.scoped_models() == sorted(RULES, key=lambda model: model._meta.label)

    @pytest.mark.parametrize("model", [Region, AuditEvent])
    def test_it_refuses_a_model_without_a_rule_rather_than_showing_everything(self, model, national_admin):
        with pytest.raises(ImproperlyConfigured, match=model._meta.label):
            roles.restrict(model.objects.all(), national_admin)

    def test_it_refuses_a_second_rule_for_the_same_model(self):
        with pytest.raises(ImproperlyConfigured, match="directory.Structure already has a scope rule"):
            roles.scope_rule(Structure)(lambda user: Structure.objects.all())

    def test_registering_the_same_rule_again_is_harmless(self):
        assert roles.scope_rule(Structure)(directory_scopes.visible_structures) is directory_scopes.visible_structures


class TestRestrict:
    @pytest.fixture
    def world(self, paris_advisor, marseille_advisor, hub_idf):
        """A little of everything in Paris and in Marseille."""
        for advisor in (paris_advisor, marseille_advisor):
            PlaceAssignmentFactory(advisor=advisor, place__structure=advisor.structure)
            ActivityFactory(advisor=advisor)
            Recruitment.objects.create(structure=advisor.structure, candidate=CandidateFactory())
        for in_marseille in (False, True):
            StructureApplicationFactory(in_marseille=in_marseille)
            CandidateFactory(in_marseille=in_marseille)

    @pytest.mark.parametrize(
        "persona", ["national_admin", "prefecture_paris", "hub_agent", "structure_manager", "advisor_user", "outsider"]
    )
    def test_it_gives_what_the_rule_of_the_model_gives(self, request, world, persona):
        user = request.getfixturevalue(persona)
        for model, rule in RULES.items():
            roles.forget_active_membership(user)
            assert pks(roles.restrict(model.objects.all(), user)) == pks(rule(user)), (model, persona)

    def test_it_keeps_the_filters_and_order_of_the_queryset_it_restricts(self, world, prefecture_paris, paris_advisor):
        queryset = Activity.objects.filter(advisor__last_name=paris_advisor.last_name).order_by("-pk")
        restricted = roles.restrict(queryset, prefecture_paris)
        assert restricted.query.order_by == ("-pk",)
        assert pks(restricted) == pks(
            reporting_scopes.visible_activities(prefecture_paris).filter(advisor=paris_advisor)
        )
        assert not roles.restrict(Activity.objects.all(), None).exists()
