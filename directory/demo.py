"""Demo slice of the network: three regions, ~40 structures, ~150 advisors, places, one persona per role."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import DEMO_DOMAIN
from accounts.enums import Role
from accounts.models import Membership
from directory import conventions
from directory.enums import (
    AccessType,
    AdvisorStatus,
    ContractEndReason,
    ContractType,
    DayPart,
    StructureStatus,
    StructureType,
    Weekday,
)
from directory.models import Advisor, Hub, Place, PlaceAssignment, Structure
from directory.validators import luhn_valid
from territories.models import Commune, Department

DEMO_PASSWORD = "demo-cnum-2026"
REGIONS = {"11": 16, "93": 14, "32": 10}  # region code → number of structures

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Emma",
    "Lucie",
    "Nadia",
    "Fatou",
    "Aïcha",
    "Sophie",
    "Claire",
    "Anaïs",
    "Mélissa",
    "Yasmine",
    "Laura",
    "Élodie",
    "Hélène",
    "Thomas",
    "Lucas",
    "Hugo",
    "Nathan",
    "Karim",
    "Mehdi",
    "Julien",
    "Nicolas",
    "Antoine",
    "Maxime",
    "Romain",
    "Samir",
    "Yanis",
    "Théo",
    "Bastien",
    "Mamadou",
    "Olivier",
    "Pierre",
    "Louis",
    "Adrien",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Benali",
    "Diallo",
    "Nguyen",
    "Haddad",
    "Traoré",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
]
STRUCTURE_KINDS = [
    (StructureType.COMMUNE, "Mairie de {commune}"),
    (StructureType.COMMUNE, "CCAS de {commune}"),
    (StructureType.COMMUNE, "Médiathèque municipale de {commune}"),
    (StructureType.EPCI, "Communauté d'agglomération de {commune}"),
    (StructureType.PRIVATE, "Centre social et culturel de {commune}"),
    (StructureType.PRIVATE, "Association Connexions solidaires {commune}"),
    (StructureType.PRIVATE, "Espace de vie sociale {commune}"),
    (StructureType.GIP, "GIP Maison de l'emploi de {commune}"),
]
STREETS = ["rue de la République", "avenue Jean Jaurès", "place de la Mairie", "rue Victor Hugo", "boulevard Pasteur"]


@dataclass(frozen=True)
class Persona:
    """A demo login, printed by `make run` and listed in the README."""

    email: str
    label: str


PERSONAS = [
    Persona(f"admin@{DEMO_DOMAIN}", "Administratrice nationale (ANCT), aussi éditrice et modératrice du site"),
    Persona(f"prefecture75@{DEMO_DOMAIN}", "Agent de la préfecture de Paris (75)"),
    Persona(f"prefecture13@{DEMO_DOMAIN}", "Agent de la préfecture des Bouches-du-Rhône (13)"),
    Persona(f"hub.idf@{DEMO_DOMAIN}", "Agent du hub Francil-in (Île-de-France)"),
    Persona(f"structure@{DEMO_DOMAIN}", "Gestionnaire d'une structure parisienne"),
    Persona(f"conseiller@{DEMO_DOMAIN}", "Conseillère numérique à Paris"),
    Persona(f"coordinateur@{DEMO_DOMAIN}", "Coordinateur d'une équipe parisienne"),
    Persona(f"editeur@{DEMO_DOMAIN}", "Éditeur du site"),
]


def demo_siret(index: int) -> str:
    """A deterministic SIRET for the demo structure number `index` (< 10⁷), its SIREN and SIRET keys both right."""
    siren = _with_luhn_key(f"9{index:07d}")  # a fictitious SIREN range
    return _with_luhn_key(f"{siren}0001")  # establishment 0001


def _with_luhn_key(digits: str) -> str:
    for key in range(10):
        if luhn_valid(f"{digits}{key}"):
            return f"{digits}{key}"
    raise AssertionError("unreachable: one key digit always satisfies Luhn")


def _opening_hours(rng: random.Random) -> dict:
    hours = {}
    for day in Weekday:
        open_day = day not in (Weekday.SATURDAY, Weekday.SUNDAY) or rng.random() < 0.2
        hours[day.value] = {
            DayPart.MORNING.value: ["09:00", "12:30"] if open_day else None,
            DayPart.AFTERNOON.value: ["13:30", "17:30"] if open_day and rng.random() < 0.8 else None,
        }
    return hours


def _communes_for_region(region_code: str, count: int) -> list[Commune]:
    """The most populated communes of a region, Paris and Marseille first when present."""
    communes = list(
        Commune.objects.filter(department__region_id=region_code).order_by("-population", "code")[: count * 2]
    )
    return communes[:count]


def _user(email: str, first_name: str, last_name: str):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _grant(user, role: str, **scope) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, role=role, revoked_at=None, **scope)
    if user.active_membership_id is None:
        user.active_membership = membership
        user.save(update_fields=["active_membership"])
    if role == Role.NATIONAL and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


def _seed_structures(rng: random.Random) -> list[Structure]:
    structures = []
    index = 0
    for region_code, count in REGIONS.items():
        for commune in _communes_for_region(region_code, count):
            index += 1
            kind, pattern = STRUCTURE_KINDS[index % len(STRUCTURE_KINDS)]
            if index % 13 == 0:
                status = StructureStatus.CREATED
            elif index % 17 == 0:
                status = StructureStatus.REFUSED
            else:
                status = StructureStatus.VALIDATED
            validated = status == StructureStatus.VALIDATED
            contact_first, contact_last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            demo_posts = (3 + index % 4) if validated else 0
            values = {
                "name": pattern.format(commune=commune.name),
                "type": kind,
                "status": status,
                "address": f"{1 + index % 40} {STREETS[index % len(STREETS)]}",
                "postal_code": commune.main_postal_code,
                "commune": commune,
                "latitude": commune.latitude,
                "longitude": commune.longitude,
                "contact_first_name": contact_first,
                "contact_last_name": contact_last,
                "contact_function": "Responsable de l'inclusion numérique",
                "contact_email": f"contact.structure{index}@{DEMO_DOMAIN}",
                "contact_phone": f"+331{index:08d}"[:12],
                "qpv": index % 4 == 0,
                "zrr": region_code == "32" and index % 3 == 0,
                "france_services_label": index % 5 == 0,
                "validated_at": timezone.now() if validated else None,
            }
            structure, _ = Structure.objects.update_or_create(
                siret=demo_siret(index),
                defaults=values,
                # The posts only at creation: afterwards they are the convention's (avenants, transfers change them).
                create_defaults={**values, "posts_granted": demo_posts},
            )
            structure.demo_posts = demo_posts  # the advisors seeded, the same run after run
            structures.append(structure)
    return structures


def _seed_advisors_and_places(rng: random.Random, structures: list[Structure]) -> None:
    advisor_index = 0
    for structure in structures:
        if structure.status != StructureStatus.VALIDATED:
            continue
        places = []
        for place_number in range(1 + structure.pk % 2):
            place, _ = Place.objects.update_or_create(
                structure=structure,
                name=f"{structure.name} — {'accueil principal' if place_number == 0 else 'permanence'}",
                defaults={
                    "address": structure.address if place_number == 0 else f"{place_number + 2} place du Marché",
                    "postal_code": structure.postal_code,
                    "commune": structure.commune,
                    "latitude": structure.latitude,
                    "longitude": structure.longitude,
                    "opening_hours": _opening_hours(rng),
                    "access_types": [AccessType.FREE] if place_number == 0 else [AccessType.APPOINTMENT],
                    "is_public": True,
                    "itinerant": place_number == 1 and structure.pk % 3 == 0,
                    "phone": structure.contact_phone,
                },
            )
            places.append(place)
        for _ in range(structure.demo_posts):
            advisor_index += 1
            first, last = (
                FIRST_NAMES[advisor_index % len(FIRST_NAMES)],
                LAST_NAMES[(advisor_index * 7) % len(LAST_NAMES)],
            )
            ended = advisor_index % 15 == 0
            advisor, _ = Advisor.objects.update_or_create(
                email=f"conseiller{advisor_index}@{DEMO_DOMAIN}",
                defaults={
                    "first_name": first,
                    "last_name": last,
                    # ASCII: the profile form (Django's EmailValidator) refuses accented local parts (« élodie@ »).
                    "professional_email": f"{slugify(first)}.{slugify(last)}{advisor_index}@conseiller-numerique.fr",
                    "professional_phone": f"+336{advisor_index:08d}"[:12],
                    "structure": structure,
                    "status": AdvisorStatus.ENDED if ended else AdvisorStatus.ACTIVE,
                    "started_at": timezone.localdate() - timedelta(days=365 * (1 + advisor_index % 3)),
                    "certified": advisor_index % 4 != 0,
                    "show_on_map": advisor_index % 6 != 0,
                },
            )
            if ended:
                PlaceAssignment.objects.filter(advisor=advisor).delete()
                continue
            principal = places[advisor_index % len(places)]
            PlaceAssignment.objects.update_or_create(place=principal, advisor=advisor, defaults={"is_principal": True})


# Months left on the demo conventions, in turn within each department: its first one ends within 3 months (renewal
# notice sent), its second within 6, and so on.
CONVENTION_MONTHS_LEFT = [2, 5, 8, 14, 20, 26]
# Days left on the demo fixed-term contracts, in turn: the capacity view shows contracts ending within 3 and 6 months.
CONTRACT_DAYS_LEFT = [45, 120, 250, 400, 600]


def _seed_conventions_and_contracts(structures: list[Structure]) -> None:
    """One convention per validated structure (ending at staggered dates) and one contract per advisor."""
    today = timezone.localdate()
    rank_in_department = Counter()  # each department's first structure ends first, its second next, and so on
    for structure in structures:
        if structure.status != StructureStatus.VALIDATED:
            continue
        rank = rank_in_department[structure.department_id]
        rank_in_department[structure.department_id] += 1
        if structure.conventions.exists():
            continue
        end = today + timedelta(days=30 * CONVENTION_MONTHS_LEFT[rank % len(CONVENTION_MONTHS_LEFT)])
        start = end - timedelta(days=365 * conventions.CONVENTION_YEARS - 1)
        conventions.convention_open(structure=structure, start=start, end=end, posts=structure.demo_posts)
    advisors = Advisor.objects.filter(structure__in=structures, contracts__isnull=True).order_by("pk")
    for index, advisor in enumerate(advisors):
        fixed_term = index % 2 == 1
        start = advisor.started_at or today - timedelta(days=365)
        end = today + timedelta(days=CONTRACT_DAYS_LEFT[index % len(CONTRACT_DAYS_LEFT)]) if fixed_term else None
        contract = conventions.contract_open(
            advisor=advisor,
            structure=advisor.structure,
            contract_type=ContractType.CDD if fixed_term else ContractType.CDI,
            start=start,
            end=end,
            salary=2100 + 50 * (index % 6),
        )
        if advisor.status == AdvisorStatus.ENDED:
            conventions.contract_close(
                contract=contract,
                ended_on=advisor.ended_at or today - timedelta(days=30),
                reason=ContractEndReason.RUPTURE,
            )


def _seed_personas() -> None:
    paris_structure = Structure.objects.validated().filter(department_id="75").order_by("pk").first()
    paris_advisors = list(Advisor.objects.active().filter(structure__department_id="75").order_by("pk")[:6])
    admin = _user(PERSONAS[0].email, "Anne", "Dupont-Admin")
    _grant(admin, Role.NATIONAL)
    _grant(admin, Role.EDITOR)
    _grant(
        _user(PERSONAS[1].email, "Paul", "Préfet-Paris"), Role.PREFECTURE, department=Department.objects.get(pk="75")
    )
    _grant(
        _user(PERSONAS[2].email, "Marie", "Préfète-Marseille"),
        Role.PREFECTURE,
        department=Department.objects.get(pk="13"),
    )
    _grant(_user(PERSONAS[3].email, "Hugo", "Hub-Francilin"), Role.HUB, hub=Hub.objects.get(slug="francil-in"))
    _grant(_user(PERSONAS[4].email, "Sophie", "Gestionnaire"), Role.STRUCTURE_MANAGER, structure=paris_structure)
    advisor_user = _user(PERSONAS[5].email, paris_advisors[0].first_name, paris_advisors[0].last_name)
    _attach_account(paris_advisors[0], advisor_user)
    _grant(advisor_user, Role.ADVISOR, advisor=paris_advisors[0])
    coordinator = paris_advisors[1]
    coordinator_user = _user(PERSONAS[6].email, coordinator.first_name, coordinator.last_name)
    _attach_account(coordinator, coordinator_user)
    if not coordinator.is_coordinator:
        coordinator.is_coordinator = True
        coordinator.save(update_fields=["is_coordinator"])
    coordinator.coordinated_advisors.set(paris_advisors[2:6] + [paris_advisors[0]])
    _grant(coordinator_user, Role.COORDINATOR, advisor=coordinator)
    _grant(coordinator_user, Role.ADVISOR, advisor=coordinator)
    _grant(_user(PERSONAS[7].email, "Éric", "Éditeur"), Role.EDITOR)


def _attach_account(advisor: Advisor, user) -> None:
    if advisor.user_id != user.pk:
        advisor.user = user
        advisor.save(update_fields=["user"])


@transaction.atomic
def seed() -> str:
    """Create or refresh the demo network; safe to run again (same counts)."""
    rng = random.Random(2026)
    structures = _seed_structures(rng)
    _seed_advisors_and_places(rng, structures)
    _seed_conventions_and_contracts(structures)
    _seed_personas()
    return (
        f"{Structure.objects.count()} structures, {Advisor.objects.count()} conseillers, "
        f"{Place.objects.count()} lieux, {len(PERSONAS)} comptes de démonstration"
    )
