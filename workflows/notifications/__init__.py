"""Who is told what at each step: recipients, French subjects (the real programme's where they exist) and links.

Every message goes through accounts.emails.send_templated_email: text + HTML, queued after commit. One module per
parcours; `from workflows import notifications; notifications.x(...)` reaches every public name below.
"""

from workflows.notifications.applications import (
    advisor_welcome,
    candidate_confirmed,
    candidate_preselected,
    candidate_received,
    contract_proposed,
    recruitment_cancelled,
    recruitment_prefecture_favorable,
    recruitment_refused,
    recruitment_sent_back,
    recruitment_validated,
    structure_application_confirmed,
    structure_application_granted,
    structure_application_received,
    structure_application_refused,
    structure_application_reviewed,
    structure_application_sent_back,
    structure_application_withdrawn,
    training_recorded,
)
from workflows.notifications.common import (
    advisor_address,
    candidate_manage_url,
    national_admins,
    send,
    structure_managers,
    territorial_agents,
)
from workflows.notifications.deadlines import digest, people_in_charge, task_escalated, task_reminder
from workflows.notifications.ruptures import (
    advisor_contract_ended,
    advisor_contract_ending_cancelled,
    advisor_contract_ending_notified,
    advisor_contract_ending_scheduled,
    rupture_documents_provided,
    rupture_documents_requested,
    rupture_notified,
    rupture_validated,
)

__all__ = [
    "advisor_address",
    "advisor_contract_ended",
    "advisor_contract_ending_cancelled",
    "advisor_contract_ending_notified",
    "advisor_contract_ending_scheduled",
    "advisor_welcome",
    "candidate_confirmed",
    "candidate_manage_url",
    "candidate_preselected",
    "candidate_received",
    "contract_proposed",
    "digest",
    "national_admins",
    "people_in_charge",
    "recruitment_cancelled",
    "recruitment_prefecture_favorable",
    "recruitment_refused",
    "recruitment_sent_back",
    "recruitment_validated",
    "rupture_documents_provided",
    "rupture_documents_requested",
    "rupture_notified",
    "rupture_validated",
    "send",
    "structure_application_confirmed",
    "structure_application_granted",
    "structure_application_received",
    "structure_application_refused",
    "structure_application_reviewed",
    "structure_application_sent_back",
    "structure_application_withdrawn",
    "structure_managers",
    "task_escalated",
    "task_reminder",
    "territorial_agents",
    "training_recorded",
]
