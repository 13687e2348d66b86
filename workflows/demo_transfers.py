"""Demo transfers of posts between Paris (75) and Marseille (13): one waiting for the receiving prefecture's opinion,
one confirmed and scheduled with its advisor, one applied. Made through the services; idempotent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import roles
from directory import conventions
from directory.demo import PERSONAS
from directory.enums import AdvisorStatus
from directory.models import Advisor, Structure
from workflows import services
from workflows.enums import Kind, RequestDecision, Step
from workflows.models import PostTransfer

User = get_user_model()

WAITING = "[Démo] Réorganisation : la structure parisienne n'a plus l'usage d'un poste, Marseille en manque."
SCHEDULED = "[Démo] La conseillère suit son projet à Paris : son poste l'accompagne chez la nouvelle structure."
APPLIED = "[Démo] Poste vacant depuis plusieurs mois, réaffecté à une structure marseillaise très sollicitée."


def _national():
    user = User.objects.get(email=PERSONAS[0].email)
    roles.forget_active_membership(user)
    return user


def _with_vacant_post(department: str, on, *, exclude=()):
    """A validated structure of the department with a convention in force on `on` and a vacant post, or None."""
    for structure in Structure.objects.validated().filter(department_id=department).exclude(pk__in=exclude):
        if conventions.convention_in_force(structure, on) and services.transfer_free_posts(structure, on) >= 1:
            return structure
    return None


def _in_force(department: str, on, *, exclude=()):
    for structure in Structure.objects.validated().filter(department_id=department).exclude(pk__in=exclude):
        if conventions.convention_in_force(structure, on):
            return structure
    return None


def _decide(user, transfer):
    item = services.open_work_item(Kind.TRANSFER, transfer.pk, Step.TRANSFER_DECISION)
    return services.transfer_decide(
        work_item=item,
        user=user,
        decision=RequestDecision.GRANT,
        message_to_applicant="Transfert confirmé par l'équipe nationale.",
    )


@transaction.atomic
def seed() -> str:
    """Create the three demo transfers once; running it again changes nothing."""
    admin = _national()
    today = timezone.localdate()
    if not PostTransfer.objects.filter(motivation=WAITING).exists():
        on = today + timedelta(days=30)
        giving = _with_vacant_post("75", on)
        receiving = _in_force("13", on)
        if giving and receiving:
            services.transfer_start(
                user=admin,
                from_structure=giving,
                structure=receiving,
                posts=1,
                effective_on=on,
                ask_prefecture=True,
                motivation=WAITING,
            )
    if not PostTransfer.objects.filter(motivation=SCHEDULED).exists():
        on = today + timedelta(days=20)
        advisor = (
            Advisor.objects.filter(
                status=AdvisorStatus.ACTIVE, structure__department_id="13", contracts__status="en_cours"
            )
            .exclude(transfers__isnull=False)
            .order_by("pk")
            .first()
        )
        receiving = _in_force("75", on)
        if advisor and receiving and conventions.convention_in_force(advisor.structure, on):
            transfer = services.transfer_start(
                user=admin,
                from_structure=advisor.structure,
                structure=receiving,
                posts=1,
                advisor=advisor,
                effective_on=on,
                motivation=SCHEDULED,
            )
            _decide(admin, transfer)
    if not PostTransfer.objects.filter(motivation=APPLIED).exists():
        waiting = PostTransfer.objects.filter(motivation=WAITING).values_list("from_structure", flat=True)
        giving = _with_vacant_post("75", today, exclude=list(waiting))
        receiving = _in_force("13", today)
        if giving and receiving:
            transfer = services.transfer_start(
                user=admin, from_structure=giving, structure=receiving, posts=1, effective_on=today, motivation=APPLIED
            )
            _decide(admin, transfer)
    counts = {
        status: PostTransfer.objects.filter(status=status).count()
        for status in ("avis_prefecture", "programmee", "validee")
    }
    return (
        f"{PostTransfer.objects.count()} transferts de postes ({counts['avis_prefecture']} chez le préfet, "
        f"{counts['programmee']} programmé(s), {counts['validee']} appliqué(s))"
    )
