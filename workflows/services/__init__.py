"""Every write of the recruitment parcours, one module per parcours. Views, commands and tests call these functions,
never raw Viewflow transitions: each one checks the role permission AND the scope of the user, whatever calls it,
takes the process lock, refuses a task that is no longer open (AlreadyProcessed: "Cette étape a déjà été traitée"),
records the decision (append-only log + audit), then executes the task.

`from workflows import services; services.x(...)` reaches every public name below.
"""

from workflows.selectors import contract_endings_due, free_posts, open_work_item
from workflows.services.advisors import advisor_end
from workflows.services.candidates import candidate_confirm, candidate_erase, candidate_submit, candidate_withdraw
from workflows.services.common import (
    ALREADY_PROCESSED,
    AlreadyProcessed,
    DecisionLog,
    cancel_process,
    check_can_act,
)
from workflows.services.contract_changes import (
    contract_change_apply,
    contract_change_cancel,
    contract_change_decide,
    contract_change_request,
    contract_changes_due,
    contract_end_at_term,
    contracts_due_at_term,
)
from workflows.services.coordinators import (
    coordinator_decide,
    coordinator_designate,
    coordinator_post_vacant,
    coordinator_prefecture_review,
    coordinator_ranking,
    coordinator_recruitment_deployed,
    coordinator_redesignate,
    coordinator_request_submit,
    coordinator_team_history,
    coordinator_team_set,
)
from workflows.services.my_structure import structure_contact_update, structure_manager_invite
from workflows.services.post_requests import (
    post_request_cancel,
    post_request_decide,
    post_request_prefecture_review,
    post_request_submit,
    returnable_posts,
)
from workflows.services.recruitments import (
    recruitment_cancel,
    recruitment_deploy,
    recruitment_hub_decide,
    recruitment_prefecture_review,
    recruitment_preselect,
    recruitment_propose_contract,
)
from workflows.services.renewals import (
    convention_end_apply,
    conventions_ended_due,
    renewable_convention,
    renewal_cancel,
    renewal_contracts,
    renewal_decide,
    renewal_leavers_apply,
    renewal_leavers_due,
    renewal_notice_apply,
    renewal_notices_due,
    renewal_prefecture_review,
    renewal_start_apply,
    renewal_starts_due,
    renewal_submit,
)
from workflows.services.ruptures import (
    rupture_apply,
    rupture_cancel,
    rupture_decide,
    rupture_notify,
    rupture_provide_documents,
)
from workflows.services.structures import (
    structure_application_confirm,
    structure_application_submit,
    structure_application_withdraw,
    structure_hub_decide,
    structure_prefecture_review,
)
from workflows.services.tasks import task_release, task_take
from workflows.services.training import recruitment_record_training, training_import

__all__ = [
    "convention_end_apply",
    "conventions_ended_due",
    "renewable_convention",
    "renewal_cancel",
    "renewal_contracts",
    "renewal_decide",
    "renewal_leavers_apply",
    "renewal_leavers_due",
    "renewal_notice_apply",
    "renewal_notices_due",
    "renewal_prefecture_review",
    "renewal_start_apply",
    "renewal_starts_due",
    "renewal_submit",
    "ALREADY_PROCESSED",
    "AlreadyProcessed",
    "DecisionLog",
    "advisor_end",
    "cancel_process",
    "candidate_confirm",
    "candidate_erase",
    "candidate_submit",
    "candidate_withdraw",
    "check_can_act",
    "contract_change_apply",
    "contract_change_cancel",
    "contract_change_decide",
    "contract_change_request",
    "contract_changes_due",
    "contract_end_at_term",
    "contract_endings_due",
    "contracts_due_at_term",
    # Issue 13, coordinator posts (helper "coordinators")
    "coordinator_decide",
    "coordinator_designate",
    "coordinator_post_vacant",
    "coordinator_prefecture_review",
    "coordinator_ranking",
    "coordinator_recruitment_deployed",
    "coordinator_redesignate",
    "coordinator_request_submit",
    "coordinator_team_history",
    "coordinator_team_set",
    "free_posts",
    "open_work_item",
    # Issue 13, avenants and the structure's self-service (helper "post_requests")
    "post_request_cancel",
    "post_request_decide",
    "post_request_prefecture_review",
    "post_request_submit",
    "returnable_posts",
    "structure_contact_update",
    "structure_manager_invite",
    "recruitment_cancel",
    "recruitment_deploy",
    "recruitment_hub_decide",
    "recruitment_prefecture_review",
    "recruitment_preselect",
    "recruitment_propose_contract",
    "recruitment_record_training",
    "rupture_apply",
    "rupture_cancel",
    "rupture_decide",
    "rupture_notify",
    "rupture_provide_documents",
    "structure_application_confirm",
    "structure_application_submit",
    "structure_application_withdraw",
    "structure_hub_decide",
    "structure_prefecture_review",
    "task_release",
    "task_take",
    "training_import",
]
