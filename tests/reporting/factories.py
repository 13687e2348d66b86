"""Activity reports created through the real service (so the rollups stay exact), with traits for usual situations."""

import uuid
from datetime import timedelta

import factory
from django.utils import timezone

from reporting import services
from reporting.counters import MATERIAL_BITS, PROCEDURE_BITS, THEME_BITS, to_mask
from reporting.enums import ActivityKind, PlaceType
from reporting.models import Activity, Tool
from tests.directory.factories import AdvisorFactory


def breakdown(participants: int, **counts) -> dict:
    """Breakdown columns for `participants` people: the given counts, the rest « non communiqué »."""
    values = {}
    for group, unknown in (
        ("gender", "gender_non_communique"),
        ("age", "age_non_communique"),
        ("status", "status_non_communique"),
    ):
        given = {name: count for name, count in counts.items() if name.startswith(f"{group}_")}
        values.update(given)
        values[unknown] = participants - sum(given.values())
    return values


class ActivityFactory(factory.Factory):
    """An individual accompaniment of 45 minutes at the advisor's first place, recorded through the service."""

    class Meta:
        model = Activity

    advisor = factory.SubFactory(AdvisorFactory)
    kind = ActivityKind.INDIVIDUAL
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    duration = 45
    place_type = PlaceType.ACTIVITY_PLACE
    place = factory.LazyAttribute(lambda o: o.advisor.places.first())
    commune = None
    themes = factory.LazyFunction(lambda: to_mask(["navigation_sur_internet"], THEME_BITS))
    procedures = 0
    materials = factory.LazyFunction(lambda: to_mask(["ordinateur"], MATERIAL_BITS))
    autonomy = ""
    redirected = None
    redirection_structure = ""
    title = ""
    level = ""
    participants = 1
    already_accompanied = 0
    notes = ""
    counts = factory.LazyFunction(dict)

    class Params:
        collective = factory.Trait(
            kind=ActivityKind.COLLECTIVE, participants=8, title="Atelier découverte de la tablette", duration=120
        )
        remote = factory.Trait(place_type=PlaceType.REMOTE, place=None)
        administrative = factory.Trait(
            themes=factory.LazyFunction(lambda: to_mask(["aide_aux_demarches_administratives"], THEME_BITS)),
            procedures=factory.LazyFunction(lambda: to_mask(["social_sante"], PROCEDURE_BITS)),
        )

    @classmethod
    def _create(cls, model_class, *args, advisor, counts, **values):
        if values["place_type"] != PlaceType.ACTIVITY_PLACE:
            values["place"] = None
        values.update(breakdown(values["participants"], **counts))
        activity, _ = services.activity_create(advisor=advisor, values=values, token=uuid.uuid4())
        return activity

    @classmethod
    def _build(cls, model_class, *args, counts, **values):
        values.update(breakdown(values["participants"], **counts))
        return model_class(*args, **values)


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool

    title = factory.Sequence(lambda n: f"Outil {n}")
    description = "Un outil du dispositif."
    url = factory.Sequence(lambda n: f"https://outil{n}.exemple.gouv.fr/")
    order = factory.Sequence(int)
