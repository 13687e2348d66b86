"""Demo avenants in Paris (75) and Marseille (13): one request for posts waiting for the prefecture (in Paris, the
demo structure manager's own), one waiting for the decision, one granted, and one return of a vacant post granted.
Idempotent: a department that already has avenants is left as it is."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import roles
from accounts.enums import Role
from accounts.models import Membership
from accounts.services import membership_grant
from directory import conventions
from directory.demo import DEMO_DOMAIN, PERSONAS
from directory.models import Structure
from workflows import services
from workflows.enums import Kind, PostRequestType, Step
from workflows.models import PostRequest

User = get_user_model()

TARGETS = ["prefecture", "decision", "granted", "return"]
MOTIVATION = (
    "Notre structure ouvre une nouvelle antenne dans un quartier prioritaire : les permanences actuelles sont "
    "complètes trois semaines à l'avance. Un poste supplémentaire permettrait d'y tenir des ateliers chaque semaine."
)


def _persona(index: int):
    user = User.objects.get(email=PERSONAS[index].email)
    roles.forget_active_membership(user)
    return user


def _manager(structure, number: int):
    """A manager of the structure: its existing one (the demo persona in Paris), else a demo account."""
    membership = (
        Membership.objects.active()
        .filter(role=Role.STRUCTURE_MANAGER, structure=structure)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        user, _ = User.objects.get_or_create(
            email=f"gestionnaire.avenant{number}@{DEMO_DOMAIN}",
            defaults={"first_name": "Gestionnaire", "last_name": f"Avenant {number}"},
        )
        membership = membership_grant(user=user, role=Role.STRUCTURE_MANAGER, granted_by=None, structure=structure)
    user = User.objects.get(pk=membership.user_id)
    if user.active_membership_id != membership.pk:
        user.active_membership = membership
        user.save(update_fields=["active_membership"])
    roles.forget_active_membership(user)
    return user


def _manager(structure, number: int):
    """A manager of the structure: its existing one (the demo persona in Paris), else a demo account."""
    membership = (
        Membership.objects.active()
        .filter(role=Role.STRUCTURE_MANAGER, structure=structure)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        user, _ = User.objects.get_or_create(
            email=f"gestionnaire.avenant{number}@{DEMO_DOMAIN}",
            defaults={"first_name": "Gestionnaire", "last_name": f"Avenant {number}"},
        )
        membership_grant(user=user, role=Role.STRUCTURE_MANAGER, granted_by=None, structure=structure)
        user = User.objects.get(pk=user.pk)
    else:
        user = membership.user
    if user.active_membership_id != getattr(membership, "pk", user.active_membership_id):
        user.active_membership = membership
        user.save(update_fields=["active_membership"])
    roles.forget_active_membership(user)
    return user


def _structures(department: str) -> list[Structure]:
    """Validated structures of the department with a convention in force, in a stable order."""
    return [
        s
        for s in Structure.objects.validated().filter(department_id=department).order_by("pk")
        if conventions.convention_in_force(s)
    ]


def _seed_department(department: str, prefecture, decider, offset: int) -> int:
    if PostRequest.objects.filter(department=department).exists():
        return 0  # seeded already: the choice of structures below depends on the posts, which the grants changed
    created = 0
    structures = _structures(department)
    returnable = [s for s in structures[len(TARGETS) - 1 :] if services.returnable_posts(s) >= 1]
    chosen = structures[: len(TARGETS) - 1] + returnable[:1]
    for index, (target, structure) in enumerate(zip(TARGETS, chosen, strict=False)):
        manager = _manager(structure, offset + index)
        if target == "return":
            post_request = services.post_request_submit(
                user=manager,
                type=PostRequestType.RETURN,
                posts_requested=1,
                return_motive="difficultes_recrutement",
            )
        else:
            post_request = services.post_request_submit(
                user=manager, type=PostRequestType.ADD, posts_requested=2, motivation=MOTIVATION
            )
        created += 1
        if target == "prefecture":
            continue
        services.post_request_prefecture_review(
            work_item=services.open_work_item(Kind.POST_REQUEST, post_request.pk, Step.POST_REQUEST_PREFECTURE),
            user=prefecture,
            opinion="favorable",
            internal_note="Besoin confirmé avec la collectivité ; territoire peu couvert par la médiation numérique.",
        )
        if target == "decision":
            continue
        services.post_request_decide(
            work_item=services.open_work_item(Kind.POST_REQUEST, post_request.pk, Step.POST_REQUEST_DECISION),
            user=decider,
            decision="accorder",
            posts_granted=1,
            message_to_applicant="Un poste vous est accordé dès aujourd'hui."
            if target == "granted"
            else "Le poste vacant est retiré de votre convention.",
        )
    return created


@transaction.atomic
def seed() -> str:
    """Create the demo avenants once; running it again changes nothing."""
    admin, prefecture75, prefecture13, hub_idf = _persona(0), _persona(1), _persona(2), _persona(3)
    created = _seed_department("75", prefecture75, hub_idf, 1)
    created += _seed_department("13", prefecture13, admin, 11)
    return f"{PostRequest.objects.count()} avenants ({created} créés)"
