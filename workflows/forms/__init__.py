"""DSFR forms of the recruitment parcours, one module per audience: the public applications, the decision form of
each step, the structure's own forms, and the shared pieces; `from workflows.forms import X` reaches them all."""

from workflows.forms.contract_changes import (
    ContractChangeCancelForm,
    ContractChangeDecisionForm,
    ContractChangeRequestForm,
)
from workflows.forms.coordinators import (
    CoordinatorDecisionForm,
    CoordinatorDesignationForm,
    CoordinatorPrefectureForm,
    CoordinatorRequestForm,
    CoordinatorTeamForm,
    redesignation_form,
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
from workflows.forms.fields import CommuneMixin, DateInput, HoneypotMixin
from workflows.forms.post_requests import (
    ManagerInviteForm,
    PostRequestDecisionForm,
    PostRequestForm,
    PostRequestPrefectureForm,
    StructureContactForm,
)
from workflows.forms.public import ENGAGEMENTS, CandidateForm, StructureApplicationForm, validate_pdf
from workflows.forms.renewals import (
    RenewalCancelForm,
    RenewalDecisionForm,
    RenewalPrefectureForm,
    RenewalRequestForm,
)
from workflows.forms.structure import (
    CancelForm,
    PoolSearchForm,
    RuptureCancelForm,
    RuptureNotifyForm,
    TrainingImportForm,
)
from workflows.forms.transfers import TransferCancelForm, TransferDecisionForm, TransferForm, TransferPrefectureForm

__all__ = [
    "ENGAGEMENTS",
    "CancelForm",
    "CandidateForm",
    "CommuneMixin",
    "ContractChangeCancelForm",
    "ContractChangeDecisionForm",
    "ContractChangeRequestForm",
    "ContractForm",
    # Issue 13, coordinator posts (helper "coordinators")
    "CoordinatorDecisionForm",
    "CoordinatorDesignationForm",
    "CoordinatorPrefectureForm",
    "CoordinatorRequestForm",
    "CoordinatorTeamForm",
    "redesignation_form",
    "DateInput",
    "DecisionForm",
    "DeploymentForm",
    "DocumentsForm",
    "HoneypotMixin",
    # Issue 13, avenants and the structure's self-service (helper "post_requests")
    "ManagerInviteForm",
    "PostRequestDecisionForm",
    "PostRequestForm",
    "PostRequestPrefectureForm",
    "StructureContactForm",
    "PoolSearchForm",
    "PrefectureOpinionForm",
    "RecruitmentHubForm",
    "RecruitmentPrefectureForm",
    "RenewalCancelForm",
    "RenewalDecisionForm",
    "RenewalPrefectureForm",
    "RenewalRequestForm",
    "RuptureCancelForm",
    "RuptureDecisionForm",
    "RuptureNotifyForm",
    "StructureApplicationForm",
    "StructureHubForm",
    "TrainingForm",
    "TrainingImportForm",
    "TransferCancelForm",
    "TransferDecisionForm",
    "TransferForm",
    "TransferPrefectureForm",
    "validate_pdf",
]
