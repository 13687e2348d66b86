"""Demo parcours: structure applications at each step (75, 13), ~30 candidates around Paris and Marseille,
recruitments at each step for the demo structure manager, and one end of contract. Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import roles
from directory import conventions
from directory.demo import DEMO_DOMAIN, FIRST_NAMES, LAST_NAMES, PERSONAS, demo_siret
from directory.enums import AdvisorStatus, ConventionEventKind, StructureType
from directory.models import Advisor
from territories.models import Commune
from workflows import services
from workflows.enums import (
    CandidateStatus,
    ContractType,
    Kind,
    MaxDistance,
    Step,
    StructureApplicationStatus,
)
from workflows.models import AdvisorApplication, Recruitment, Rupture, StructureApplication, WorkItem

User = get_user_model()

# (department, name, target step)
APPLICATIONS = [
    ("75", "Bibliothèque Marguerite Duras", "unconfirmed"),
    ("75", "Centre social Belleville Solidaire", "prefecture"),
    ("75", "Régie de quartier Paris Nord-Est", "prefecture"),
    ("75", "Association Clic'Seniors Paris 15", "hub"),
    ("75", "Maison des associations du 20e", "overdue"),
    ("75", "Espace numérique Goutte d'Or", "refused"),
    ("13", "Centre social Saint-Mauront", "prefecture"),
    ("13", "Association Provence Connectée", "hub"),
]
CANDIDATE_DEPARTMENTS = {"75": 10, "92": 4, "93": 4, "94": 2, "13": 10}
RECRUITMENT_STEPS = ["preselected", "prefecture", "hub", "training", "deployment"]


def _persona(index: int):
    user = User.objects.get(email=PERSONAS[index].email)
    roles.forget_active_membership(user)
    return user


def _item(kind, subject_id, step):
    return services.open_work_item(kind, subject_id, step)


def _seed_applications(prefecture75, hub_idf) -> None:
    for index, (department, name, target) in enumerate(APPLICATIONS):
        siret = demo_siret(800_000 + index)
        if StructureApplication.objects.filter(siret=siret).exists():
            continue
        commune = Commune.objects.filter(department_id=department).order_by("-population", "code").first()
        application = services.structure_application_submit(
            data={
                "siret": siret,
                "name": name,
                "type": StructureType.PRIVATE if "Association" in name else StructureType.COMMUNE,
                "address": f"{10 + index} rue de la Solidarité",
                "commune": commune,
                "contact_first_name": FIRST_NAMES[index],
                "contact_last_name": LAST_NAMES[index],
                "contact_function": "Responsable de l'inclusion numérique",
                "contact_email": f"candidature.structure{index}@{DEMO_DOMAIN}",
                "contact_phone": f"+331{index:08d}"[:12],
                "advisors_wanted": 1 + index % 3,
                "start_date": timezone.localdate() + datetime.timedelta(days=30 + index),
                "candidate_identified": index % 2 == 0,
                "motivation": "Nous accueillons chaque semaine des habitants qui ne parviennent plus à faire leurs "
                "démarches en ligne. Un conseiller numérique nous permettrait d'organiser des ateliers réguliers.",
                "engagement": True,
            }
        )
        if target == "unconfirmed":
            continue
        services.structure_application_confirm(application_id=application.pk)
        if target == "overdue":
            WorkItem.objects.open().filter(kind=Kind.STRUCTURE, subject_id=application.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=20),
                due_at=timezone.now() - datetime.timedelta(days=5),
            )
            continue
        if target in ("hub", "refused") and department == "75":
            services.structure_prefecture_review(
                work_item=_item(Kind.STRUCTURE, application.pk, Step.STRUCTURE_PREFECTURE),
                user=prefecture75,
                opinion="favorable" if target == "hub" else "defavorable",
                internal_note="Structure bien implantée dans le quartier, besoin confirmé par la mairie."
                if target == "hub"
                else "Le besoin est déjà couvert par deux conseillers dans l'arrondissement.",
            )
        if target == "refused":
            services.structure_hub_decide(
                work_item=_item(Kind.STRUCTURE, application.pk, Step.STRUCTURE_HUB),
                user=hub_idf,
                decision="refuser",
                reason="besoin_non_justifie",
                message_to_applicant="Deux conseillers sont déjà en poste à moins de 500 mètres.",
                internal_note="Vu avec la préfecture : besoin déjà couvert.",
            )
        if target == "hub" and department == "13":
            # No demo agent for the 13 prefecture's opinion: the national admin gives it.
            admin = _persona(0)
            services.structure_prefecture_review(
                work_item=_item(Kind.STRUCTURE, application.pk, Step.STRUCTURE_PREFECTURE),
                user=admin,
                opinion="favorable",
                internal_note="Avis favorable : quartier prioritaire sans autre lieu de médiation numérique.",
            )


def _seed_candidates() -> list[AdvisorApplication]:
    candidates = []
    number = 0
    for department, count in CANDIDATE_DEPARTMENTS.items():
        communes = list(Commune.objects.filter(department_id=department).order_by("-population", "code")[:count])
        for offset in range(count):
            number += 1
            email = f"candidat{number}@{DEMO_DOMAIN}"
            candidate = AdvisorApplication.objects.filter(email=email).first()
            if candidate is None:
                commune = communes[offset % len(communes)]
                candidate = AdvisorApplication.objects.create(
                    first_name=FIRST_NAMES[(number * 3) % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(number * 5) % len(LAST_NAMES)],
                    email=email,
                    phone=f"+336{number:08d}"[:12],
                    commune=commune,
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    is_job_seeker=number % 2 == 0,
                    is_employed=number % 3 == 0,
                    is_in_training=number % 5 == 0,
                    has_diploma=number % 4 == 0,
                    diploma_name="Titre professionnel Responsable d'espace de médiation numérique"
                    if number % 4 == 0
                    else "",
                    has_experience=number % 3 != 1,
                    available_from=timezone.localdate() + datetime.timedelta(days=number % 20),
                    max_distance_km=[MaxDistance.KM_10, MaxDistance.KM_20, MaxDistance.KM_40][number % 3],
                    motivation="Passionné(e) par le numérique et l'accompagnement, je souhaite aider les habitants "
                    "à gagner en autonomie.",
                    status=CandidateStatus.AVAILABLE,
                    email_confirmed_at=timezone.now(),
                )
            candidates.append(candidate)
    return candidates


def _seed_recruitments(manager, prefecture75, hub_idf, candidates) -> None:
    structure = roles.active_membership(manager).structure
    active = Advisor.objects.filter(structure=structure, status=AdvisorStatus.ACTIVE).count()
    wanted_posts = active + len(RECRUITMENT_STEPS) + 2
    if structure.posts_granted < wanted_posts:
        # More posts by a dated avenant of the demo structure's convention (the cached count follows).
        conventions.convention_record(
            convention=conventions.current_convention(structure),
            kind=ConventionEventKind.POSTS_ADDED,
            delta=wanted_posts - structure.posts_granted,
            effective_on=timezone.localdate(),
            comment="Postes de démonstration",
        )
        structure.refresh_from_db()
    if Recruitment.objects.filter(structure=structure).exists():
        return
    paris = [c for c in candidates if c.department_id == "75" and c.status == CandidateStatus.AVAILABLE]
    today = timezone.localdate()
    for index, target in enumerate(RECRUITMENT_STEPS):
        recruitment = services.recruitment_preselect(candidate=paris[index], user=manager)
        if target == "preselected":
            continue
        services.recruitment_propose_contract(
            work_item=_item(Kind.RECRUITMENT, recruitment.pk, Step.RECRUITMENT_CONTRACT),
            user=manager,
            contract_type=ContractType.CDD if index % 2 else ContractType.CDI,
            contract_start=today + datetime.timedelta(days=15),
            contract_end=today + datetime.timedelta(days=15 + 730) if index % 2 else None,
            salary=2100,
        )
        if target == "prefecture":
            continue
        services.recruitment_prefecture_review(
            work_item=_item(Kind.RECRUITMENT, recruitment.pk, Step.RECRUITMENT_PREFECTURE),
            user=prefecture75,
            opinion="favorable",
            internal_note="Profil adapté, contrat conforme aux règles du dispositif.",
        )
        if target == "hub":
            continue
        services.recruitment_hub_decide(
            work_item=_item(Kind.RECRUITMENT, recruitment.pk, Step.RECRUITMENT_HUB), user=hub_idf, decision="valider"
        )
        if target == "training":
            continue
        services.recruitment_record_training(
            work_item=_item(Kind.RECRUITMENT, recruitment.pk, Step.RECRUITMENT_TRAINING),
            user=hub_idf,
            # The hub validated just above: a training cannot start before (nor end after the contract).
            session_start=today,
            session_end=today,
            completed=True,
            certified=True,
        )


def _seed_rupture(manager) -> None:
    structure = roles.active_membership(manager).structure
    if Rupture.objects.filter(structure=structure).exists():
        return
    advisor = (
        Advisor.objects.filter(structure=structure, status=AdvisorStatus.ACTIVE, user__isnull=True)
        .order_by("-pk")
        .first()
    )
    if advisor is None:
        return
    services.rupture_notify(
        advisor=advisor,
        user=manager,
        end_date=timezone.localdate() + datetime.timedelta(days=30),
        motive="demission",
        comment="Démission pour une autre opportunité professionnelle.",
    )


@transaction.atomic
def seed() -> str:
    """Create the demo parcours once; running it again changes nothing."""
    prefecture75, hub_idf, manager = _persona(1), _persona(3), _persona(4)
    _seed_applications(prefecture75, hub_idf)
    candidates = _seed_candidates()
    _seed_recruitments(manager, prefecture75, hub_idf, candidates)
    _seed_rupture(manager)
    in_progress = Recruitment.objects.in_progress().count()
    return (
        f"{StructureApplication.objects.count()} candidatures de structures "
        f"({StructureApplication.objects.filter(status=StructureApplicationStatus.PREFECTURE_REVIEW).count()} "
        f"chez le préfet), {AdvisorApplication.objects.count()} candidats, {Recruitment.objects.count()} "
        f"recrutements ({in_progress} contrats en cours d'examen), {Rupture.objects.count()} fin(s) de contrat, "
        f"{WorkItem.objects.open().count()} tâches ouvertes"
    )
