"""Demo contract changes, for Paris (75) and Marseille (13): a prolongation waiting for the hub, a validated one, a
refused amendment, and a fixed-term contract ended at its term by the daily job. Idempotent; uses the services."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import roles
from accounts.enums import Role
from accounts.models import Membership
from directory import conventions
from directory.demo import DEMO_DOMAIN, DEMO_PASSWORD, PERSONAS
from directory.enums import FIXED_TERM_CONTRACT_TYPES, AdvisorStatus, ContractEndReason, ContractType, StructureStatus
from directory.models import Advisor, Contract, Structure
from workflows import services
from workflows.enums import OPEN_REQUEST_STATUSES, ContractChangeType, Kind, RequestDecision, Step
from workflows.models import ContractChange, Rupture

User = get_user_model()
DAY = datetime.timedelta(days=1)


def _persona(index: int):
    user = User.objects.get(email=PERSONAS[index].email)
    roles.forget_active_membership(user)
    return user


def _eligible(structure):
    """The structure's contracts in progress that a change may concern (no end of contract nor change under way)."""
    open_ruptures = Rupture.objects.open().filter(advisor=OuterRef("advisor"))
    open_changes = ContractChange.objects.filter(contract=OuterRef("pk"), status__in=OPEN_REQUEST_STATUSES)
    return (
        Contract.objects.active()
        .filter(structure=structure, advisor__status=AdvisorStatus.ACTIVE, end__isnull=False)
        .exclude(Exists(open_ruptures))
        .exclude(Exists(open_changes))
        .filter(end__gt=timezone.localdate() + DAY)
        .select_related("advisor")
        .order_by("pk")
    )


def _structure(department: str, preferred=None):
    """The persona's structure when it has two fixed-term contracts to change, else the first structure of the
    department that has (or that already shows the demo changes)."""
    candidates = Structure.objects.filter(department_id=department, status=StructureStatus.VALIDATED).order_by("pk")
    if preferred is not None:
        candidates = [preferred, *candidates.exclude(pk=preferred.pk)]
    for structure in candidates:
        if ContractChange.objects.filter(structure=structure).exists():
            return structure
    for structure in candidates:
        fixed_term = _eligible(structure).filter(contract_type__in=FIXED_TERM_CONTRACT_TYPES)
        if fixed_term.count() >= 2:
            return structure
    return None


def _manager(structure, persona_manager):
    """The persona manages the Paris structure; a demo manager is created for the other one."""
    if persona_manager is not None and roles.active_membership(persona_manager).structure_id == structure.pk:
        return persona_manager
    email = f"gestion.contrats.{structure.department_id}@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": "Samia", "last_name": f"Gestionnaire-{structure.department_id}"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.get_or_create(
        user=user, role=Role.STRUCTURE_MANAGER, structure=structure, revoked_at=None
    )
    if user.active_membership_id != membership.pk:
        user.active_membership = membership
        user.save(update_fields=["active_membership"])
    roles.forget_active_membership(user)
    return user


def _decide(change, decider, decision, **data):
    item = services.open_work_item(Kind.CONTRACT_CHANGE, change.pk, Step.CONTRACT_CHANGE_VALIDATION)
    services.contract_change_decide(work_item=item, user=decider, decision=decision, **data)


def _seed_changes(structure, manager, decider) -> None:
    if ContractChange.objects.filter(structure=structure).exists():
        return
    fixed_term = list(_eligible(structure).filter(contract_type__in=FIXED_TERM_CONTRACT_TYPES)[:2])
    for index, contract in enumerate(fixed_term):
        change = services.contract_change_request(
            advisor=contract.advisor,
            user=manager,
            type=ContractChangeType.PROLONGATION,
            new_end=contract.end + datetime.timedelta(days=180 if index == 0 else 365),
            motivation="Le projet d'inclusion numérique de la structure est financé pour une année de plus."
            if index
            else "Les ateliers du quartier se poursuivent jusqu'à l'été : nous souhaitons prolonger le contrat.",
        )
        if index == 1:
            _decide(change, decider, RequestDecision.GRANT, internal_note="Financement confirmé par la structure.")
    used = [contract.advisor_id for contract in fixed_term]
    amended = (
        _eligible(structure).exclude(advisor__in=used).first()
        or Contract.objects.active().filter(structure=structure).exclude(advisor__in=used).first()
        or _eligible(structure).first()
    )
    if amended is None:
        return
    change = services.contract_change_request(
        advisor=amended.advisor,
        user=manager,
        type=ContractChangeType.AMENDMENT,
        new_weekly_hours=24,
        new_salary=settings.SMIC_MONTHLY_GROSS + 100,
        motivation="Passage à temps partiel à la demande du conseiller, pour suivre une formation.",
    )
    _decide(
        change,
        decider,
        RequestDecision.REFUSE,
        reason="autre",
        message_to_applicant="Un poste de conseiller numérique est à temps plein : 35 heures par semaine.",
        internal_note="Règle du dispositif : temps plein.",
    )


def _seed_term(structure) -> None:
    """A fixed-term contract whose end has passed, ended at its term by the daily job's service."""
    advisor, _ = Advisor.objects.get_or_create(
        email=f"conseiller.fin-de-cdd.{structure.department_id}@{DEMO_DOMAIN}",
        defaults={
            "first_name": "Lucie",
            "last_name": f"Échéance-{structure.department_id}",
            "structure": structure,
            "status": AdvisorStatus.ACTIVE,
            "started_at": timezone.localdate() - datetime.timedelta(days=375),
        },
    )
    if not advisor.contracts.exists():
        conventions.contract_open(
            advisor=advisor,
            structure=structure,
            contract_type=ContractType.CDD,
            start=advisor.started_at,
            end=timezone.localdate() - datetime.timedelta(days=10),
            salary=2050,
        )
    contract = advisor.contracts.filter(end_reason="").first()
    if contract is not None:
        services.contract_end_at_term(contract=contract, now=timezone.now())


@transaction.atomic
def seed() -> str:
    """Create the demo contract changes once; running it again changes nothing."""
    admin, hub_idf, manager = _persona(0), _persona(3), _persona(4)
    done = []
    for department, persona_manager, decider in (("75", manager, hub_idf), ("13", None, admin)):
        preferred = roles.active_membership(manager).structure if department == "75" else None
        structure = _structure(department, preferred)
        if structure is None:
            continue
        _seed_changes(structure, _manager(structure, persona_manager), decider)
        _seed_term(structure)
        done.append(structure.name)
    ended = Contract.objects.filter(end_reason=ContractEndReason.TERM).count()
    return (
        f"{ContractChange.objects.count()} modifications de contrat ({', '.join(done)}), "
        f"{ended} contrat(s) arrivé(s) à leur terme"
    )
