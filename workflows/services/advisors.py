"""What ends an advisor's time in post, whatever ends it: a rupture, the term of her contract, the end of her
structure's convention. One function, so that every ending detaches the same things."""

from datetime import date

from django.utils import timezone

from accounts.services import membership_revoke
from directory import conventions
from directory.enums import AdvisorStatus
from directory.models import Advisor, PlaceAssignment
from workflows.enums import RecruitmentStatus
from workflows.models import Recruitment


def advisor_end(*, advisor, ended_on: date, reason: str, actor=None, request=None) -> Advisor:
    """End the advisor on `ended_on`: her contract closed for `reason` (ContractEndReason), her places detached,
    her recruitment closed (the post is freed) and her roles revoked (Coop closed). A system action when `actor`
    is None; callers check permissions and take the locks."""
    advisor = Advisor.objects.select_for_update().get(pk=advisor.pk)
    contract = conventions.active_contract(advisor)
    if contract is not None:
        conventions.contract_close(contract=contract, ended_on=ended_on, reason=reason)
    advisor.status = AdvisorStatus.ENDED
    advisor.ended_at = ended_on
    advisor.save(update_fields=["status", "ended_at"])
    PlaceAssignment.objects.filter(advisor=advisor).delete()
    Recruitment.objects.filter(advisor=advisor, status=RecruitmentStatus.ACTIVE).update(
        status=RecruitmentStatus.ENDED, updated_at=timezone.now()
    )
    if advisor.user_id:
        for membership in advisor.user.memberships.active().filter(advisor=advisor):
            membership_revoke(membership=membership, revoked_by=actor, request=request)
    return advisor
