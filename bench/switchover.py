"""Benchmark of the switch-over import at national scale: exports generated once, imported into a fresh database.

Generates the existing system's exports into a directory (kept and reused: generation is not what is measured),
creates a throw-away database (never the one in use), runs the full import in the order of `import_legacy --all`,
then rebuilds the rollups, and prints one line per phase (rows, seconds, rows/s), the total and the peak memory
(resident set size) of this process.

    .venv/bin/python -m bench.switchover                                   # SQLite, 2,700,000 reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum .venv/bin/python -m bench.switchover
    .venv/bin/python -m bench.switchover --reports 200000 --dir /tmp/sw_small   # a quick run

The exports come from switchover.generator when it exists; until then a minimal writer of this module makes the
`cras` file and the bench registers the advisors, structures and places it references (LegacyRecords, as the
directory importers would). Options: --reports, --advisors, --structures, --dir, --seed, --keep.
"""

import argparse
import os
import random
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from directory.demo import demo_siret  # noqa: E402
from directory.enums import StructureStatus, StructureType  # noqa: E402
from directory.models import Advisor, Place, Structure  # noqa: E402
from switchover.finalize import rollups_rebuild  # noqa: E402
from switchover.importers import IMPORTERS  # noqa: E402
from switchover.management.commands.import_legacy import find_export  # noqa: E402
from switchover.models import LegacyRecord  # noqa: E402
from switchover.pipeline import run_import  # noqa: E402
from territories.models import Commune  # noqa: E402


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def oid(prefix: str, number: int) -> str:
    return f"{prefix}{number:0{24 - len(prefix)}x}"


THEMES = [
    "equipement informatique", "vocabulaire", "internet", "securite", "courriel", "echanger", "traitement texte",
    "contenus numeriques", "trouver emploi", "tpe/pme", "accompagner enfant", "demarche en ligne",
    "fraude et harcelement", "sante", "smartphone", "budget", "scolaire", "diagnostic",
]  # fmt: skip
CANALS = ["rattachement"] * 7 + ["autre lieu", "distance", "domicile"]
DUREES = ['"0-30"', '"30-60"', '"30-60"', '"60"', "90", "120", "75"]
AGE_KEYS = ["moins12ans", "de12a18ans", "de18a35ans", "de35a60ans", "plus60ans"]
STATUS_KEYS = ["etudiant", "sansEmploi", "enEmploi", "retraite", "heterogene"]
ORGANISMES = ["CAF", "CPAM", "Mairie", "France Services", "Pôle emploi", "CCAS", "Médiathèque"]


def _spread(keys: list[str], total: int, rng: random.Random) -> str:
    counts = dict.fromkeys(keys, 0)
    for _ in range(total):
        counts[keys[rng.randrange(len(keys))]] += 1
    return "{" + ",".join(f'"{key}":{value}' for key, value in counts.items()) + "}"


def write_cras(path: str, *, reports: int, advisors: int, structures: int, communes: list[str], seed: int) -> None:
    """A `cras` export in mongoexport's relaxed format (a stand-in until switchover.generator exists)."""
    rng = random.Random(seed)
    start = 1609459200  # 2021-01-01
    span = 4 * 365 * 86400 - 86400 * 30
    with open(path + ".part", "w", encoding="utf-8") as handle:
        for number in range(reports):
            advisor = rng.randrange(advisors)
            structure = advisor % structures
            activite = rng.choices(("individuel", "collectif", "ponctuel"), weights=(70, 12, 18))[0]
            participants = rng.randint(2, 15) if activite == "collectif" else 1
            recurrents = rng.randint(0, participants) if rng.random() < 0.5 else "null"
            canal = rng.choice(CANALS)
            permanence = "null"
            if canal == "rattachement":
                permanence = f'{{"$ref":"permanences","$id":{{"$oid":"{oid("62", advisor)}"}}}}'
            themes = ",".join(f'"{theme}"' for theme in rng.sample(THEMES, rng.choice((1, 1, 2, 3))))
            seconds = start + rng.randrange(span)
            day = time.strftime("%Y-%m-%dT%H:00:00.000Z", time.gmtime(seconds - seconds % 86400 - 3600))
            created = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))
            organismes = f'[{{"{rng.choice(ORGANISMES)}":1}}]' if rng.random() < 0.15 else "null"
            sous = ',"sousThemes":[{"annotation":["ameli"]}]' if rng.random() < 0.1 else ""
            handle.write(
                f'{{"_id":{{"$oid":"{oid("64", number)}"}},'
                f'"conseiller":{{"$ref":"conseillers","$id":{{"$oid":"{oid("60", advisor)}"}}}},'
                f'"structure":{{"$ref":"structures","$id":{{"$oid":"{oid("5f", structure)}"}}}},'
                f'"permanence":{permanence},"createdAt":{{"$date":"{created}"}},"updatedAt":{{"$date":"{created}"}},'
                f'"cra":{{"canal":"{canal}","activite":"{activite}","nbParticipants":{participants},'
                f'"nbParticipantsRecurrents":{recurrents},"age":{_spread(AGE_KEYS, participants, rng)},'
                f'"statut":{_spread(STATUS_KEYS, participants, rng)},"themes":[{themes}]{sous},'
                f'"duree":{rng.choice(DUREES)},"accompagnement":{{"individuel":0,"atelier":0,"redirection":0}},'
                f'"organismes":{organismes},"codePostal":"01000","nomCommune":"X",'
                f'"codeCommune":"{communes[structure % len(communes)]}","dateAccompagnement":{{"$date":"{day}"}}}}}}\n'
            )
    os.replace(path + ".part", path)


def register_directory(args) -> float:
    """Structures, advisors and one place each, with the LegacyRecords the directory importers would leave."""
    started = time.monotonic()
    communes = list(Commune.objects.order_by("-population").values_list("code", "department_id")[:3000])
    types = list(StructureType.values)
    Structure.objects.bulk_create(
        [
            Structure(
                siret=demo_siret(800_000 + index),
                name=f"Structure {index}",
                type=types[index % len(types)],
                status=StructureStatus.VALIDATED,
                commune_id=communes[index % len(communes)][0],
                department_id=communes[index % len(communes)][1],
                posts_granted=2,
            )
            for index in range(args.structures)
        ],
        batch_size=1000,
    )
    structures = list(Structure.objects.order_by("pk"))
    Advisor.objects.bulk_create(
        [
            Advisor(first_name="Conseiller", last_name=str(index), structure=structures[index % len(structures)])
            for index in range(args.advisors)
        ],
        batch_size=1000,
    )
    advisors = list(Advisor.objects.order_by("pk"))
    Place.objects.bulk_create(
        [
            Place(
                name=f"Lieu {index}",
                address="1 place de la Mairie",
                commune_id=advisor.structure.commune_id,
                department_id=advisor.structure.department_id,
                structure=advisor.structure,
            )
            for index, advisor in enumerate(advisors)
        ],
        batch_size=1000,
    )
    places = list(Place.objects.order_by("pk"))
    records = [
        LegacyRecord(collection=collection, external_id=oid(prefix, index), target_id=row.pk)
        for collection, prefix, rows in (("structures", "5f", structures), ("conseillers", "60", advisors),
                                         ("permanences", "62", places))
        for index, row in enumerate(rows)
    ]  # fmt: skip
    LegacyRecord.objects.bulk_create(records, batch_size=5000)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=2_700_000)
    parser.add_argument("--advisors", type=int, default=4000)
    parser.add_argument("--structures", type=int, default=2900)
    parser.add_argument("--dir", default="/tmp/bench_switchover")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()

    database = connection.settings_dict
    original = database["NAME"]
    vendor = "SQLite" if database["ENGINE"].endswith("sqlite3") else "PostgreSQL"
    database["TEST"]["NAME"] = "/tmp/bench_switchover.sqlite3" if vendor == "SQLite" else f"bench_sw_{original}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_territories", verbosity=0)
        os.makedirs(args.dir, exist_ok=True)
        cras_path = os.path.join(args.dir, "cras.json")
        generator_exports = [name for name in IMPORTERS if name != "cras" and find_export(args.dir, name)]
        if not os.path.exists(cras_path):
            started = time.monotonic()
            communes = list(Commune.objects.order_by("-population").values_list("code", flat=True)[:3000])
            write_cras(
                cras_path,
                reports=args.reports,
                advisors=args.advisors,
                structures=args.structures,
                communes=communes,
                seed=args.seed,
            )
            out(f"Export generated in {args.dir} ({time.monotonic() - started:.0f} s)")
        out(f"Switch-over bench ({vendor}): {os.path.getsize(cras_path) / 1e9:.2f} GB of cras in {args.dir}")
        phases = []
        if generator_exports:
            for name in generator_exports:
                summary = run_import(IMPORTERS[name](), find_export(args.dir, name), progress=False)
                phases.append((name, summary.imported, summary.seconds))
        else:
            seconds = register_directory(args)
            phases.append(("directory (bench)", args.structures + 2 * args.advisors, seconds))
        importer = IMPORTERS["cras"]()
        importer.print_ = out
        summary = run_import(importer, cras_path, progress=True, print_=out)
        phases.append(("cras", summary.imported, summary.seconds))
        if summary.rejected:
            out(f"cras: {summary.rejected} rejected rows")
        count, seconds = rollups_rebuild(print_=out)
        phases.append(("rollups", count, seconds))

        out("")
        out(f"{'phase':<22}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
        for name, rows, seconds in phases:
            out(f"{name:<22}{rows:>12,}{seconds:>10.1f}{rows / seconds if seconds else 0:>12,.0f}")
        total = sum(seconds for _, _, seconds in phases)
        out(f"{'total':<22}{'':>12}{total:>10.1f}")
        out(f"peak memory (RSS): {peak_mb():.0f} MB")
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
