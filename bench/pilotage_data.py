"""National data set for the pilotage benchmarks, bulk loaded (COPY on PostgreSQL, executemany on SQLite).

Creates (or recreates) a dedicated bench database — never the one in use — with the real territories, a network of
structures and advisors spread by population, and N activity reports over several years with realistic
distributions (growth of the programme, summer and Christmas dips, weekdays, busy and quiet advisors, 80 %
individual, themes skewed towards the everyday ones), then rebuilds the rollups. Prints rows per second.

    .venv/bin/python -m bench.pilotage_data --reports 3000000     # SQLite: /tmp/bench_pilotage.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum .venv/bin/python -m bench.pilotage_data --reports 3000000
    .venv/bin/python -m bench.pilotage_dashboards    # then time the dashboards on that database

Options: --reports, --advisors, --structures, --years, --seed, --db (SQLite file or PostgreSQL database name).
"""

import argparse
import bisect
import itertools
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from bench.pilotage_common import out, setup_django, use_bench_database

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from directory.demo import demo_siret  # noqa: E402
from directory.enums import AdvisorStatus, Network, StructureStatus, StructureType  # noqa: E402
from directory.models import Advisor, Place, PlaceAssignment, Structure  # noqa: E402
from reporting import rollups  # noqa: E402
from reporting.counters import MATERIAL_BITS, PROCEDURE_BITS, THEME_BITS  # noqa: E402
from reporting.enums import Autonomy, RedirectionStructure, Theme, WorkshopLevel  # noqa: E402
from reporting.models import Activity  # noqa: E402
from territories.models import Commune, Department  # noqa: E402

# Structure types as hosted in the real programme (53 % public, 47 % private in 2023).
STRUCTURE_TYPE_WEIGHTS = {
    StructureType.COMMUNE: 26,
    StructureType.DEPARTMENT: 6,
    StructureType.REGION: 1,
    StructureType.EPCI: 14,
    StructureType.SPECIAL_STATUS: 1,
    StructureType.GIP: 5,
    StructureType.PRIVATE: 47,
}
# Thématiques: the everyday ones dominate.
THEME_WEIGHTS = {
    Theme.DEVICE_HANDLING: 18,
    Theme.BROWSING: 14,
    Theme.EMAIL: 14,
    Theme.ADMINISTRATIVE: 16,
    Theme.OFFICE: 6,
    Theme.CONTENT: 6,
    Theme.HEALTH: 5,
    Theme.BANKING: 4,
    Theme.SECURITY: 4,
    Theme.SOCIAL_NETWORKS: 3,
    Theme.EMPLOYMENT: 3,
    Theme.DIAGNOSTIC: 2,
    Theme.MAINTENANCE: 2,
    Theme.SCHOOL: 1,
    Theme.PARENTING: 1,
    Theme.CULTURE: 1,
    Theme.CREATION: 1,
    Theme.BUSINESS: 1,
    Theme.AI: 1,
}
MONTH_WEIGHTS = [1.0, 1.05, 1.1, 1.0, 0.95, 1.0, 0.7, 0.45, 1.0, 1.1, 1.05, 0.75]
PLACE_TYPE_WEIGHTS = {"lieu_activite": 72, "autre": 10, "domicile": 6, "a_distance": 12}
DURATIONS = [(15, 8), (30, 25), (45, 20), (60, 22), (90, 10), (120, 10), (150, 3), (180, 2)]


class Weighted:
    """Fast weighted choice: bisect over cumulative weights of a fixed list."""

    def __init__(self, items: dict | list):
        pairs = list(items.items()) if isinstance(items, dict) else list(items)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def network(args, rng: random.Random) -> dict:
    """Structures by department population, advisors by structure, one principal place each; returns lookups."""
    started = time.perf_counter()
    call_command("load_territories", verbosity=0)
    departments = list(Department.objects.select_related("region").order_by("code"))
    population: dict[str, int] = {department.code: 0 for department in departments}
    communes: dict[str, list[tuple[str, int]]] = {department.code: [] for department in departments}
    for code, department, people in Commune.objects.values_list("code", "department_id", "population"):
        if department in population:
            population[department] += people or 0
            communes[department].append((code, people or 1))
    for department in communes:
        communes[department].sort(key=lambda item: -item[1])
        communes[department] = communes[department][:60]
    by_population = Weighted({code: max(people, 1) for code, people in population.items()})
    types = Weighted(STRUCTURE_TYPE_WEIGHTS)
    now = timezone.now()
    structures = []
    # Every department gets at least a few structures, the rest follows population.
    codes = [department.code for department in departments] * 3
    codes += [by_population.pick(rng) for _ in range(max(0, args.structures - len(codes)))]
    for index, code in enumerate(codes[: args.structures]):
        commune = Weighted(communes[code]).pick(rng) if communes[code] else None
        structure_type = types.pick(rng)
        structures.append(
            Structure(
                siret=demo_siret(800_000 + index),
                name=f"Structure {index + 1} ({code})",
                type=structure_type,
                status=StructureStatus.VALIDATED,
                commune_id=commune,
                department_id=code,
                posts_granted=rng.choice((1, 1, 1, 2, 2, 3, 4)),
                qpv=rng.random() < 0.22,
                zrr=rng.random() < 0.17,
                france_services_label=rng.random() < 0.3,
                network=rng.choice(Network.values)
                if structure_type == StructureType.PRIVATE and rng.random() < 0.3
                else "",
                validated_at=now - timedelta(days=rng.randrange(365 * args.years)),
                contact_email=f"contact{index}@structure.example.fr",
            )
        )
    Structure.objects.bulk_create(structures, batch_size=2000)
    structures = list(Structure.objects.select_related("department").order_by("pk"))
    # Advisors: at most the posts granted, spread so that every structure has at least one.
    slots = [structure for structure in structures for _ in range(structure.posts_granted)]
    rng.shuffle(slots)
    chosen = structures + slots
    today = timezone.localdate()
    advisors = []
    for index in range(args.advisors):
        structure = chosen[index % len(chosen)]
        ended = rng.random() < 0.12
        started_at = today - timedelta(days=rng.randrange(30, 365 * args.years))
        advisors.append(
            Advisor(
                first_name="Conseiller",
                last_name=f"Bench {index + 1}",
                professional_email=f"conseiller{index + 1}@conseiller-numerique.fr",
                structure=structure,
                status=AdvisorStatus.ENDED if ended else AdvisorStatus.ACTIVE,
                started_at=started_at,
                ended_at=today - timedelta(days=rng.randrange(1, 200)) if ended else None,
                is_coordinator=rng.random() < 0.05,
            )
        )
    Advisor.objects.bulk_create(advisors, batch_size=2000)
    advisors = list(Advisor.objects.select_related("structure__department").order_by("pk"))
    places = [
        Place(
            name=f"Lieu de {advisor.structure.name}",
            address="1 place de la Mairie",
            commune_id=advisor.structure.commune_id,
            department_id=advisor.structure.department_id,
            structure=advisor.structure,
        )
        for advisor in advisors
    ]
    Place.objects.bulk_create(places, batch_size=2000)
    places = list(Place.objects.order_by("pk"))
    PlaceAssignment.objects.bulk_create(
        [PlaceAssignment(advisor=a, place=p, is_principal=True) for a, p in zip(advisors, places, strict=True)],
        batch_size=2000,
    )
    elapsed = time.perf_counter() - started
    out(
        f"Network: {len(departments)} departments, {len({d.region_id for d in departments})} regions, "
        f"{len(structures):,} structures, {len(advisors):,} advisors, {len(places):,} places ({elapsed:.1f} s)"
    )
    return {"advisors": advisors, "places": {a.pk: p.pk for a, p in zip(advisors, places, strict=True)}}


def report_rows(args, rng: random.Random, lookups: dict):
    """Yield the Activity rows (tuples in COLUMNS order) of the data set."""
    today = timezone.localdate()
    first = today - timedelta(days=365 * args.years)
    # Days: weekdays, growth of the programme (×3 over the period), month seasonality.
    days = []
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5 and rng.random() < 0.85:
            continue
        growth = 1 + 2 * offset / max(1, (today - first).days)
        days.append((day, growth * MONTH_WEIGHTS[day.month - 1]))
    day_picker = Weighted(days)
    # Busy and quiet advisors (log-normal), active over [started, ended].
    # (pk, structure, department, region, structure type, commune, place, ended_at) of each advisor.
    advisors = [
        (
            advisor.pk,
            advisor.structure.pk,
            advisor.structure.department_id,
            advisor.structure.department.region_id,
            advisor.structure.type,
            advisor.structure.commune_id,
            lookups["places"][advisor.pk],
            advisor.ended_at,
        )
        for advisor in lookups["advisors"]
    ]
    advisor_picker = Weighted([(advisor, rng.lognormvariate(0, 0.7)) for advisor in advisors])
    themes = Weighted({THEME_BITS[value]: weight for value, weight in THEME_WEIGHTS.items()})
    admin_bit = THEME_BITS[Theme.ADMINISTRATIVE]
    procedures = list(PROCEDURE_BITS.values())
    materials = Weighted(
        {
            MATERIAL_BITS["ordinateur"]: 45,
            MATERIAL_BITS["telephone"]: 35,
            MATERIAL_BITS["tablette"]: 10,
            MATERIAL_BITS["autre"]: 3,
            MATERIAL_BITS["aucun"]: 7,
        }
    )
    place_types = Weighted(PLACE_TYPE_WEIGHTS)
    durations = Weighted(DURATIONS)
    autonomy = list(Autonomy.values)
    redirections = list(RedirectionStructure.values)
    levels = list(WorkshopLevel.values)
    ages = [
        "age_moins_de_douze",
        "age_douze_dix_huit",
        "age_dix_huit_vingt_quatre",
        "age_vingt_cinq_trente_neuf",
        "age_quarante_cinquante_neuf",
        "age_soixante_soixante_neuf",
        "age_soixante_dix_plus",
    ]
    age_picker = Weighted(list(zip(ages, [2, 4, 8, 18, 25, 20, 23], strict=True)))
    statuses = Weighted(
        {"status_scolarise": 8, "status_sans_emploi": 30, "status_en_emploi": 22, "status_retraite": 40}
    )
    position = {column: index for index, column in enumerate(COLUMNS)}
    now = datetime.now(UTC)
    for _ in range(args.reports):
        advisor_id, structure_id, department, region, structure_type, commune, place, ended_at = advisor_picker.pick(
            rng
        )
        day = day_picker.pick(rng)
        if ended_at and day > ended_at:
            day = ended_at - timedelta(days=rng.randrange(0, 60))
        individual = rng.random() < 0.8
        participants = 1 if individual else min(40, 2 + int(rng.expovariate(1 / 6)))
        place_type = place_types.pick(rng)
        mask = themes.pick(rng)
        extra = rng.random()
        if extra < 0.45:
            mask |= themes.pick(rng)
        if extra < 0.15:
            mask |= themes.pick(rng)
        row = [None] * len(COLUMNS)
        row[position["advisor_id"]] = advisor_id
        row[position["structure_id"]] = structure_id
        row[position["department_id"]] = department
        row[position["region_id"]] = region
        row[position["structure_type"]] = structure_type
        row[position["kind"]] = "individuel" if individual else "collectif"
        row[position["date"]] = day
        row[position["duration"]] = durations.pick(rng) if individual else rng.choice((60, 90, 120, 120, 180))
        row[position["place_type"]] = place_type
        row[position["place_id"]] = place if place_type == "lieu_activite" else None
        row[position["commune_id"]] = commune
        row[position["themes"]] = mask
        row[position["procedures"]] = rng.choice(procedures) if mask & admin_bit else 0
        row[position["materials"]] = materials.pick(rng)
        row[position["autonomy"]] = rng.choice(autonomy) if individual and rng.random() < 0.7 else ""
        redirected = individual and rng.random() < 0.12
        row[position["redirected"]] = redirected if individual else None
        row[position["redirection_structure"]] = rng.choice(redirections) if redirected else ""
        row[position["title"]] = "" if individual else "Atelier numérique"
        row[position["level"]] = "" if individual else rng.choice(levels)
        row[position["participants"]] = participants
        row[position["already_accompanied"]] = rng.randint(0, participants) if rng.random() < 0.5 else 0
        row[position["notes"]] = ""
        row[position["idempotency_token"]] = uuid.UUID(int=rng.getrandbits(128), version=4)
        created = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
        row[position["created_at"]] = created
        row[position["updated_at"]] = min(created, now)
        row[position["deleted_at"]] = None
        for column in BREAKDOWN:
            row[position[column]] = 0
        female = sum(1 for _ in range(participants) if rng.random() < 0.55) if rng.random() < 0.8 else 0
        male = participants - female if female else 0
        row[position["gender_feminin"]] = female
        row[position["gender_masculin"]] = male
        row[position["gender_non_communique"]] = participants - female - male
        if rng.random() < 0.7:
            row[position[age_picker.pick(rng)]] = participants
        else:
            row[position["age_non_communique"]] = participants
        if rng.random() < 0.6:
            row[position[statuses.pick(rng)]] = participants
        else:
            row[position["status_non_communique"]] = participants
        yield row


COLUMNS = [field.column for field in Activity._meta.concrete_fields if field.column != "id"]
BREAKDOWN = [column for column in COLUMNS if column.startswith(("gender_", "age_", "status_"))]


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return str(value)


def load_postgresql(rows) -> int:
    """COPY the rows in, as text blocks of 10,000 lines written by hand (psycopg's per-value adaptation is the
    bottleneck otherwise)."""
    table = connection.ops.quote_name(Activity._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    count = 0
    lines = []
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                lines.append("\t".join(map(_copy_text, row)))
                count += 1
                if len(lines) == 10_000:
                    copy.write("\n".join(lines) + "\n")
                    lines = []
                if count % 500_000 == 0:
                    out(f"  … {count:,} rows")
            if lines:
                copy.write("\n".join(lines) + "\n")
    return count


def load_sqlite(rows) -> int:
    """executemany in batches of 50,000 inside one transaction (dates as ISO text, as Django stores them)."""
    table = connection.ops.quote_name(Activity._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['?'] * len(COLUMNS))})"
    date_index = [index for index, column in enumerate(COLUMNS) if column == "date"][0]
    stamps = [index for index, column in enumerate(COLUMNS) if column in ("created_at", "updated_at")]
    token = COLUMNS.index("idempotency_token")
    redirected = COLUMNS.index("redirected")
    count = 0
    raw = connection.connection
    batch = []
    for row in rows:
        row[date_index] = row[date_index].isoformat()
        for index in stamps:
            row[index] = row[index].strftime("%Y-%m-%d %H:%M:%S")
        row[token] = row[token].hex
        if row[redirected] is not None:
            row[redirected] = int(row[redirected])
        batch.append(row)
        if len(batch) == 50_000:
            raw.executemany(sql, batch)
            count += len(batch)
            batch = []
            if count % 500_000 == 0:
                out(f"  … {count:,} rows")
    if batch:
        raw.executemany(sql, batch)
        count += len(batch)
    return count


def generate(args) -> None:
    rng = random.Random(args.seed)
    lookups = network(args, rng)
    started = time.perf_counter()
    rows = report_rows(args, rng, lookups)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        count = load_postgresql(rows) if connection.vendor == "postgresql" else load_sqlite(rows)
    elapsed = time.perf_counter() - started
    out(f"Reports: {count:,} loaded in {elapsed:.1f} s = {count / elapsed:,.0f} rows/s (generation included)")
    build_rollups(count)


def build_rollups(count: int) -> None:
    started = time.perf_counter()
    written = rollups.rebuild()
    elapsed = time.perf_counter() - started
    out(f"Rollups rebuilt: {written:,} rows in {elapsed:.1f} s ({count / elapsed:,.0f} reports/s)")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    out(f"ANALYZE: {time.perf_counter() - started:.1f} s")


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parse.add_argument("--reports", type=int, default=3_000_000)
    parse.add_argument("--advisors", type=int, default=4_000)
    parse.add_argument("--structures", type=int, default=2_900)
    parse.add_argument("--years", type=int, default=4)
    parse.add_argument("--seed", type=int, default=2026)
    parse.add_argument("--db", default="", help="SQLite file or PostgreSQL database name of the bench data")
    parse.add_argument("--rollups-only", action="store_true", help="rebuild the rollups of an existing bench database")
    return parse


def main(argv=None) -> None:
    args = parser().parse_args(argv)
    out(f"Database: {connection.vendor}")
    name = use_bench_database(args.db, create=not args.rollups_only)
    out(f"Bench database: {name}")
    if args.rollups_only:
        build_rollups(Activity.objects.count())
    else:
        generate(args)


if __name__ == "__main__":
    main(sys.argv[1:])
