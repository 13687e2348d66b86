"""Demo activity: a realistic year of reports for every active demo advisor, then the rollups rebuilt.

Deterministic (one random generator per advisor, seeded by their e-mail) and idempotent: each report has a fixed
idempotency token, so a second run inserts nothing. Reports are bulk-inserted and the rollups rebuilt from them with
the write path's own code (reporting.rollups.rebuild), so statistics match the reports exactly.
"""

import random
import uuid
import zlib
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from directory.demo import DEMO_DOMAIN, PERSONAS
from directory.models import Advisor
from reporting import rollups
from reporting.counters import GROUPS, MATERIAL_BITS, PROCEDURE_BITS, THEME_BITS
from reporting.enums import (
    ActivityKind,
    AgeBand,
    Autonomy,
    Gender,
    Material,
    PlaceType,
    Procedure,
    RedirectionStructure,
    SocialStatus,
    Theme,
    WorkshopLevel,
)
from reporting.models import Activity

NAMESPACE = uuid.UUID("8d7c1f52-3c1e-4f0f-9a55-6a0d1b3c9e21")
DAYS = 365

THEME_WEIGHTS = {
    Theme.ADMINISTRATIVE: 20,
    Theme.BROWSING: 18,
    Theme.DEVICE_HANDLING: 16,
    Theme.EMAIL: 14,
    Theme.SECURITY: 8,
    Theme.HEALTH: 7,
    Theme.OFFICE: 6,
    Theme.SOCIAL_NETWORKS: 6,
    Theme.BANKING: 5,
    Theme.EMPLOYMENT: 5,
    Theme.DIAGNOSTIC: 4,
    Theme.CONTENT: 4,
    Theme.MAINTENANCE: 3,
    Theme.AI: 3,
    Theme.CULTURE: 2,
    Theme.PARENTING: 2,
    Theme.BUSINESS: 2,
    Theme.SCHOOL: 1,
    Theme.CREATION: 1,
}
PROCEDURE_WEIGHTS = {
    Procedure.SOCIAL: 25,
    Procedure.MONEY: 20,
    Procedure.WORK: 15,
    Procedure.PAPERS: 15,
    Procedure.FAMILY: 8,
    Procedure.HOUSING: 8,
    Procedure.TRANSPORT: 6,
    Procedure.FOREIGNERS: 5,
    Procedure.JUSTICE: 2,
    Procedure.LEISURE: 1,
    Procedure.ASSOCIATIONS: 1,
}
INDIVIDUAL_DURATIONS = {30: 25, 60: 25, 45: 20, 90: 10, 15: 8, 120: 5, 40: 4, 20: 3}
WORKSHOP_DURATIONS = {120: 35, 90: 30, 60: 20, 150: 8, 180: 7}
AGE_WEIGHTS = {
    AgeBand.UNDER_12: 1,
    AgeBand.FROM_12: 3,
    AgeBand.FROM_18: 8,
    AgeBand.FROM_25: 16,
    AgeBand.FROM_40: 24,
    AgeBand.FROM_60: 22,
    AgeBand.FROM_70: 26,
}
STATUS_WEIGHTS = {
    SocialStatus.RETIRED: 49,
    SocialStatus.JOB_SEEKER: 25,
    SocialStatus.EMPLOYED: 20,
    SocialStatus.STUDENT: 6,
}
WORKSHOP_TITLES = [
    "Découvrir sa tablette",
    "Premiers pas sur internet",
    "Créer et utiliser sa boîte mail",
    "Mon espace santé et ameli.fr",
    "Déjouer les arnaques en ligne",
    "Faire ses démarches sur France Connect",
    "Le smartphone au quotidien",
    "Café IA : comprendre l'intelligence artificielle",
    "Partager ses photos en famille",
    "Chercher un emploi en ligne",
]
NOTES = ["Revenir la semaine prochaine pour finir la démarche.", "Prévoir un atelier smartphone.", ""]


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _distinct(rng: random.Random, weights: dict, count: int) -> list:
    chosen: list = []
    while len(chosen) < count:
        value = _pick(rng, weights)
        if value not in chosen:
            chosen.append(value)
    return chosen


def _day(rng: random.Random, today, *, last_day: int) -> object:
    """A working day of the past year, fewer in August and at Christmas, not after `last_day` days ago."""
    while True:
        day = today - timedelta(days=rng.randint(last_day, DAYS - 1))
        if day.weekday() == 6 or (day.weekday() == 5 and rng.random() < 0.8):
            continue
        if (day.month == 8 or (day.month == 12 and day.day > 22)) and rng.random() < 0.6:
            continue
        return day


def _spread(rng: random.Random, weights: dict, people: int) -> dict:
    counts = dict.fromkeys(weights, 0)
    for _ in range(people):
        counts[_pick(rng, weights)] += 1
    return counts


def _breakdown(rng: random.Random, participants: int, individual: bool) -> dict:
    values = {}
    known_share = {"gender": 0.85, "age": 0.8, "status": 0.75}
    weights = {
        "gender": {Gender.FEMALE: 58, Gender.MALE: 42},
        "age": AGE_WEIGHTS,
        "status": STATUS_WEIGHTS,
    }
    for group, share in known_share.items():
        enum = GROUPS[group].enum
        known = 0
        if individual:
            known = 1 if rng.random() < share else 0
        elif rng.random() < 0.7:
            known = sum(1 for _ in range(participants) if rng.random() < share)
        counts = _spread(rng, weights[group], known)
        for value in enum.values:
            values[GROUPS[group].column(value)] = counts.get(value, 0)
        values[GROUPS[group].column(enum.UNKNOWN)] = participants - known
    return values


def _report(rng: random.Random, advisor: Advisor, places: list, today, last_day: int) -> dict:
    individual = rng.random() < 0.8
    participants = 1 if individual else max(2, round(rng.triangular(3, 15, 7)))
    place_type = _pick(
        rng,
        {PlaceType.ACTIVITY_PLACE: 78, PlaceType.REMOTE: 10, PlaceType.HOME: 5, PlaceType.OTHER: 7}
        if individual
        else {PlaceType.ACTIVITY_PLACE: 85, PlaceType.OTHER: 15},
    )
    if not places and place_type == PlaceType.ACTIVITY_PLACE:
        place_type = PlaceType.OTHER
    place = None
    if place_type == PlaceType.ACTIVITY_PLACE:
        place = places[0] if rng.random() < 0.8 else rng.choice(places)
    if place is not None:
        commune_id = place.commune_id
    elif place_type == PlaceType.REMOTE:
        commune_id = advisor.structure.commune_id
    else:
        commune_id = advisor.structure.commune_id
    themes = _distinct(rng, THEME_WEIGHTS, rng.choices([1, 2, 3], weights=[55, 35, 10])[0])
    procedures = _distinct(rng, PROCEDURE_WEIGHTS, rng.choice([1, 1, 2])) if Theme.ADMINISTRATIVE in themes else []
    if rng.random() < 0.05:
        materials = [Material.NONE]
    else:
        weights = {Material.COMPUTER: 45, Material.PHONE: 40, Material.TABLET: 10, Material.OTHER: 2}
        materials = _distinct(rng, weights, 1 if rng.random() < 0.8 else 2)
    values = {
        "kind": ActivityKind.INDIVIDUAL if individual else ActivityKind.COLLECTIVE,
        "date": _day(rng, today, last_day=last_day),
        "duration": _pick(rng, INDIVIDUAL_DURATIONS if individual else WORKSHOP_DURATIONS),
        "place_type": place_type,
        "place": place,
        "commune_id": commune_id,
        "themes": sum(THEME_BITS[value] for value in themes),
        "procedures": sum(PROCEDURE_BITS[value] for value in procedures),
        "materials": sum(MATERIAL_BITS[value] for value in materials),
        "participants": participants,
        "notes": rng.choice(NOTES) if rng.random() < 0.03 else "",
        **_breakdown(rng, participants, individual),
    }
    if individual:
        redirected = _pick(rng, {True: 15, False: 60, None: 25})
        values.update(
            already_accompanied=1 if rng.random() < 0.45 else 0,
            autonomy=_pick(rng, {Autonomy.GUIDED: 40, Autonomy.PARTLY: 40, Autonomy.AUTONOMOUS: 20})
            if rng.random() < 0.7
            else "",
            redirected=redirected,
            redirection_structure=rng.choice(RedirectionStructure.values) if redirected else "",
        )
    else:
        values.update(
            already_accompanied=sum(1 for _ in range(participants) if rng.random() < 0.4),
            title=rng.choice(WORKSHOP_TITLES),
            level=_pick(rng, {WorkshopLevel.BEGINNER: 60, WorkshopLevel.INTERMEDIATE: 30, WorkshopLevel.ADVANCED: 10})
            if rng.random() < 0.8
            else "",
        )
    return values


def _plan(advisors: list[Advisor]) -> dict[int, tuple[int, int]]:
    """{advisor id: (number of reports, days since the last one)}: personas and their team report a lot; a few
    advisors have stopped 35 or 50 days ago so that « Mon équipe » and the reminders have something to show."""
    persona_emails = {persona.email for persona in PERSONAS}
    plan = {}
    for index, advisor in enumerate(advisors):
        rng = random.Random(zlib.crc32(advisor.email.encode()))
        busy = advisor.user is not None and advisor.user.email in persona_emails
        count = rng.randint(100, 140) if busy else rng.randint(15, 40)
        last_day = 0
        if not busy and index % 9 == 4:
            last_day = 35
        elif not busy and index % 13 == 6:
            last_day = 50
        plan[advisor.pk] = (count, last_day)
    return plan


def _team_plan(advisors: list[Advisor], plan: dict) -> None:
    """The demo coordinator's team gets enough reports to fill its pages, one silent member per status."""
    coordinators = [advisor for advisor in advisors if advisor.is_coordinator]
    for coordinator in coordinators:
        members = sorted(coordinator.coordinated_advisors.all(), key=lambda advisor: advisor.pk)
        for position, member in enumerate(members):
            if member.pk in plan and not (member.user_id and plan[member.pk][0] >= 100):
                plan[member.pk] = (60 + position * 5, {1: 35, 2: 50}.get(position, 0))


@transaction.atomic
def seed() -> str:
    """Give every active demo advisor a year of activity (idempotent), then rebuild the rollups."""
    today = timezone.localdate()
    advisors = list(
        Advisor.objects.active()
        .filter(email__endswith=f"@{DEMO_DOMAIN}", structure__isnull=False)
        .select_related("user", "structure__department")
        .prefetch_related("places")
        .order_by("pk")
    )
    plan = _plan(advisors)
    _team_plan(advisors, plan)
    reports = []
    for advisor in advisors:
        rng = random.Random(zlib.crc32(f"activities:{advisor.email}".encode()))
        places = sorted(
            (place for place in advisor.places.all() if place.removed_at is None),
            key=lambda place: place.pk,
        )
        count, last_day = plan[advisor.pk]
        structure = advisor.structure
        for number in range(count):
            values = _report(rng, advisor, places, today, last_day)
            if number == 0:
                values["date"] = today - timedelta(days=last_day + rng.randint(0, 3))
            recorded = timezone.make_aware(datetime.combine(values["date"], time(17, rng.randint(0, 59))))
            reports.append(
                Activity(
                    advisor=advisor,
                    structure=structure,
                    department_id=structure.department_id,
                    region_id=structure.department.region_id,
                    structure_type=structure.type,
                    idempotency_token=uuid.uuid5(NAMESPACE, f"{advisor.email}:{number}"),
                    created_at=recorded,
                    **values,
                )
            )
    Activity.objects.bulk_create(reports, batch_size=500, ignore_conflicts=True)
    rows = rollups.rebuild()
    demo = Activity.objects.current().filter(advisor__email__endswith=f"@{DEMO_DOMAIN}")
    return f"{demo.count()} comptes-rendus d'activité de {len(advisors)} conseillers, {rows} lignes d'agrégats"
