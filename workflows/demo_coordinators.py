"""Demo coordinator posts, for Paris (75) and Marseille (13): one request waiting for the prefecture, one ranked and
waiting for the national decision, one granted with its coordinator designated and her team. Idempotent: a
department that already has coordinator requests is left as it is."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import roles
from accounts.enums import Role
from accounts.models import Membership
from accounts.services import membership_grant
from directory import conventions
from directory.demo import DEMO_DOMAIN, PERSONAS
from directory.enums import AdvisorStatus, StructureStatus
from directory.models import Advisor, Structure
from territories.models import Department
from workflows import services
from workflows.enums import OPEN_RUPTURE_STATUSES, Kind, Step
from workflows.models import CoordinatorRequest, Rupture

User = get_user_model()

# department: (prefecture persona index, territory, motivation)
DEPARTMENTS = {
    "75": (1, "Les arrondissements de l'est parisien (11e, 12e, 19e, 20e)"),
    "13": (2, "Marseille et la métropole Aix-Marseille-Provence"),
}
MOTIVATION = (
    "Nos conseillers numériques travaillent chacun de leur côté : un coordinateur animerait le réseau, partagerait "
    "les outils et ferait le lien avec les partenaires du territoire (France Services, CCAS, médiathèques)."
)


def _persona(index: int):
    user = User.objects.get(email=PERSONAS[index].email)
    roles.forget_active_membership(user)
    return user


def _manager(structure, persona_manager):
    """The demo structure manager of `structure`: the persona when it manages it, else a demo account."""
    if roles.active_membership(persona_manager).structure_id == structure.pk:
        return persona_manager
    user, _ = User.objects.get_or_create(
        email=f"coordination.structure{structure.pk}@{DEMO_DOMAIN}",
        defaults={"first_name": "Gestionnaire", "last_name": structure.name[:100]},
    )
    if not Membership.objects.active().filter(user=user, role=Role.STRUCTURE_MANAGER, structure=structure).exists():
        membership_grant(user=user, role=Role.STRUCTURE_MANAGER, granted_by=None, structure=structure)
    roles.forget_active_membership(user)
    return user


def _free_advisors(structure):
    """Active advisors of the structure who are neither coordinators nor leaving."""
    leaving = Rupture.objects.filter(status__in=OPEN_RUPTURE_STATUSES).values("advisor")
    return (
        Advisor.objects.filter(structure=structure, status=AdvisorStatus.ACTIVE, is_coordinator=False)
        .exclude(pk__in=leaving)
        .order_by("pk")
    )


def _structures(department_code: str, first=None) -> list[Structure]:
    """Three validated structures of the department with a convention in force and an advisor free to coordinate
    (`first` first when it qualifies)."""
    candidates = Structure.objects.filter(department=department_code, status=StructureStatus.VALIDATED).order_by("pk")
    chosen = []
    for structure in ([first] if first is not None else []) + list(candidates):
        if structure in chosen or structure.department_id != department_code:
            continue
        if conventions.convention_in_force(structure) is None or not _free_advisors(structure).exists():
            continue
        chosen.append(structure)
        if len(chosen) == 3:
            break
    return chosen


def _seed_department(department_code, prefecture, national, persona_manager) -> int:
    if CoordinatorRequest.objects.filter(department=department_code).exists():
        return 0
    _, territory = DEPARTMENTS[department_code]
    first = roles.active_membership(persona_manager).structure
    structures = _structures(department_code, first=first)
    if len(structures) < 3:
        return 0
    department = Department.objects.get(pk=department_code)
    requests = []
    for index, structure in enumerate(structures):
        requests.append(
            services.coordinator_request_submit(
                user=_manager(structure, persona_manager),
                coordination_type="FT" if index % 2 == 0 else "PT",
                territory=territory,
                covered_departments=[department],
                motivation=MOTIVATION,
            )
        )
    granted, ranked, _waiting = requests
    for rank, coordinator_request in ((2, granted), (1, ranked)):
        services.coordinator_prefecture_review(
            work_item=services.open_work_item(Kind.COORDINATOR, coordinator_request.pk, Step.COORDINATOR_PREFECTURE),
            user=prefecture,
            opinion="favorable",
            rank=rank,
            internal_note="Territoire prioritaire : beaucoup de conseillers isolés, besoin d'animation.",
        )
    services.coordinator_decide(
        work_item=services.open_work_item(Kind.COORDINATOR, granted.pk, Step.COORDINATOR_DECISION),
        user=national,
        decision="accorder",
        message_to_applicant="Poste accordé : désignez votre coordinateur depuis votre espace.",
    )
    structure = structures[0]
    coordinator = _free_advisors(structure).first()
    services.coordinator_designate(
        work_item=services.open_work_item(Kind.COORDINATOR, granted.pk, Step.COORDINATOR_DESIGNATION),
        user=_manager(structure, persona_manager),
        advisor=coordinator,
    )
    team = list(
        Advisor.objects.filter(structure__department=department_code, status=AdvisorStatus.ACTIVE)
        .exclude(pk=coordinator.pk)
        .order_by("pk")[:4]
    )
    services.coordinator_team_set(coordinator=coordinator, user=national, advisors=team, departments=[])
    services.coordinator_team_set(coordinator=coordinator, user=national, advisors=team[:3], departments=[department])
    return len(requests)


@transaction.atomic
def seed() -> str:
    """Create the demo coordinator requests once; running it again changes nothing."""
    national, persona_manager = _persona(0), _persona(4)
    created = 0
    for department_code, (prefecture_index, _) in DEPARTMENTS.items():
        created += _seed_department(department_code, _persona(prefecture_index), national, persona_manager)
    return (
        f"{CoordinatorRequest.objects.count()} demandes de postes de coordinateur ({created} créées), "
        f"{Advisor.objects.filter(is_coordinator=True).count()} coordinateurs"
    )
