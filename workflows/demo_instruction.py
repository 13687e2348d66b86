"""Demo of instruction at volume (issue 14): a selection committee for the hub Francil-in (24 structure applications
of Paris and the Hauts-de-Seine waiting for its validation, most with a favourable opinion, some labelled, one
annotated, and the hub's saved view of them), and a correction request from the Paris prefecture on the demo
structure's own avenant, waiting for her answer. Idempotent: the committee's applications are created once; labels,
note, view and request only when absent."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import roles
from directory.demo import DEMO_DOMAIN, PERSONAS, demo_siret
from directory.enums import StructureType
from territories.models import Commune
from workflows import services
from workflows.enums import Kind, Party, PostRequestType, RequestStatus, Step
from workflows.models import (
    Annotation,
    CorrectionRequest,
    DossierLabel,
    PostRequest,
    SavedView,
    StructureApplication,
)
from workflows.services.annotations import annotation_add
from workflows.services.labels import dossier_label_add
from workflows.services.saved_views import saved_view_create
from workflows.services.threads import message_post

User = get_user_model()

COMMITTEE = 24
SIRET_BASE = 810_000
PLACES = ["Médiathèque", "Centre social", "Maison France services", "Association", "Espace de vie sociale", "Mairie"]
TOWNS = {"75": "Paris", "92": "Hauts-de-Seine"}


def _persona(index: int):
    user = User.objects.get(email=PERSONAS[index].email)
    roles.forget_active_membership(user)
    return user


def _seed_committee(prefecture75, admin, hub_idf) -> list[StructureApplication]:
    """The applications of the committee, brought to the hub's step through the services."""
    applications = []
    for index in range(COMMITTEE):
        siret = demo_siret(SIRET_BASE + index)
        existing = StructureApplication.objects.filter(siret=siret).first()
        if existing is not None:
            applications.append(existing)
            continue
        department = "75" if index % 3 else "92"
        commune = Commune.objects.filter(department_id=department).order_by("-population", "code")[index % 5]
        application = services.structure_application_submit(
            data={
                "siret": siret,
                "name": f"{PLACES[index % len(PLACES)]} {commune.name} n° {index + 1}",
                "type": StructureType.PRIVATE
                if PLACES[index % len(PLACES)] == "Association"
                else StructureType.COMMUNE,
                "address": f"{3 + index} avenue de la République",
                "commune": commune,
                "contact_first_name": "Camille",
                "contact_last_name": f"Comité {index + 1}",
                "contact_function": "Chargée de mission inclusion numérique",
                "contact_email": f"comite.structure{index}@{DEMO_DOMAIN}",
                "contact_phone": f"+331{40000000 + index:08d}",
                "advisors_wanted": 1 + index % 3,
                "start_date": timezone.localdate() + datetime.timedelta(days=45),
                "candidate_identified": False,
                "motivation": "Nos permanences numériques sont complètes : un conseiller nous permettrait d'ouvrir "
                "des ateliers collectifs pour les habitants qui n'arrivent plus à faire leurs démarches en ligne.",
                "engagement": True,
            }
        )
        services.structure_application_confirm(application_id=application.pk)
        favourable = index % 8 != 7  # three of the 24 come with an unfavourable opinion: not for bulk validation
        services.structure_prefecture_review(
            work_item=services.open_work_item(Kind.STRUCTURE, application.pk, Step.STRUCTURE_PREFECTURE),
            # No demo agent for the 92 prefecture: the national admin gives its opinion.
            user=prefecture75 if department == "75" else admin,
            opinion="favorable" if favourable else "defavorable",
            internal_note="Besoin confirmé par la commune, locaux disponibles."
            if favourable
            else "Le territoire compte déjà deux conseillers à proximité.",
        )
        application.refresh_from_db()
        applications.append(application)
    return applications


def _seed_follow_up(applications, hub_idf) -> None:
    """The hub's labels and one private note on the committee's applications."""
    if DossierLabel.objects.filter(kind=Kind.STRUCTURE, subject_id__in=[a.pk for a in applications]).exists():
        return
    for application in applications[:10]:
        dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="Comité de janvier", user=hub_idf)
    for application in applications[10:12]:
        dossier_label_add(kind=Kind.STRUCTURE, subject_id=application.pk, name="À revoir", user=hub_idf)
    if not Annotation.objects.filter(kind=Kind.STRUCTURE, subject_id=applications[10].pk).exists():
        annotation_add(
            kind=Kind.STRUCTURE,
            subject_id=applications[10].pk,
            body="Appeler la mairie avant le comité : le local ne sera libre qu'en mars.",
            user=hub_idf,
        )


def _seed_saved_view(hub_idf) -> None:
    """The hub's view of the committee: favourable opinions at its validation, oldest first."""
    if not SavedView.objects.filter(user=hub_idf).exists():
        saved_view_create(
            user=hub_idf,
            list_name="queue",
            name="Comité : avis favorables",
            query=f"step={Step.STRUCTURE_HUB}&opinion=favorable&tri=recue",
        )


def _seed_correction(prefecture75) -> None:
    """The Paris prefecture asks the demo structure to complete its avenant: the deadline waits for her answer."""
    avenant = (
        PostRequest.objects.filter(
            type=PostRequestType.ADD,
            status=RequestStatus.PREFECTURE_REVIEW,
            department_id="75",
        )
        .order_by("pk")
        .first()
    )
    if avenant is None or CorrectionRequest.objects.filter(kind=Kind.POST_REQUEST, subject_id=avenant.pk).exists():
        return
    message_post(
        kind=Kind.POST_REQUEST,
        subject_id=avenant.pk,
        party=Party.STRUCTURE,
        body="Bonjour, pouvez-vous joindre la délibération de votre conseil d'administration qui approuve ce poste "
        "supplémentaire ? Le délai d'instruction est suspendu jusqu'à votre réponse.",
        correction=True,
        user=prefecture75,
    )


def seed() -> str:
    """Create the committee, its labels and note, and the correction request once."""
    admin, prefecture75, hub_idf = _persona(0), _persona(1), _persona(3)
    applications = _seed_committee(prefecture75, admin, hub_idf)
    _seed_follow_up(applications, hub_idf)
    _seed_saved_view(hub_idf)
    _seed_correction(prefecture75)
    waiting = sum(1 for a in applications if services.open_work_item(Kind.STRUCTURE, a.pk, Step.STRUCTURE_HUB))
    return f"comité de sélection : {waiting} candidature(s) à valider par le hub, 1 demande de correction"
