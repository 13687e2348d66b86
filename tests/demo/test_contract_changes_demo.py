"""Issue 13 item 5: the demo contract changes (Paris and Marseille) at several steps, idempotent."""

import pytest

from directory.enums import AdvisorStatus, ContractEndReason
from directory.models import Contract
from workflows import demo_contract_changes
from workflows.enums import ContractChangeType, RequestStatus
from workflows.models import ContractChange, Decision

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run


def _state():
    return (
        sorted(ContractChange.objects.values_list("structure__department", "type", "status")),
        Contract.objects.count(),
        Decision.objects.count(),
    )


class TestContractChangesDemo:
    def test_it_shows_each_step_in_paris_and_marseille_and_is_idempotent(self, demo_world):
        demo_contract_changes.seed()
        first = _state()
        demo_contract_changes.seed()
        assert _state() == first
        for department in ("75", "13"):
            rows = set(ContractChange.objects.filter(structure__department=department).values_list("type", "status"))
            assert rows == {
                (ContractChangeType.PROLONGATION, RequestStatus.DECISION),
                (ContractChangeType.PROLONGATION, RequestStatus.GRANTED),
                (ContractChangeType.AMENDMENT, RequestStatus.REFUSED),
            }
            ended = Contract.objects.get(structure__department=department, end_reason=ContractEndReason.TERM)
            assert ended.advisor.status == AdvisorStatus.ENDED and ended.ended_on == ended.end
