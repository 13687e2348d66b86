"""The registry of the human steps: each step of a parcours declares here, once, its role permission, its decision
form, the service its decision calls, who is in charge of it, the e-mails it sends and its template.

Flows (`human(step)`), the task views (form → service), the permission checks and lists (`STEP_PERMISSIONS`) and
the reminders (`in_charge`) read this registry. The form's fields are the service's keyword arguments: the task
view calls `services.<service>(work_item=…, user=…, request=…, **form.cleaned_data)`. Services and notifications
are named, not imported: they read this registry (permissions, people in charge), so it stays below them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.enums import Role
from directory.models import Place
from workflows.enums import PostRequestType, RequestStatus, Step
from workflows.forms.contract_changes import ContractChangeDecisionForm
from workflows.forms.coordinators import (
    CoordinatorDecisionForm,
    CoordinatorDesignationForm,
    CoordinatorPrefectureForm,
    designation_choices,
)
from workflows.forms.decisions import (
    ContractForm,
    DecisionForm,
    DeploymentForm,
    DocumentsForm,
    PrefectureOpinionForm,
    RecruitmentHubForm,
    RecruitmentPrefectureForm,
    RuptureDecisionForm,
    StructureHubForm,
    TrainingForm,
)
from workflows.forms.post_requests import PostRequestDecisionForm, PostRequestPrefectureForm
from workflows.forms.renewals import RenewalDecisionForm, RenewalPrefectureForm
from workflows.forms.transfers import TransferDecisionForm, TransferPrefectureForm
from workflows.models import CoordinatorRequest, PostRequest

DECISION_TEMPLATE = "workflows/espace/steps/_form.html"


@dataclass(frozen=True)
class StepSpec:
    """What one human step declares."""

    step: Step
    permission: str  # the role permission: Viewflow node, services' check, "À traiter" lists
    form: type[DecisionForm]  # the decision form on the dossier page; its fields are the service's arguments
    service: str  # the function of workflows.services that records the decision
    in_charge: str  # the role reminded (then escalated to the national team) while nobody took the task
    notifies: tuple[str, ...] = ()  # the functions of workflows.notifications the decision may send
    template: str = DECISION_TEMPLATE  # the decision form's partial on the dossier page
    form_options: Callable[..., dict] | None = None  # extra keyword arguments of the form, from the work item

    def decision_form(self, work_item, data=None, initial=None, files=None) -> DecisionForm:
        """The step's form for a work item (bound when `data` is given; `files` for a form with attachments)."""
        options = self.form_options(work_item) if self.form_options else {}
        return self.form(data, files, initial=initial, **options)


def _structure_places(work_item) -> dict:
    """The deployment offers the structure's current places as the advisor's principal place."""
    return {"places": Place.objects.current().filter(structure=work_item.structure_id).order_by("name")}


def _post_request_limits(work_item) -> dict:
    """The decision on an avenant grants at most the posts asked (or given back)."""
    row = PostRequest.objects.filter(pk=work_item.subject_id).values("posts_requested", "type").first() or {}
    return {"posts_requested": row.get("posts_requested"), "is_return": row.get("type") == PostRequestType.RETURN}


def _coordinator_ranked(work_item) -> dict:
    """The prefecture ranks among its department's requests not yet decided (this one included)."""
    ranked = CoordinatorRequest.objects.filter(
        department=work_item.department_id, status__in=[RequestStatus.PREFECTURE_REVIEW, RequestStatus.DECISION]
    )
    return {"ranked": ranked.count()}


def _coordinator_candidates(work_item) -> dict:
    """The designation offers the structure's advisors in post and its recruitments in progress."""
    return designation_choices(work_item.structure_id)


STEPS: dict[str, StepSpec] = {
    spec.step: spec
    for spec in [
        StepSpec(
            Step.STRUCTURE_PREFECTURE,
            permission="workflows.review_prefecture",
            form=PrefectureOpinionForm,
            service="structure_prefecture_review",
            in_charge=Role.PREFECTURE,
            notifies=("structure_application_reviewed",),
        ),
        StepSpec(
            Step.STRUCTURE_HUB,
            permission="workflows.validate_hub",
            form=StructureHubForm,
            service="structure_hub_decide",
            in_charge=Role.HUB,
            notifies=(
                "structure_application_granted",
                "structure_application_refused",
                "structure_application_sent_back",
            ),
        ),
        StepSpec(
            Step.RECRUITMENT_CONTRACT,
            permission="workflows.manage_recruitment",
            form=ContractForm,
            service="recruitment_propose_contract",
            in_charge=Role.STRUCTURE_MANAGER,
            notifies=("contract_proposed",),
        ),
        StepSpec(
            Step.RECRUITMENT_PREFECTURE,
            permission="workflows.review_prefecture",
            form=RecruitmentPrefectureForm,
            service="recruitment_prefecture_review",
            in_charge=Role.PREFECTURE,
            notifies=("recruitment_prefecture_favorable", "recruitment_refused"),
        ),
        StepSpec(
            Step.RECRUITMENT_HUB,
            permission="workflows.validate_hub",
            form=RecruitmentHubForm,
            service="recruitment_hub_decide",
            in_charge=Role.HUB,
            notifies=("recruitment_validated", "recruitment_refused", "recruitment_sent_back"),
        ),
        StepSpec(
            Step.RECRUITMENT_TRAINING,
            permission="workflows.record_training",
            form=TrainingForm,
            service="recruitment_record_training",
            in_charge=Role.HUB,
            notifies=("training_recorded",),
        ),
        StepSpec(
            Step.RECRUITMENT_DEPLOYMENT,
            permission="workflows.manage_recruitment",
            form=DeploymentForm,
            service="recruitment_deploy",
            in_charge=Role.STRUCTURE_MANAGER,
            notifies=("advisor_welcome",),
            form_options=_structure_places,
        ),
        StepSpec(
            Step.RUPTURE_VALIDATION,
            permission="workflows.validate_rupture",
            form=RuptureDecisionForm,
            service="rupture_decide",
            in_charge=Role.HUB,
            notifies=(
                "rupture_validated",
                "advisor_contract_ended",
                "advisor_contract_ending_scheduled",
                "rupture_documents_requested",
            ),
        ),
        StepSpec(
            Step.RUPTURE_DOCUMENTS,
            permission="workflows.manage_recruitment",
            form=DocumentsForm,
            service="rupture_provide_documents",
            in_charge=Role.STRUCTURE_MANAGER,
            notifies=("rupture_documents_provided",),
        ),
        StepSpec(
            Step.RENEWAL_PREFECTURE,
            permission="workflows.review_prefecture",
            form=RenewalPrefectureForm,
            service="renewal_prefecture_review",
            in_charge=Role.PREFECTURE,
            notifies=("renewal_reviewed",),
        ),
        StepSpec(
            Step.RENEWAL_DECISION,
            permission="workflows.decide_national",
            form=RenewalDecisionForm,
            service="renewal_decide",
            in_charge=Role.NATIONAL,
            notifies=("renewal_granted", "renewal_refused", "renewal_sent_back", "advisor_renewal_not_continuing"),
        ),
        # Issue 13, avenants (helper "post_requests")
        StepSpec(
            Step.POST_REQUEST_PREFECTURE,
            permission="workflows.review_prefecture",
            form=PostRequestPrefectureForm,
            service="post_request_prefecture_review",
            in_charge=Role.PREFECTURE,
            notifies=("post_request_reviewed",),
        ),
        StepSpec(
            Step.POST_REQUEST_DECISION,
            permission="workflows.validate_hub",
            form=PostRequestDecisionForm,
            service="post_request_decide",
            in_charge=Role.HUB,
            notifies=("post_request_granted", "post_request_refused", "post_request_sent_back"),
            form_options=_post_request_limits,
        ),
        # Contract changes (issue 13, item 5)
        StepSpec(
            Step.CONTRACT_CHANGE_VALIDATION,
            permission="workflows.validate_hub",
            form=ContractChangeDecisionForm,
            service="contract_change_decide",
            in_charge=Role.HUB,
            notifies=("contract_change_validated", "contract_change_refused", "advisor_contract_changed"),
        ),
        # Coordinator posts (issue 13, item 6)
        StepSpec(
            Step.COORDINATOR_PREFECTURE,
            permission="workflows.review_prefecture",
            form=CoordinatorPrefectureForm,
            service="coordinator_prefecture_review",
            in_charge=Role.PREFECTURE,
            notifies=("coordinator_request_reviewed",),
            form_options=_coordinator_ranked,
        ),
        StepSpec(
            Step.COORDINATOR_DECISION,
            permission="workflows.decide_national",
            form=CoordinatorDecisionForm,
            service="coordinator_decide",
            in_charge=Role.NATIONAL,
            notifies=(
                "coordinator_request_granted",
                "coordinator_request_refused",
                "coordinator_request_sent_back",
            ),
        ),
        StepSpec(
            Step.COORDINATOR_DESIGNATION,
            permission="workflows.manage_recruitment",
            form=CoordinatorDesignationForm,
            service="coordinator_designate",
            in_charge=Role.STRUCTURE_MANAGER,
            notifies=("coordinator_designated",),
            form_options=_coordinator_candidates,
        ),
        # --- Transfers of posts (issue 13, item 3) ---
        StepSpec(
            Step.TRANSFER_PREFECTURE,
            permission="workflows.review_prefecture",
            form=TransferPrefectureForm,
            service="transfer_prefecture_review",
            in_charge=Role.PREFECTURE,
            notifies=("transfer_reviewed",),
        ),
        StepSpec(
            Step.TRANSFER_DECISION,
            permission="workflows.decide_national",
            form=TransferDecisionForm,
            service="transfer_decide",
            in_charge=Role.NATIONAL,
            notifies=("transfer_confirmed", "transfer_applied", "transfer_refused", "transfer_sent_back"),
        ),
    ]
}

# Derived views of the registry, for the readers that need one attribute of every step.
STEP_PERMISSIONS = {step: spec.permission for step, spec in STEPS.items()}
FORMS = {step: spec.form for step, spec in STEPS.items()}
