"""Coordinators' activities created through the real service, with a trait per type (animation by default)."""

import uuid
from datetime import timedelta

import factory
from django.utils import timezone

from reporting.enums import CoordinationKind
from reporting.models import CoordinationActivity
from reporting.services.coordination import coordination_activity_create
from tests.directory.factories import AdvisorFactory


class CoordinationActivityFactory(factory.Factory):
    """A 2-hour working group with 6 advisors and 2 structures, recorded by a coordinator three days ago."""

    class Meta:
        model = CoordinationActivity

    coordinator = factory.SubFactory(AdvisorFactory, coordinator=True)
    kind = CoordinationKind.ANIMATION
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    duration = 120
    name = "Groupe de travail des conseillers"
    territorial_level = "departemental"
    notes = ""
    advisors_count = 6
    structures_count = 2
    other_actors_count = 0
    animation_type = "groupe_de_travail"
    animation_type_other = ""
    initiative = "initiative"
    animation_themes = factory.LazyFunction(lambda: ["partage"])
    animation_theme_other = ""
    participants = 0
    event_type = ""
    event_type_other = ""
    organisers = factory.LazyFunction(list)
    organiser_other = ""
    partnership_natures = factory.LazyFunction(list)
    partnership_nature_other = ""
    partner_structures = factory.LazyFunction(list)
    tags = factory.LazyFunction(list)

    class Params:
        event = factory.Trait(
            kind=CoordinationKind.EVENT,
            name="Fête du numérique",
            participants=40,
            event_type="grand_public",
            organisers=factory.LazyFunction(lambda: ["commune", "ma_structure"]),
        )
        partnership = factory.Trait(
            kind=CoordinationKind.PARTNERSHIP,
            name="Convention avec la médiathèque",
            partnership_natures=factory.LazyFunction(lambda: ["parcours_usager"]),
            partner_structures=factory.LazyFunction(lambda: [{"name": "Médiathèque Voltaire", "type": "commune"}]),
        )

    @classmethod
    def _create(cls, model_class, *args, coordinator, tags, **values):
        activity, _ = coordination_activity_create(
            coordinator=coordinator, values=values, token=uuid.uuid4(), tags=tags
        )
        return activity
