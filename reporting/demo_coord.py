"""Demo coordination activities: six animations, events and partnerships of the demo coordinator (idempotent)."""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from directory.demo import DEMO_DOMAIN
from directory.models import Advisor
from reporting.services.coordination import coordination_activity_create

NAMESPACE = uuid.UUID("5f0e9a3c-6b1d-4f7e-8a2c-0c9d1e2f3a4b")
COORDINATOR_EMAIL = f"coordinateur@{DEMO_DOMAIN}"

# (days ago, values): each one passes the service's rules, as a coordinator's own input would.
ACTIVITIES = [
    (
        3,
        {
            "kind": "animation",
            "name": "Réunion mensuelle des conseillers de l'équipe",
            "duration": 120,
            "territorial_level": "departemental",
            "advisors_count": 6,
            "structures_count": 4,
            "animation_type": "reunion_coordination",
            "initiative": "initiative",
            "animation_themes": ["partage", "soutien"],
        },
    ),
    (
        10,
        {
            "kind": "evenement",
            "name": "Fête du numérique à la médiathèque",
            "duration": 240,
            "territorial_level": "communal",
            "participants": 85,
            "event_type": "grand_public",
            "organisers": ["ma_structure", "commune"],
        },
    ),
    (
        17,
        {
            "kind": "partenariat",
            "name": "Parcours d'accompagnement avec la CAF",
            "duration": 90,
            "territorial_level": "departemental",
            "partnership_natures": ["parcours_usager"],
            "partner_structures": [
                {"name": "CAF de Paris", "type": "etat"},
                {"name": "Maison France services du 11e", "type": "commune"},
            ],
        },
    ),
    (
        31,
        {
            "kind": "animation",
            "name": "Webinaire : l'IA au quotidien",
            "duration": 60,
            "territorial_level": "regional",
            "advisors_count": 24,
            "other_actors_count": 3,
            "animation_type": "webinaire",
            "initiative": "demande",
            "animation_themes": ["professionnel"],
        },
    ),
    (
        45,
        {
            "kind": "evenement",
            "name": "Numérique en Commun[s] local",
            "duration": 420,
            "territorial_level": "regional",
            "participants": 140,
            "event_type": "nec_local",
            "organisers": ["hub", "region"],
        },
    ),
    (
        62,
        {
            "kind": "partenariat",
            "name": "Rendez-vous avec l'adjointe au numérique",
            "duration": 60,
            "territorial_level": "communal",
            "partnership_natures": ["rdv_elu", "subvention"],
            "partner_structures": [{"name": "Mairie du 11e arrondissement", "type": "commune"}],
        },
    ),
]


@transaction.atomic
def seed() -> str:
    """Record the demo coordinator's activities once (fixed tokens: a second run finds them and adds nothing)."""
    coordinator = Advisor.objects.filter(user__email=COORDINATOR_EMAIL, is_coordinator=True).first()
    if coordinator is None:
        return "Activités de coordination : pas de coordinateur de démonstration"
    today = timezone.localdate()
    created = 0
    for number, (days_ago, values) in enumerate(ACTIVITIES):
        _, new = coordination_activity_create(
            coordinator=coordinator,
            values={**values, "date": today - timedelta(days=days_ago)},
            token=uuid.uuid5(NAMESPACE, f"{COORDINATOR_EMAIL}:{number}"),
        )
        created += new
    return f"{created} activités de coordination ajoutées pour {coordinator.full_name}"
