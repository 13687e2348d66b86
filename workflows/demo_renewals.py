"""Demo reconventionnements, in Paris (75) and Marseille (13): one request at the prefecture, one at national
validation, one granted (its new convention starts the day after the old one ends), and one convention ending
without renewal whose structure was reminded. Through the services; idempotent."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.enums import Role
from accounts.models import Membership
from directory.demo import DEMO_DOMAIN, DEMO_PASSWORD, PERSONAS
from directory.enums import ConventionStatus, StructureStatus
from directory.models import Convention
from workflows import services
from workflows.enums import Kind, Step
from workflows.models import RenewalRequest

User = get_user_model()

DEPARTMENTS = {"75": 1, "13": 2}  # department → index of its prefecture persona in directory.demo.PERSONAS
STATES = ["prefecture", "decision", "granted"]


def _persona(index: int):
    user = User.objects.get(email=PERSONAS[index].email)
    roles.forget_active_membership(user)
    return user


def _manager(structure):
    """A demo manager for the structure (the persona's own structure is left free to try the form)."""
    user, created = User.objects.get_or_create(
        email=f"reconventionnement-{structure.pk}@{DEMO_DOMAIN}",
        defaults={"first_name": "Gestionnaire", "last_name": structure.name[:100]},
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


def _renewable(department: str, persona_structure_id):
    today = timezone.localdate()
    return list(
        Convention.objects.in_force(today)
        .filter(
            structure__department_id=department,
            structure__status=StructureStatus.VALIDATED,
            status=ConventionStatus.ACTIVE,
            renewal__isnull=True,
            renewal_request__isnull=True,
        )
        .exclude(structure_id=persona_structure_id)
        .select_related("structure")
        .order_by("end", "pk")
    )


def _seed_department(department: str, prefecture, admin, persona_structure_id) -> None:
    if RenewalRequest.objects.filter(department_id=department).exists():
        return
    candidates = _renewable(department, persona_structure_id)
    # The convention ending first is the one that will end without renewal (its structure is reminded).
    due = {convention.pk for convention in services.renewal_notices_due(timezone.now())}
    noticed = [convention for convention in candidates if convention.pk in due]
    if noticed:
        services.renewal_notice_apply(noticed[0], now=timezone.now())
        candidates.remove(noticed[0])
    for state, convention in zip(STATES, candidates, strict=False):
        manager = _manager(convention.structure)
        kept = list(services.renewal_contracts(convention)[:1])
        renewal = services.renewal_submit(
            user=manager,
            posts_requested=max(convention.structure.posts_granted, len(kept), 1),
            continuing_contracts=kept,
            motivation="Nous souhaitons poursuivre l'accompagnement au numérique des habitants pour une nouvelle "
            "période, avec les conseillers en poste.",
        )
        if state == "prefecture":
            continue
        services.renewal_prefecture_review(
            work_item=services.open_work_item(Kind.RENEWAL, renewal.pk, Step.RENEWAL_PREFECTURE),
            user=prefecture,
            opinion="favorable",
            internal_note="Structure active et bien implantée : avis favorable au renouvellement.",
        )
        if state == "decision":
            continue
        renewal.refresh_from_db()
        services.renewal_decide(
            work_item=services.open_work_item(Kind.RENEWAL, renewal.pk, Step.RENEWAL_DECISION),
            user=admin,
            decision="accorder",
            posts_granted=renewal.posts_requested,
            message_to_applicant="Votre reconventionnement est accordé pour la période suivante.",
        )


@transaction.atomic
def seed() -> str:
    """Create the demo reconventionnements once; running it again changes nothing."""
    admin = _persona(0)
    persona_manager = _persona(4)
    membership = roles.active_membership(persona_manager)
    persona_structure_id = membership.structure_id if membership else None
    for department, prefecture_index in DEPARTMENTS.items():
        _seed_department(department, _persona(prefecture_index), admin, persona_structure_id)
    requests = RenewalRequest.objects.filter(department_id__in=list(DEPARTMENTS))
    return f"{requests.count()} reconventionnement(s) de démonstration (75 et 13)"
