"""Factories for hubs, structures, advisors and places, with traits for business situations."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory import conventions
from directory.demo import demo_siret
from directory.enums import AdvisorStatus, ContractType, StructureStatus, StructureType
from directory.models import Advisor, Hub, Place, PlaceAssignment, Structure
from tests.territories.factories import commune


class HubFactory(DjangoModelFactory):
    class Meta:
        model = Hub
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True  # the departments hook saves what it changes

    name = factory.Sequence(lambda n: f"Hub {n}")
    slug = factory.Sequence(lambda n: f"hub-{n}")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    siret = factory.Sequence(lambda n: demo_siret(500_000 + n))
    name = factory.Sequence(lambda n: f"Structure {n}")
    type = StructureType.COMMUNE
    status = StructureStatus.VALIDATED
    commune = factory.LazyFunction(lambda: commune("75056"))
    postal_code = "75001"
    address = "1 rue de Rivoli"
    contact_first_name = "Jeanne"
    contact_last_name = "Contact"
    contact_email = factory.Sequence(lambda n: f"contact{n}@structure.test")
    posts_granted = 3

    class Params:
        in_marseille = factory.Trait(commune=factory.LazyFunction(lambda: commune("13055")), postal_code="13001")
        just_applied = factory.Trait(status=StructureStatus.CREATED, posts_granted=0)
        private = factory.Trait(type=StructureType.PRIVATE)


class AdvisorFactory(DjangoModelFactory):
    class Meta:
        model = Advisor

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.Sequence(lambda n: f"conseiller{n}@perso.test")
    professional_email = factory.Sequence(lambda n: f"conseiller{n}@conseiller-numerique.fr")
    structure = factory.SubFactory(StructureFactory)
    status = AdvisorStatus.ACTIVE

    class Params:
        coordinator = factory.Trait(is_coordinator=True)
        ended = factory.Trait(status=AdvisorStatus.ENDED)
        hidden_from_map = factory.Trait(show_on_map=False)


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Lieu {n}")
    address = "2 place de la Mairie"
    structure = factory.SubFactory(StructureFactory)
    commune = factory.SelfAttribute("structure.commune")
    postal_code = factory.SelfAttribute("structure.postal_code")
    latitude = factory.SelfAttribute("commune.latitude")
    longitude = factory.SelfAttribute("commune.longitude")
    access_types = factory.LazyFunction(lambda: ["libre"])


class PlaceAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = PlaceAssignment

    place = factory.SubFactory(PlaceFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    is_principal = False


def convention_for(structure, *, posts=None, start=None, end=None):
    """A convention in force for `structure` (from a year ago by default) granting its current posts."""
    start = start or timezone.localdate() - timedelta(days=365)
    return conventions.convention_open(
        structure=structure, start=start, end=end, posts=structure.posts_granted if posts is None else posts
    )


def contract_for(advisor, *, contract_type=ContractType.CDI, start=None, end=None, salary=2100, convention=None):
    """An active contract of `advisor` with her structure."""
    return conventions.contract_open(
        advisor=advisor,
        structure=advisor.structure,
        contract_type=contract_type,
        start=start or timezone.localdate() - timedelta(days=200),
        end=end,
        salary=salary,
        convention=convention,
    )
