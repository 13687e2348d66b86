"""Factories for applications, candidates and recruitments, with traits for each step of the parcours."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.demo import demo_siret
from directory.enums import StructureType
from tests.territories.factories import commune
from workflows.enums import CandidateStatus, MaxDistance, StructureApplicationStatus
from workflows.models import AdvisorApplication, StructureApplication


class StructureApplicationFactory(DjangoModelFactory):
    """An application whose e-mail is not yet confirmed (use services to move it along)."""

    class Meta:
        model = StructureApplication

    siret = factory.Sequence(lambda n: demo_siret(700_000 + n))
    name = factory.Sequence(lambda n: f"Médiathèque n° {n}")
    type = StructureType.COMMUNE
    address = "3 place de la Mairie"
    commune = factory.LazyFunction(lambda: commune("75056"))
    contact_first_name = "Jeanne"
    contact_last_name = "Martin"
    contact_function = "Directrice"
    contact_email = factory.Sequence(lambda n: f"jeanne{n}@mediatheque.test")
    contact_phone = "0102030405"
    advisors_wanted = 2
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    motivation = "Nous voulons accompagner les habitants du quartier vers l'autonomie numérique."
    engagement = True
    status = StructureApplicationStatus.UNCONFIRMED

    class Params:
        in_marseille = factory.Trait(commune=factory.LazyFunction(lambda: commune("13055")))


class CandidateFactory(DjangoModelFactory):
    """A confirmed candidate in the pool, living in Paris."""

    class Meta:
        model = AdvisorApplication

    first_name = factory.Sequence(lambda n: f"Candidat{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.Sequence(lambda n: f"candidat{n}@perso.test")
    phone = "0612345678"
    commune = factory.LazyFunction(lambda: commune("75056"))
    latitude = factory.LazyAttribute(lambda o: o.commune.latitude)
    longitude = factory.LazyAttribute(lambda o: o.commune.longitude)
    is_job_seeker = True
    has_experience = True
    available_from = factory.LazyFunction(timezone.localdate)
    max_distance_km = MaxDistance.KM_20
    motivation = "J'aime transmettre et aider les autres avec le numérique."
    status = CandidateStatus.AVAILABLE
    email_confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        unconfirmed = factory.Trait(status=CandidateStatus.UNCONFIRMED, email_confirmed_at=None)
        in_marseille = factory.Trait(commune=factory.LazyFunction(lambda: commune("13055")))
        with_diploma = factory.Trait(has_diploma=True, diploma_name="Titre professionnel REMN")
