"""Generator of realistic exports of the existing system, in its `mongoexport` format, for tests and the bench.

Design note. The shapes are exactly those of tests/switchover/sample/*.json (the contract with the importers);
the value lists those of shared/research/domain-cnum.md §3-§4. The world (structures, advisors, their contracts,
places) is built in memory first: a few thousand objects whatever the number of reports, serialised with
orjson. Reports are then streamed month by month (so the file is roughly chronological, like the collection's
natural order) with constant memory: each line is assembled as text from pre-serialised fragments (a pool of
`cra` bodies per canal, per-day date strings, per-contract commune fragments); per line only the id, the
creation time and the picks are formatted, and lines are written in blocks. One `random.Random` per stream,
seeded from `seed`, and no iteration over sets: the same seed gives the same bytes.
Measured on this 2-core machine (shared), `manage.py generate_legacy_export /tmp/x` with the defaults (2,900
structures, 4,000 advisors + 2,000 candidates, 2,700,000 reports): 25 s (14 s CPU), 2.2 GB, peak RSS 320 MB
(Django included; 150 MB for `generate` alone); with --gzip (level 1): 29 s, 204 MB. Reports per year: 2021
0.33 M, 2022 0.87 M, 2023 0.82 M, 2024 0.68 M.
"""

import bisect
import csv
import gzip
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

COMMUNES_FILE = Path(__file__).resolve().parent.parent / "territories" / "data" / "communes.csv.gz"
DEPARTMENTS_FILE = Path(__file__).resolve().parent.parent / "territories" / "data" / "departments.csv"
PARIS = ZoneInfo("Europe/Paris")

FIRST_REPORT_DAY = date(2021, 1, 4)
LAST_REPORT_DAY = date(2024, 11, 30)
EXPORT_DAY = date(2024, 12, 1)
PLACES_SINCE = date(2022, 3, 1)
BLOCK = 20_000

# --- value lists (domain-cnum.md §2-§4) -----------------------------------------------------------------------
STRUCTURE_TYPES = ["COMMUNE", "EPCI", "DEPARTEMENT", "REGION", "COLLECTIVITE", "GIP", "PRIVATE"]
STRUCTURE_TYPE_WEIGHTS = [30, 9, 3, 0.5, 1, 1.5, 55]
OTHER_STRUCTURE_STATUSES = [
    "CREEE",
    "REFUS_COSELEC",
    "ABANDON",
    "EXAMEN_COMPLEMENTAIRE_COSELEC",
    "ANNULEE",
    "DOUBLON",
    "REFUS_COORDINATEUR",
]
OTHER_STRUCTURE_WEIGHTS = [30, 30, 12, 10, 10, 4, 4]
CONTRACT_TYPES_PHASE1 = ["CDD", "CDI", "PEC", "contrat_de_projet_public"]
CONTRACT_TYPES_PHASE1_WEIGHTS = [72, 8, 12, 8]
RUPTURE_MOTIFS = ["demission", "licenciement", "nonReconductionCDD", "CDIsation", "FinDeSubventionnement"]
RUPTURE_MOTIF_WEIGHTS = [60, 10, 12, 10, 8]
DISTANCES = [5, 10, 15, 20, 40, 100, 2000]
CANALS = ["rattachement", "autre lieu", "distance", "domicile"]
CANAL_WEIGHTS = [55, 20, 15, 10]
ACTIVITES = ["individuel", "collectif", "ponctuel"]
ACTIVITE_WEIGHTS = [70, 15, 15]
AGE_KEYS = ["moins12ans", "de12a18ans", "de18a35ans", "de35a60ans", "plus60ans"]
AGE_WEIGHTS = [3, 7, 15, 35, 40]
STATUT_KEYS = ["etudiant", "sansEmploi", "enEmploi", "retraite", "heterogene"]
STATUT_WEIGHTS = [8, 25, 20, 40, 7]
THEMES = [
    "equipement informatique",
    "vocabulaire",
    "internet",
    "securite",
    "courriel",
    "echanger",
    "traitement texte",
    "contenus numeriques",
    "trouver emploi",
    "tpe/pme",
    "accompagner enfant",
    "demarche en ligne",
    "fraude et harcelement",
    "sante",
    "smartphone",
    "budget",
    "scolaire",
    "diagnostic",
    "autre",
]
THEME_WEIGHTS = [16, 6, 12, 6, 12, 5, 6, 5, 5, 1, 2, 18, 3, 4, 8, 2, 1, 2, 1]
SOUS_THEMES = {
    "sante": ["espace-sante"],
    "traitement texte": ["fourniture"],
    "equipement informatique": ["ordinateur", "tablette", "telephone"],
    "accompagner enfant": ["parent", "social", "enseignant"],
}
ANNOTATIONS = ["ameli", "impots.gouv", "france connect", "doctolib", "caf.fr", "pole-emploi.fr", "whatsapp", "ANTS"]
DUREES = ["0-30", "30-60", "60", "90"]
DUREE_WEIGHTS = [30, 40, 10, 2]
ORGANISMES = [
    "ANTS",
    "Assistante sociale",
    "CAF",
    "CARSAT",
    "CCAS",
    "CEFS",
    "CIP",
    "CPAM",
    "DGFIP",
    "France Services",
    "Mairie",
    "Médiathèque",
    "Mission locale",
    "Pôle emploi",
    "Préfecture",
    "Sous-préfecture",
    "Service de police",
    "Gendarmerie",
    "Revendeur informatique",
    "Tiers-lieu / Fablab",
    "Autres",
]
TYPE_ACCES = [["libre"], ["rdv"], ["libre", "rdv"], ["prive"]]
RESEAUX = [None, None, None, "Emmaüs Connect", "La Poste", "Les Petits Débrouillards", "PIMMS Médiation"]
PERIMETRES = ["conseillers", "codeDepartement", "codeRegion", "codeCommune"]

DEFECTS = ("defect_invalid_siret", "defect_unknown_advisor", "defect_unknown_commune", "defect_bad_sum")

FIRST_NAMES_F = (
    "Léa Camille Manon Chloé Inès Sarah Emma Julie Laura Anaïs Clara Marie Lucie Pauline Nadia Fatima Aïcha Sophie "
    "Claire Élodie"
).split()
FIRST_NAMES_M = (
    "Marc Lucas Hugo Thomas Nicolas Karim Mehdi Julien Antoine Maxime Yanis Paul Louis Romain Kevin Samir Éric "
    "Olivier David Théo"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia David "
    "Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert Bonnet François Martinez Legrand "
    "Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont "
    "Lopez Fontaine Chevalier Robin Masson Benali Haddad Nguyen Diallo Traoré"
).split()
FONCTIONS = ["Directrice du CCAS", "DGS", "Président", "Directeur", "Chargée de mission numérique", "Maire"]


# --- reference data --------------------------------------------------------------------------------------------
@dataclass
class Commune:
    code: str
    name: str
    department: str
    region: str
    postal_code: str
    population: int
    lon: float
    lat: float


def load_communes() -> list[Commune]:
    """The real communes (no municipal arrondissements) of territories/data, with their region."""
    with open(DEPARTMENTS_FILE, encoding="utf-8") as handle:
        regions = {row["code"]: row["region"] for row in csv.DictReader(handle)}
    communes = []
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["parent"] or not row["postal_codes"] or row["department"] not in regions:
                continue
            communes.append(
                Commune(
                    code=row["code"],
                    name=row["name"],
                    department=row["department"],
                    region=regions[row["department"]],
                    postal_code=row["postal_codes"].split()[0],
                    population=int(row["population"] or 0),
                    lon=float(row["longitude"] or 0),
                    lat=float(row["latitude"] or 0),
                )
            )
    return communes


# --- small helpers ---------------------------------------------------------------------------------------------
def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def ext_date(moment: datetime) -> dict:
    return {"$date": iso(moment)}


def day_midnight(day: date, *, paris: bool) -> datetime:
    """A date-only field as the existing system stored it: midnight UTC, or Paris midnight (22:00/23:00 UTC)."""
    if paris:
        return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)
    return datetime.combine(day, time(0), tzinfo=UTC)


def oid(moment: datetime | int, machine: int, counter: int) -> str:
    """An ObjectId-like 24-hex id: creation second, a per-collection 5-byte part, a 3-byte counter."""
    seconds = moment if isinstance(moment, int) else int(moment.timestamp())
    return f"{seconds:08x}{machine:010x}{counter:06x}"


def ext_oid(value: str) -> dict:
    return {"$oid": value}


def dbref(collection: str, value: str) -> dict:
    return {"$ref": collection, "$id": {"$oid": value}}


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def valid_siret(rng: random.Random, *, public: bool) -> str:
    """A 14-digit SIRET whose SIREN key (9th digit) and SIRET key (14th) pass the Luhn check (public: 2…)."""
    head = ("2" if public else str(rng.randint(3, 8))) + "".join(str(rng.randint(0, 9)) for _ in range(12))
    siren_key = next(key for key in "0123456789" if luhn_ok(head[:8] + key))
    head = head[:8] + siren_key + head[9:]
    for last in "0123456789":
        if luhn_ok(head + last):
            return head + last
    raise AssertionError("unreachable")


def invalid_siret(rng: random.Random) -> str:
    """A mistyped SIRET: 13 digits that fail the Luhn check too."""
    while True:
        value = "".join(str(rng.randint(0, 9)) for _ in range(13))
        if not luhn_ok(value):
            return value


def phone(rng: random.Random, *, mobile: bool = True) -> str:
    prefix = rng.choice(["06", "07"]) if mobile else rng.choice(["01", "02", "03", "04", "05"])
    number = prefix + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return "+33" + number[1:] if rng.random() < 0.3 else number


def slug(text: str) -> str:
    table = str.maketrans("àâäéèêëîïôöùûüçÀÂÉÈÊÎÔÛÇœ' ", "aaaeeeeiioouuucAAEEEIOUCo--")
    return "".join(c for c in text.translate(table).lower() if c.isalnum() or c in "-.")


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- the world -------------------------------------------------------------------------------------------------
@dataclass
class Structure:
    index: int
    id: str
    id_pg: int
    type: str
    statut: str
    commune: Commune
    siret: str
    created: datetime
    coselec_day: date | None = None
    invalid_siret: bool = False
    contracts: list = field(default_factory=list)
    places: list = field(default_factory=list)


@dataclass
class Contract:
    id: str
    advisor: "Advisor"
    structure: Structure
    statut: str
    type: str
    start: date
    end: date | None
    phase: str
    salary: int
    created: datetime
    renewal_of: "Contract | None" = None
    renewed: bool = False
    rupture_day: date | None = None
    rupture_motif: str | None = None
    coordinator: bool = False

    @property
    def last_active_day(self) -> date:
        """The last day the advisor worked under this contract (for reports)."""
        candidates = [LAST_REPORT_DAY]
        if self.rupture_day:
            candidates.append(self.rupture_day)
        if self.end:
            candidates.append(self.end)
        return min(candidates)


@dataclass
class Advisor:
    index: int
    id: str
    id_pg: int
    first_name: str
    last_name: str
    sex: str
    commune: Commune
    created: datetime
    candidate: bool = False
    contracts: list = field(default_factory=list)
    places: list = field(default_factory=list)
    productivity: float = 1.0

    @property
    def email(self) -> str:
        return f"{slug(self.first_name)}.{slug(self.last_name)}{self.index}@example.org"

    @property
    def current(self) -> Contract | None:
        """The contract the advisor works under at the export (finalisee, or rupture notified but not validated)."""
        for contract in reversed(self.contracts):
            if contract.statut in ("finalisee", "nouvelle_rupture"):
                return contract
        return None

    @property
    def statut(self) -> str | None:
        if not self.contracts:
            return None
        if self.current:
            return "RECRUTE"
        return "TERMINE" if self.contracts[-1].statut == "terminee_naturelle" else "RUPTURE"


@dataclass
class Place:
    id: str
    structure: Structure
    commune: Commune
    name: str
    advisors: list = field(default_factory=list)
    main_for: list = field(default_factory=list)
    roaming: list = field(default_factory=list)


# Per-collection 5-byte "machine" parts keep ids unique across collections.
M_STRUCTURE, M_ADVISOR, M_CONTRACT, M_PLACE, M_RUPTURE, M_REPORT, M_GHOST = (
    0x5F00A1B2C3,
    0x6000A1B2C3,
    0x6100A1B2C3,
    0x6200A1B2C3,
    0x6300A1B2C3,
    0x6400A1B2C3,
    0x6F00DEAD00,
)


class World:
    """Structures, advisors, candidates, contracts and places: everything but the reports."""

    def __init__(self, *, structures: int, advisors: int, candidates: int, seed: int, defect_rate: float):
        self.rng = random.Random(f"{seed}:world")
        self.communes = load_communes()
        self.by_department: dict[str, list[Commune]] = {}
        for commune in self.communes:
            self.by_department.setdefault(commune.department, []).append(commune)
        self._cum_population = list(_cumulate(max(c.population, 50) for c in self.communes))
        self.defect_rate = defect_rate
        self.structures: list[Structure] = []
        self.advisors: list[Advisor] = []
        self.candidates: list[Advisor] = []
        self.contracts: list[Contract] = []
        self.applications: list[dict] = []
        self._contract_counter = 0
        self._build_structures(structures)
        self._build_advisors(advisors)
        self._build_candidates(candidates)
        self._build_places()
        self._mark_invalid_sirets()

    # communes
    def commune(self) -> Commune:
        return self.communes[bisect.bisect_right(self._cum_population, self.rng.random() * self._cum_population[-1])]

    def nearby(self, commune: Commune) -> Commune:
        pool = self.by_department[commune.department]
        return self.rng.choice(pool)

    def _build_structures(self, count: int) -> None:
        rng = self.rng
        validated = max(1, round(count * 0.85)) if count else 0
        statuses = ["VALIDATION_COSELEC"] * validated
        others = count - validated
        statuses += OTHER_STRUCTURE_STATUSES[:others]
        statuses += rng.choices(
            OTHER_STRUCTURE_STATUSES, OTHER_STRUCTURE_WEIGHTS, k=max(0, others - len(OTHER_STRUCTURE_STATUSES))
        )
        rng.shuffle(statuses)
        for index, statut in enumerate(statuses):
            kind = rng.choices(STRUCTURE_TYPES, STRUCTURE_TYPE_WEIGHTS)[0]
            created = datetime(2020, 11, 17, 8, tzinfo=UTC) + timedelta(
                seconds=int(3600 * 24 * 420 * rng.random() ** 1.8)
            )
            if statut in ("CREEE", "EXAMEN_COMPLEMENTAIRE_COSELEC") and rng.random() < 0.5:
                created = datetime(2023, 9, 1, 8, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 3600 * 24 * 400))
            elif statut == "VALIDATION_COSELEC" and rng.random() < 0.12:  # phase 2 newcomers
                created = datetime(2023, 5, 1, 8, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 3600 * 24 * 300))
            structure = Structure(
                index=index,
                id=oid(created, M_STRUCTURE, index + 1),
                id_pg=1000 + index + 1,
                type=kind,
                statut=statut,
                commune=self.commune(),
                siret=valid_siret(rng, public=kind != "PRIVATE"),
                created=created,
            )
            if statut in ("VALIDATION_COSELEC", "ABANDON", "REFUS_COSELEC", "EXAMEN_COMPLEMENTAIRE_COSELEC"):
                structure.coselec_day = (created + timedelta(days=rng.randint(25, 120))).date()
            self.structures.append(structure)

    def _new_contract(self, advisor, structure, **fields) -> Contract:
        self._contract_counter += 1
        created = fields.pop("created")
        contract = Contract(
            id=oid(created, M_CONTRACT, self._contract_counter),
            advisor=advisor,
            structure=structure,
            created=created,
            **fields,
        )
        advisor.contracts.append(contract)
        structure.contracts.append(contract)
        self.contracts.append(contract)
        return contract

    def _build_advisors(self, count: int) -> None:
        rng = self.rng
        validated = [s for s in self.structures if s.statut == "VALIDATION_COSELEC"]
        if count and not validated:
            raise ValueError("aucune structure validée pour recruter des conseillers")
        weights = [1 + rng.paretovariate(1.6) for _ in validated]
        hosts = list(validated[:count]) + rng.choices(validated, weights, k=max(0, count - len(validated)))
        for index in range(count):
            structure = hosts[index]
            advisor = self._person(index, candidate=False)
            advisor.productivity = rng.lognormvariate(0, 0.6)
            self.advisors.append(advisor)
            first_day = structure.coselec_day + timedelta(days=20)
            start = first_day + timedelta(days=min(int(rng.expovariate(1 / 60)), 700))
            start = min(start, date(2024, 9, 1))
            self._career(advisor, structure, start, validated)

    def _career(self, advisor: Advisor, structure: Structure, start: date, validated: list[Structure]) -> None:
        rng = self.rng
        phase = "1" if start < date(2023, 7, 1) else "2"
        if phase == "1":
            kind = rng.choices(CONTRACT_TYPES_PHASE1, CONTRACT_TYPES_PHASE1_WEIGHTS)[0]
            end = None if kind == "CDI" else add_years(start, 2) - timedelta(days=1)
        else:
            kind = rng.choice(["CDI", "contrat_de_projet_public", "CDD"])
            end = None if kind == "CDI" else add_years(start, 3) - timedelta(days=1)
        created = datetime.combine(start - timedelta(days=rng.randint(15, 45)), time(9), tzinfo=UTC)
        contract = self._new_contract(
            advisor,
            structure,
            statut="finalisee",
            type=kind,
            start=start,
            end=end,
            phase=phase,
            salary=rng.randrange(1600, 2400, 10),
            created=created,
            coordinator=rng.random() < 0.03,
        )
        roll = rng.random()
        if roll < 0.10:
            self._rupture(contract)
            if rng.random() < 0.2 and contract.rupture_day < date(2024, 6, 1):
                other = rng.choice(validated)
                self._career(advisor, other, contract.rupture_day + timedelta(days=rng.randint(30, 120)), validated)
            return
        if roll < 0.11:
            contract.statut = "nouvelle_rupture"
            contract.rupture_day = random_day(rng, EXPORT_DAY - timedelta(days=40), EXPORT_DAY - timedelta(days=2))
            contract.rupture_motif = rng.choices(RUPTURE_MOTIFS, RUPTURE_MOTIF_WEIGHTS)[0]
            return
        if contract.end and contract.end < EXPORT_DAY:
            if phase == "1" and rng.random() < 0.72:
                contract.statut = "terminee"
                contract.renewed = True
                new_kind = rng.choices(["CDI", "contrat_de_projet_public", "CDD"], [75, 20, 5])[0]
                new_start = contract.end + timedelta(days=1)
                renewal = self._new_contract(
                    advisor,
                    structure,
                    statut="finalisee",
                    type=new_kind,
                    start=new_start,
                    end=None if new_kind == "CDI" else add_years(new_start, 3) - timedelta(days=1),
                    phase="2",
                    salary=contract.salary + rng.randrange(0, 200, 10),
                    created=datetime.combine(new_start - timedelta(days=rng.randint(20, 60)), time(10), tzinfo=UTC),
                    renewal_of=contract,
                    coordinator=contract.coordinator,
                )
                if rng.random() < 0.05:
                    self._rupture(renewal)
            else:
                contract.statut = "terminee_naturelle"

    def _rupture(self, contract: Contract) -> None:
        rng = self.rng
        last = min(contract.end or LAST_REPORT_DAY, LAST_REPORT_DAY - timedelta(days=20))
        first = min(contract.start + timedelta(days=60), last)
        contract.statut = "finalisee_rupture"
        contract.rupture_day = random_day(rng, first, last)
        contract.rupture_motif = rng.choices(RUPTURE_MOTIFS, RUPTURE_MOTIF_WEIGHTS)[0]

    def _person(self, index: int, *, candidate: bool) -> Advisor:
        rng = self.rng
        sex = rng.choices(["Femme", "Homme", "Autre"], [55, 44, 1])[0]
        first = rng.choice(FIRST_NAMES_F if sex == "Femme" else FIRST_NAMES_M)
        created = datetime(2020, 11, 17, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 3600 * 24 * 300))
        if candidate:
            created = datetime(2021, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 3600 * 24 * 1400))
        number = index + 1 + (len(self.advisors) if candidate else 0)
        return Advisor(
            index=number,
            id=oid(created, M_ADVISOR, number),
            id_pg=40000 + number,
            first_name=first,
            last_name=rng.choice(LAST_NAMES),
            sex=sex,
            commune=self.commune(),
            created=created,
            candidate=candidate,
        )

    def _build_candidates(self, count: int) -> None:
        rng = self.rng
        validated = [s for s in self.structures if s.statut == "VALIDATION_COSELEC"]
        for index in range(count):
            person = self._person(index, candidate=True)
            self.candidates.append(person)
            if not validated:
                continue
            for _ in range(rng.choices([0, 1, 2, 3], [25, 45, 20, 10])[0]):
                structure = rng.choice(validated)
                statut = rng.choices(["nouvelle", "interessee", "nonInteressee", "recrutee"], [70, 12, 14, 4])[0]
                self._contract_counter += 1
                created = max(person.created, datetime(2024, 1, 1, tzinfo=UTC)) + timedelta(hours=rng.randint(1, 5000))
                created = min(created, datetime(2024, 11, 30, tzinfo=UTC))
                self.applications.append(
                    {
                        "id": oid(created, M_CONTRACT, self._contract_counter),
                        "advisor": person,
                        "structure": structure,
                        "statut": statut,
                        "created": created,
                        "distance": rng.randint(0, 60_000),
                        "salary": rng.randrange(1700, 2300, 10),
                        "type": rng.choice(["CDI", "CDD", "contrat_de_projet_public"]),
                    }
                )

    def _build_places(self) -> None:
        rng = self.rng
        counter = 0
        for structure in self.structures:
            current = [c.advisor for c in structure.contracts if c.statut in ("finalisee", "nouvelle_rupture")]
            if not current:
                continue
            count = 1 + (len(current) > 2) + (rng.random() < 0.3)
            for number in range(count):
                counter += 1
                commune = structure.commune if number == 0 else self.nearby(structure.commune)
                updated = datetime(2022, 6, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 3600 * 24 * 880))
                place = Place(
                    id=oid(updated, M_PLACE, counter),
                    structure=structure,
                    commune=commune,
                    name=rng.choice(
                        ["Médiathèque", "Mairie de", "Espace France Services", "Tiers-lieu", "Centre social"]
                    )
                    + " "
                    + commune.name,
                )
                structure.places.append(place)
            for advisor in current:
                places = structure.places if rng.random() < 0.4 else structure.places[:1]
                for place in places:
                    place.advisors.append(advisor)
                    advisor.places.append(place)
                places[0].main_for.append(advisor)
                if len(structure.places) > 1 and rng.random() < 0.05:
                    structure.places[-1].roaming.append(advisor)

    def _mark_invalid_sirets(self) -> None:
        idle = [s for s in self.structures if not s.contracts]
        wanted = min(len(idle), max(1, round(len(self.structures) * self.defect_rate)) if self.defect_rate else 0)
        for structure in self.rng.sample(idle, wanted):
            structure.invalid_siret = True
            structure.siret = invalid_siret(self.rng)


def _cumulate(values):
    total = 0
    for value in values:
        total += value
        yield total


# --- output ----------------------------------------------------------------------------------------------------
class _Output:
    """One export file, plain or gzipped (gzip header without name nor time, so the bytes depend on the seed only)."""

    def __init__(self, out_dir: Path, collection: str, *, compress: bool):
        name = f"{collection}.json" + (".gz" if compress else "")
        self.raw = open(out_dir / name, "wb")
        self.handle = (
            gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0, compresslevel=1) if compress else self.raw
        )
        self.count = 0
        self._buffer: list[bytes] = []

    def document(self, document: dict) -> None:
        self._buffer.append(orjson.dumps(document))
        self.count += 1
        if len(self._buffer) >= 5000:
            self._flush()

    def text(self, block: str, count: int) -> None:
        self.handle.write(block.encode())
        self.count += count

    def _flush(self) -> None:
        if self._buffer:
            self.handle.write(b"\n".join(self._buffer) + b"\n")
            self._buffer = []

    def close(self) -> None:
        self._flush()
        if self.handle is not self.raw:
            self.handle.close()
        self.raw.close()


# --- reports (cras) --------------------------------------------------------------------------------------------
def _spread(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """`total` people over the categories; a group usually has a dominant category."""
    counts = [0] * len(weights)
    if total == 1:
        counts[rng.choices(range(len(weights)), weights)[0]] += 1
        return counts
    dominant = rng.choices(range(len(weights)), weights)[0]
    for index in rng.choices(range(len(weights)), weights, k=total):
        counts[dominant if rng.random() < 0.5 else index] += 1
    return counts


def report_body(rng: random.Random, canal: str, *, bad_sum: bool = False) -> dict:
    """The `cra` sub-document of a report without its commune and date (the per-line part)."""
    activite = rng.choices(ACTIVITES, ACTIVITE_WEIGHTS)[0]
    participants = 1 if activite != "collectif" else min(100, 2 + int(rng.expovariate(1 / 6)))
    if activite == "collectif":
        recurring = rng.randint(0, participants)
    else:
        recurring = rng.choices([0, 1, None], [45, 35, 20])[0]
    age = _spread(rng, participants, AGE_WEIGHTS)
    statut = _spread(rng, participants, STATUT_WEIGHTS)
    if bad_sum:
        age[rng.randrange(len(age))] += rng.randint(1, 3)
    themes: list[str] = []
    for theme in rng.choices(THEMES, THEME_WEIGHTS, k=rng.choices([1, 2, 3, 4], [50, 30, 15, 5])[0]):
        if theme not in themes:
            themes.append(theme)
    body: dict = {
        "canal": canal,
        "activite": activite,
        "nbParticipants": participants,
        "nbParticipantsRecurrents": recurring,
        "age": dict(zip(AGE_KEYS, age, strict=True)),
        "statut": dict(zip(STATUT_KEYS, statut, strict=True)),
        "themes": themes,
    }
    sub_themes = [
        {theme: [rng.choice(SOUS_THEMES[theme])]} for theme in themes if theme in SOUS_THEMES and rng.random() < 0.5
    ]
    if rng.random() < 0.05:
        sub_themes.append({"annotation": [rng.choice(ANNOTATIONS)]})
    if sub_themes:
        body["sousThemes"] = sub_themes
    body["duree"] = rng.randrange(60, 481, 15) if rng.random() < 0.18 else rng.choices(DUREES, DUREE_WEIGHTS)[0]
    if rng.random() < 0.6:
        organismes = None
        if rng.random() < 0.3:
            organismes = [{name: rng.choice([1, 1, 1, 2])} for name in rng.sample(ORGANISMES, rng.choice([1, 1, 2]))]
        redirection = sum(next(iter(item.values())) for item in organismes or [])
        body["accompagnement"] = {
            "individuel": rng.choice([0, 0, 1]),
            "atelier": rng.choice([0, 0, 0, 1, 2]),
            "redirection": redirection,
        }
        body["organismes"] = organismes
    return body


def _body_text(body: dict) -> str:
    return orjson.dumps(body).decode()[1:-1]


def _commune_text(code: str, commune: Commune) -> str:
    name = orjson.dumps(commune.name.upper()).decode()
    return f'"codePostal":"{commune.postal_code}","nomCommune":{name},"codeCommune":"{code}"'


class ReportStream:
    """Writes `cras.json`: reports spread over the advisors' working days, month by month, exactly `total` lines."""

    POOL = 4096
    BAD_POOL = 256

    def __init__(self, world: World, *, total: int, seed: int, defect_rate: float):
        self.world = world
        self.total = total
        self.rng = random.Random(f"{seed}:cras")
        self.defect_rate = defect_rate
        self.defects = dict.fromkeys(("defect_unknown_advisor", "defect_unknown_commune", "defect_bad_sum"), 0)
        rng = random.Random(f"{seed}:cras-bodies")
        self.pools = [[_body_text(report_body(rng, canal)) for _ in range(self.POOL)] for canal in CANALS]
        self.bad_pools = [
            [_body_text(report_body(rng, canal, bad_sum=True)) for _ in range(self.BAD_POOL)] for canal in CANALS
        ]
        self.canal_cum = list(_cumulate(CANAL_WEIGHTS))
        self._days()
        known = {c.code for c in world.communes}
        self.unknown_code: dict[str, str] = {}
        for department in world.by_department:
            width = 5 - len(department)
            for number in range(10**width - 1, 0, -1):
                code = department + str(number).zfill(width)
                if code not in known:
                    self.unknown_code[department] = code
                    break

    def _days(self) -> None:
        count = (LAST_REPORT_DAY - FIRST_REPORT_DAY).days + 1
        self.day_iso, self.day_epoch, self.day_utc, self.day_paris = [], [], [], []
        weights = []
        for offset in range(count):
            day = FIRST_REPORT_DAY + timedelta(days=offset)
            midnight = day_midnight(day, paris=False)
            self.day_iso.append(day.isoformat())
            self.day_epoch.append(int(midnight.timestamp()))
            self.day_utc.append(iso(midnight))
            self.day_paris.append(iso(day_midnight(day, paris=True)))
            weekday = (1.0, 1.0, 1.0, 1.0, 1.0, 0.15, 0.02)[day.weekday()]
            season = {7: 0.85, 8: 0.55, 12: 0.8}.get(day.month, 1.0)
            weights.append(weekday * season)
        self.day_cum = [0.0, *_cumulate(weights)]
        # Reports are typed in working hours (07:00-19:59 UTC), seconds spread without an extra draw.
        self.times = [
            (f"{m // 60:02d}:{m % 60:02d}:{m * 37 % 60:02d}", m * 60 + m * 37 % 60) for m in range(420, 1200)
        ]

    def _cells(self) -> list[list[tuple]]:
        """(contract, first day, last day, weight) per month, in month order."""
        months: list[list[tuple]] = []
        month_starts = []
        day = FIRST_REPORT_DAY.replace(day=1)
        while day <= LAST_REPORT_DAY:
            month_starts.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        months = [[] for _ in month_starts]
        for advisor in self.world.advisors:
            for contract in advisor.contracts:
                first = max(contract.start, FIRST_REPORT_DAY)
                last = contract.last_active_day
                if first > last:
                    continue
                for index, month_start in enumerate(month_starts):
                    next_start = (month_start + timedelta(days=32)).replace(day=1)
                    lo = max(first, month_start)
                    hi = min(last, next_start - timedelta(days=1))
                    if lo > hi:
                        continue
                    d0 = (lo - FIRST_REPORT_DAY).days
                    d1 = (hi - FIRST_REPORT_DAY).days
                    weight = advisor.productivity * (self.day_cum[d1 + 1] - self.day_cum[d0])
                    months[index].append((contract, d0, d1, weight))
        return months

    def _contract_parts(self, contract: Contract) -> tuple:
        advisor = contract.advisor
        current = advisor.current
        places = advisor.places if current is not None and current.structure is contract.structure else []
        refs = (
            f'"conseiller":{{"$ref":"conseillers","$id":{{"$oid":"{advisor.id}"}}}},'
            f'"structure":{{"$ref":"structures","$id":{{"$oid":"{contract.structure.id}"}}}},"permanence":'
        )
        home = places[0].commune if places else contract.structure.commune
        attached = [
            (
                f'{{"$ref":"permanences","$id":{{"$oid":"{place.id}"}}}}',
                _commune_text(place.commune.code, place.commune),
            )
            for place in places
        ]
        others = [_commune_text(home.code, home)] * 6 + [
            _commune_text(c.code, c) for c in (self.world.nearby(home) for _ in range(4))
        ]
        unknown = _commune_text(self.unknown_code[home.department], home)
        return refs, attached, others, unknown

    def write(self, output: _Output) -> dict[str, int]:
        rng = self.rng
        random_ = rng.random
        months = self._cells()
        total_weight = sum(cell[3] for month in months for cell in month)
        scale = self.total / total_weight if total_weight else 0.0
        cells_left = sum(len(month) for month in months)
        if self.total and not cells_left:
            raise ValueError("aucun conseiller en poste pour rédiger des comptes rendus")
        cumulative = 0.0
        emitted = 0
        counter = 0
        parts_cache: dict[str, tuple] = {}
        ghost_counter = 0
        day_cum, day_iso, day_epoch, times = self.day_cum, self.day_iso, self.day_epoch, self.times
        last_day = len(day_iso) - 1
        # The Coop's places of activity came in 2022: earlier reports name no place, even "rattachement" ones.
        places_from = (PLACES_SINCE - FIRST_REPORT_DAY).days
        canal_cum, canal_total = self.canal_cum, self.canal_cum[-1]
        lines: list[str] = []
        for month in months:
            for contract, d0, d1, weight in month:
                cells_left -= 1
                cumulative += weight * scale
                count = self.total - emitted if cells_left == 0 else int(cumulative) - emitted
                if count <= 0:
                    continue
                emitted += count
                parts = parts_cache.get(contract.id)
                if parts is None:
                    parts = parts_cache[contract.id] = self._contract_parts(contract)
                refs, attached, others, unknown = parts
                lo, span = day_cum[d0], day_cum[d1 + 1] - day_cum[d0]
                days = sorted(bisect.bisect_right(day_cum, lo + random_() * span) - 1 for _ in range(count))
                for day in days:
                    day = min(max(day, d0), d1)
                    created_day = day if random_() < 0.8 else min(day + 1 + int(random_() * 10), last_day)
                    clock, seconds = times[int(random_() * len(times))]
                    created = f"{day_iso[created_day]}T{clock}.000Z"
                    counter += 1
                    report_id = f"{day_epoch[created_day] + seconds:08x}{M_REPORT:010x}{counter:06x}"
                    canal = bisect.bisect_right(canal_cum, random_() * canal_total)
                    line_refs = refs
                    body = None
                    wrong_commune = False
                    if random_() < self.defect_rate:
                        kind = int(random_() * 3)
                        if kind == 0:
                            ghost_counter += 1
                            ghost = f"{day_epoch[created_day]:08x}{M_GHOST:010x}{ghost_counter:06x}"
                            line_refs = refs.replace(contract.advisor.id, ghost)
                            self.defects["defect_unknown_advisor"] += 1
                        elif kind == 1:
                            body = self.bad_pools[canal][int(random_() * self.BAD_POOL)]
                            self.defects["defect_bad_sum"] += 1
                        else:
                            wrong_commune = True
                            self.defects["defect_unknown_commune"] += 1
                    if body is None:
                        body = self.pools[canal][int(random_() * self.POOL)]
                    if canal == 0 and attached and line_refs is refs and day >= places_from:
                        permanence, commune_text = attached[int(random_() * len(attached))]
                    else:
                        permanence, commune_text = "null", others[int(random_() * len(others))]
                    if wrong_commune:
                        commune_text = unknown
                    updated = (
                        created if random_() < 0.95 else f"{day_iso[min(created_day + 1, last_day)]}T{clock}.000Z"
                    )
                    accompagnement_day = self.day_paris[day] if random_() < 0.5 else self.day_utc[day]
                    lines.append(
                        f'{{"_id":{{"$oid":"{report_id}"}},{line_refs}{permanence},"createdAt":{{"$date":"{created}"}},'
                        f'"updatedAt":{{"$date":"{updated}"}},"cra":{{{body},{commune_text},'
                        f'"dateAccompagnement":{{"$date":"{accompagnement_day}"}}}}}}\n'
                    )
                if len(lines) >= BLOCK:
                    output.text("".join(lines), len(lines))
                    lines = []
        if lines:
            output.text("".join(lines), len(lines))
        return dict(self.defects)


# --- the other collections -------------------------------------------------------------------------------------
ADMINS = ["admin@anct.gouv.fr", "pilotage.cnfs@anct.gouv.fr"]
COSELEC_FIRST, COSELEC_LAST = date(2020, 12, 1), date(2023, 11, 16)


def coselec_number(day: date) -> str | None:
    """The committee's session name ('COSELEC 1' … 'COSELEC 62'); later decisions carry no number."""
    if day > COSELEC_LAST:
        return None
    span = (COSELEC_LAST - COSELEC_FIRST).days
    return f"COSELEC {1 + round(61 * max(0, (day - COSELEC_FIRST).days) / span)}"


class Documents:
    """Builds the documents of structures, conseillers, permanences, misesEnRelation and conseillersRuptures."""

    def __init__(self, world: World, *, seed: int):
        self.world = world
        self.rng = random.Random(f"{seed}:documents")
        with open(DEPARTMENTS_FILE, encoding="utf-8") as handle:
            self.department_names = {row["code"]: row["name"] for row in csv.DictReader(handle)}

    def day(self, value: date) -> dict:
        return ext_date(day_midnight(value, paris=self.rng.random() < 0.5))

    def moment(self, value: date, hour: int = 9) -> dict:
        return ext_date(datetime.combine(value, time(hour, self.rng.randint(0, 59)), tzinfo=UTC))

    # structures
    def structure_name(self, structure: Structure) -> str:
        place = structure.commune.name.upper()
        department = self.department_names.get(structure.commune.department, structure.commune.department).upper()
        return {
            "COMMUNE": f"COMMUNE DE {place}",
            "EPCI": f"COMMUNAUTE DE COMMUNES DU PAYS DE {place}",
            "DEPARTEMENT": f"DEPARTEMENT {department}",
            "REGION": f"REGION {department}",
            "COLLECTIVITE": f"COLLECTIVITE TERRITORIALE {department}",
            "GIP": f"GIP NUMERIQUE {department}",
            "PRIVATE": self.rng.choice(["ASSOCIATION", "CENTRE SOCIAL", "FONDATION", "SCIC", "ASSOCIATION ESPACE"])
            + f" {self.rng.choice(['NUMERIQUE', 'SOLIDAIRE', 'LES LIENS', 'CYBER-BASE', 'INCLUSION'])} {place}",
        }[structure.type]

    def structure(self, structure: Structure) -> dict:
        rng = self.rng
        commune = structure.commune
        contact_last = rng.choice(LAST_NAMES)
        contact_first = rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)
        domain = slug(commune.name) + ".fr"
        contact_email = f"contact{structure.id_pg}@{domain}"
        phase1 = {c.advisor.id for c in structure.contracts if c.phase == "1"}
        phase2 = {c.advisor.id for c in structure.contracts if c.phase == "2"}
        wished = max(1, len(phase1) + len(phase2) + (rng.random() < 0.3))
        document: dict = {
            "_id": ext_oid(structure.id),
            "idPG": structure.id_pg,
            "type": structure.type,
            "nom": self.structure_name(structure),
            "siret": structure.siret,
            "statut": structure.statut,
            "contact": {
                "prenom": contact_first,
                "nom": contact_last,
                "fonction": rng.choice(FONCTIONS),
                "email": contact_email,
                "telephone": phone(rng, mobile=False),
            },
            "codePostal": commune.postal_code,
            "nomCommune": commune.name,
            "codeCommune": commune.code,
            "codeDepartement": commune.department,
            "codeRegion": commune.region,
        }
        validated = structure.statut == "VALIDATION_COSELEC"
        if validated:
            document["codeCom"] = None
        document["location"] = {"type": "Point", "coordinates": [commune.lon, commune.lat]}
        document["nombreConseillersSouhaites"] = wished
        document["aIdentifieCandidat"] = rng.random() < 0.3
        document["dateDebutMission"] = self.day(structure.created.date() + timedelta(days=rng.randint(60, 150)))
        document["motivation"] = rng.choice(
            [
                "Accompagner les habitants éloignés du numérique.",
                "Ateliers numériques pour les familles.",
                "Aider les seniors dans leurs démarches en ligne.",
                "Renforcer notre espace France Services.",
            ]
        )
        document["estLabelliseFranceServices"] = rng.choice(["OUI", "NON", "NON"])
        document["estLabelliseAidantsConnect"] = rng.choice(["OUI", "NON", "NON", "NON"])
        document["coordinateurCandidature"] = False
        if validated:
            document["reseau"] = rng.choice(RESEAUX)
        document["emailConfirmedAt"] = ext_date(structure.created + timedelta(minutes=rng.randint(1, 600)))
        document["userCreated"] = validated or structure.statut == "ABANDON"
        document["createdAt"] = ext_date(structure.created)
        updated = min(structure.created + timedelta(days=rng.randint(30, 1000)), datetime(2024, 11, 30, tzinfo=UTC))
        document["updatedAt"] = ext_date(max(updated, structure.created))
        if validated:
            document["validatedAt"] = None
            document["coselecAt"] = self.day(structure.coselec_day)
            document["qpvStatut"] = (
                "Sans objet"
                if structure.type in ("DEPARTEMENT", "REGION", "EPCI")
                else rng.choice(["Oui", "Non", "Non"])
            )
            document["estZRR"] = rng.random() < 0.15
            document["insee"] = {
                "adresse": {
                    "numero_voie": str(rng.randint(1, 120)),
                    "type_voie": rng.choice(["RUE", "AV", "PL", "BD"]),
                    "libelle_voie": rng.choice(
                        ["DE LA REPUBLIQUE", "JEAN JAURES", "DE LA MAIRIE", "DU GENERAL DE GAULLE"]
                    ),
                    "code_postal": commune.postal_code,
                    "libelle_commune": commune.name.upper(),
                    "code_commune": commune.code,
                }
            }
        document["coselec"] = self.coselec(structure, phase1, phase2)
        document["prefet"] = self.prefet(structure)
        if validated:
            document["conventionnement"] = self.conventionnement(structure)
            document["demandesCoselec"] = []
            document["historique"] = []
        return document

    def coselec(self, structure: Structure, phase1: set, phase2: set) -> list[dict]:
        rng = self.rng
        day = structure.coselec_day
        if day is None:
            return []
        entries = []

        def entry(number: int, avis: str, phase: str, when: date, **extra) -> dict:
            item = {"nombreConseillersCoselec": number, "avisCoselec": avis}
            if (numero := coselec_number(when)) is not None:
                item["numero"] = numero
            item["phaseConventionnement"] = phase
            item.update(extra)
            item["insertedAt"] = self.day(when)
            return item

        first_phase = "2" if day >= date(2023, 5, 1) else "1"
        if structure.statut == "REFUS_COSELEC":
            return [entry(0, "NÉGATIF", first_phase, day)]
        if structure.statut == "EXAMEN_COMPLEMENTAIRE_COSELEC":
            return [entry(0, "EXAMEN COMPLÉMENTAIRE", first_phase, day)]
        first = max(1, len(phase1 if first_phase == "1" else phase2) + (rng.random() < 0.2))
        entries.append(entry(first, "POSITIF", first_phase, day))
        if structure.statut == "ABANDON":
            entries.append(entry(0, "POSITIF", first_phase, day + timedelta(days=rng.randint(90, 400))))
        elif first_phase == "1" and phase2:
            renewals = [c.start for c in structure.contracts if c.phase == "2"]
            when = max(day + timedelta(days=1), min(renewals) - timedelta(days=60))
            entries.append(entry(max(len(phase2), first), "POSITIF", "2", when))
        return entries

    def prefet(self, structure: Structure) -> list[dict]:
        rng = self.rng
        if structure.statut in ("ANNULEE", "DOUBLON") or rng.random() < 0.3:
            return []
        negative = structure.statut in ("REFUS_COSELEC", "REFUS_COORDINATEUR") and rng.random() < 0.7
        when = (structure.coselec_day or structure.created.date() + timedelta(days=40)) - timedelta(
            days=rng.randint(5, 30)
        )
        return [
            {
                "avisPrefet": "NÉGATIF" if negative else "POSITIF",
                "commentairePrefet": "Territoire déjà couvert."
                if negative
                else "Projet solide, besoin avéré sur le territoire.",
                "insertedAt": self.day(when),
            }
        ]

    def conventionnement(self, structure: Structure) -> dict:
        rng = self.rng
        day = structure.coselec_day
        if day >= date(2023, 5, 1):
            return {"statut": "CONVENTIONNEMENT_VALIDÉ_PHASE_2"}
        dossier = {
            "numero": str(rng.randint(10_000_000, 19_999_999)),
            "dateDeCreation": self.day(day + timedelta(days=15)),
            "statut": "accepte",
            "dateDerniereModification": self.day(day + timedelta(days=40)),
        }
        renewals = [c for c in structure.contracts if c.phase == "2"]
        if not renewals:
            statut = "CONVENTIONNEMENT_VALIDÉ" if rng.random() < 0.8 else "NON_INTERESSÉ"
            return {"statut": statut, "dossierConventionnement": dossier}
        first = min(c.start for c in renewals)
        return {
            "statut": "RECONVENTIONNEMENT_VALIDÉ",
            "dossierConventionnement": dossier,
            "dossierReconventionnement": {
                "numero": str(rng.randint(10_000_000, 19_999_999)),
                "dateDeCreation": self.day(first - timedelta(days=120)),
                "dateFinProchainContrat": self.day(add_years(first, 3)),
                "nbPostesAttribuees": len({c.advisor.id for c in renewals}),
                "statut": "accepte",
                "dateDerniereModification": self.day(first - timedelta(days=60)),
            },
        }

    # conseillers
    def advisor(self, advisor: Advisor) -> dict:
        rng = self.rng
        commune = advisor.commune
        document: dict = {
            "_id": ext_oid(advisor.id),
            "idPG": advisor.id_pg,
            "prenom": advisor.first_name,
            "nom": advisor.last_name,
            "email": advisor.email,
            "telephone": phone(rng),
            "sexe": advisor.sex,
        }
        if not advisor.candidate or rng.random() < 0.3:
            document["dateDeNaissance"] = self.day(date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 42)))
        situation = rng.choice(["estDemandeurEmploi", "estEnEmploi", "estEnFormation"])
        if advisor.candidate or rng.random() < 0.5:
            document.update({key: key == situation for key in ("estDemandeurEmploi", "estEnEmploi", "estEnFormation")})
            graduated = rng.random() < 0.15
            document["estDiplomeMedNum"] = graduated
            if graduated:
                document["nomDiplomeMedNum"] = rng.choice(
                    ["Titre professionnel REMN", "Licence pro médiation numérique"]
                )
            document["aUneExperienceMedNum"] = rng.random() < 0.4
        document["dateDisponibilite"] = self.day(advisor.created.date() + timedelta(days=rng.randint(10, 90)))
        document["distanceMax"] = rng.choice(DISTANCES)
        if advisor.candidate and rng.random() < 0.5:
            document["motivation"] = "Je souhaite accompagner les habitants dans leurs usages du numérique."
        document.update(
            {
                "codePostal": commune.postal_code,
                "nomCommune": commune.name,
                "codeCommune": commune.code,
                "codeDepartement": commune.department,
                "codeRegion": commune.region,
            }
        )
        if rng.random() < 0.8:
            document["location"] = {"type": "Point", "coordinates": [commune.lon, commune.lat]}
        current = advisor.current
        document["disponible"] = current is None and (not advisor.candidate or rng.random() < 0.7)
        if advisor.candidate and rng.random() < 0.2:
            pass  # never confirmed their e-mail
        else:
            document["emailConfirmedAt"] = ext_date(advisor.created + timedelta(hours=rng.randint(1, 48)))
        document["createdAt"] = ext_date(advisor.created)
        updated = max([advisor.created.date()] + [c.rupture_day or c.start for c in advisor.contracts])
        document["updatedAt"] = self.moment(min(updated + timedelta(days=rng.randint(0, 30)), EXPORT_DAY), 8)
        document["userCreated"] = not advisor.candidate or rng.random() < 0.3
        if advisor.candidate:
            return document
        document["statut"] = advisor.statut
        first = advisor.contracts[0]
        if current is not None:
            structure = current.structure
            document.update(
                {
                    "structureId": ext_oid(structure.id),
                    "estRecrute": True,
                    "codeDepartementStructure": structure.commune.department,
                    "codeRegionStructure": structure.commune.region,
                }
            )
        document["datePrisePoste"] = self.day(first.start)
        document["dateFinFormation"] = self.day(first.start + timedelta(days=rng.randint(60, 120)))
        document["certificationPixFormation"] = rng.random() < 0.6
        if current is not None:
            structure = current.structure
            login = f"{slug(advisor.first_name)}.{slug(advisor.last_name)}{advisor.index}"
            document["emailCN"] = {"address": f"{login}@conseiller-numerique.fr"}
            if rng.random() < 0.7:
                document["emailPro"] = f"{login}@{slug(structure.commune.name)}.fr"
                document["telephonePro"] = phone(rng, mobile=False)
            document["supHierarchique"] = {
                "nom": rng.choice(LAST_NAMES),
                "prenom": rng.choice(FIRST_NAMES_F + FIRST_NAMES_M),
                "numeroTelephone": phone(rng, mobile=False),
                "email": f"direction{structure.id_pg}@{slug(structure.commune.name)}.fr",
                "fonction": rng.choice(FONCTIONS),
            }
            document["hasPermanence"] = bool(advisor.places)
            document["groupeCRA"] = rng.choices(range(6), [10, 35, 25, 15, 10, 5])[0]
            if current.coordinator:
                document["estCoordinateur"] = True
                kind = rng.choice(PERIMETRES)
                liste = {
                    "codeDepartement": [structure.commune.department],
                    "codeRegion": [structure.commune.region],
                    "codeCommune": [structure.commune.code],
                    "conseillers": [
                        a.id for a in {id(a): a for a in (c.advisor for c in structure.contracts)}.values()
                    ][:5],
                }[kind]
                document["listeSubordonnes"] = {"type": kind, "liste": liste}
        document["ruptures"] = [
            {
                "structureId": ext_oid(c.structure.id),
                "dateRupture": self.day(c.rupture_day),
                "motifRupture": c.rupture_motif,
            }
            for c in advisor.contracts
            if c.statut == "finalisee_rupture"
        ]
        if rng.random() < 0.4:
            document["pix"] = {"partage": rng.random() < 0.8, "palier": rng.randint(1, 3)}
        return document

    # misesEnRelation
    def contract(self, contract: Contract) -> dict:
        rng = self.rng
        structure = contract.structure
        contact = f"contact{structure.id_pg}@{slug(structure.commune.name)}.fr"
        document: dict = {
            "_id": ext_oid(contract.id),
            "conseiller": dbref("conseillers", contract.advisor.id),
            "structure": dbref("structures", structure.id),
            "statut": contract.statut,
        }
        if contract.renewal_of is None and contract.statut in ("finalisee", "terminee", "terminee_naturelle"):
            document["distance"] = rng.randint(0, 40_000)
        document["createdAt"] = ext_date(contract.created)
        if contract.renewal_of is None and contract.statut in ("finalisee", "terminee", "terminee_naturelle"):
            recruited = contract.created + timedelta(days=rng.randint(3, 14))
            document["dateRecrutement"] = ext_date(recruited)
            document["emetteurRecrutement"] = {"email": contact, "date": ext_date(recruited)}
        document["typeDeContrat"] = contract.type
        document["dateDebutDeContrat"] = self.day(contract.start)
        document["dateFinDeContrat"] = self.day(contract.end) if contract.end else None
        document["salaire"] = contract.salary
        if contract.coordinator:
            document["contratCoordinateur"] = True
        document["phaseConventionnement"] = contract.phase
        if contract.renewed:
            document["reconventionnement"] = True
        if contract.renewal_of is not None:
            document["miseEnRelationConventionnement"] = ext_oid(contract.renewal_of.id)
            document["emetteurRenouvellement"] = {"email": contact, "date": ext_date(contract.created)}
        if contract.rupture_day is not None:
            notified = min(contract.rupture_day, EXPORT_DAY - timedelta(days=1)) - timedelta(days=rng.randint(1, 30))
            document["dateRupture"] = self.day(contract.rupture_day)
            document["motifRupture"] = contract.rupture_motif
            if contract.statut == "nouvelle_rupture":
                document["dossierIncompletRupture"] = False
            document["emetteurRupture"] = {"email": contact, "date": self.moment(notified)}
            if contract.statut == "finalisee_rupture":
                validated = notified + timedelta(days=rng.randint(3, 25))
                document["validateurRupture"] = {"email": rng.choice(ADMINS), "date": self.moment(validated)}
        return document

    def application(self, application: dict) -> dict:
        structure = application["structure"]
        document: dict = {
            "_id": ext_oid(application["id"]),
            "conseiller": dbref("conseillers", application["advisor"].id),
            "structure": dbref("structures", structure.id),
            "statut": application["statut"],
            "distance": application["distance"],
            "createdAt": ext_date(application["created"]),
        }
        if application["statut"] == "recrutee":
            recruited = application["created"] + timedelta(days=5)
            start = recruited.date() + timedelta(days=30)
            contact = f"contact{structure.id_pg}@{slug(structure.commune.name)}.fr"
            document["dateRecrutement"] = ext_date(recruited)
            document["emetteurRecrutement"] = {"email": contact, "date": ext_date(recruited)}
            document["typeDeContrat"] = application["type"]
            document["dateDebutDeContrat"] = self.day(start)
            document["dateFinDeContrat"] = (
                None if application["type"] == "CDI" else self.day(add_years(start, 3) - timedelta(days=1))
            )
            document["salaire"] = application["salary"]
            document["phaseConventionnement"] = "2"
        return document

    def rupture(self, contract: Contract, number: int) -> dict:
        validated = datetime.combine(contract.rupture_day, time(10), tzinfo=UTC)
        return {
            "_id": ext_oid(oid(validated, M_RUPTURE, number)),
            "conseillerId": ext_oid(contract.advisor.id),
            "structureId": ext_oid(contract.structure.id),
            "dateRupture": self.day(contract.rupture_day),
            "motifRupture": contract.rupture_motif,
        }

    def place(self, place: Place) -> dict:
        rng = self.rng
        commune = place.commune
        opening = rng.random() < 0.7
        day = {"matin": ["09:00", "12:00"], "apresMidi": ["14:00", "18:00"] if opening else ["Fermé", "Fermé"]}
        closed = {"matin": ["Fermé", "Fermé"], "apresMidi": ["Fermé", "Fermé"]}
        is_structure = place is place.structure.places[0]
        document: dict = {
            "_id": ext_oid(place.id),
            "estStructure": is_structure,
            "nomEnseigne": place.name,
            "numeroTelephone": phone(rng, mobile=False),
            "email": f"accueil{place.structure.id_pg}@{slug(commune.name)}.fr",
        }
        document["siteWeb"] = f"https://www.{slug(commune.name)}.fr" if rng.random() < 0.5 else None
        document["siret"] = place.structure.siret if is_structure else None
        document["adresse"] = {
            "numeroRue": str(rng.randint(1, 80)),
            "rue": rng.choice(["Rue de la République", "Place de la Mairie", "Avenue Jean Jaurès", "Rue du Moulin"]),
            "codePostal": commune.postal_code,
            "codeCommune": commune.code,
            "ville": commune.name,
        }
        document["location"] = {"type": "Point", "coordinates": [commune.lon, commune.lat]}
        document["horaires"] = [dict(day) for _ in range(5)] + [dict(day if rng.random() < 0.3 else closed), closed]
        document["typeAcces"] = rng.choices(TYPE_ACCES, [30, 20, 45, 5])[0]
        document["itinerant"] = bool(place.roaming)
        document["conseillers"] = [ext_oid(a.id) for a in place.advisors]
        document["lieuPrincipalPour"] = [ext_oid(a.id) for a in place.main_for]
        document["conseillersItinerants"] = [ext_oid(a.id) for a in place.roaming]
        document["structure"] = dbref("structures", place.structure.id)
        document["updatedAt"] = ext_date(
            datetime(2022, 6, 1, tzinfo=UTC) + timedelta(seconds=int(place.id[:8], 16) % 10**7)
        )
        return document


# --- entry point -----------------------------------------------------------------------------------------------
def generate(
    out_dir,
    *,
    structures: int = 2900,
    advisors: int = 4000,
    reports: int = 2_700_000,
    candidates: int | None = None,
    seed: int = 2021,
    gzip: bool = False,
    defect_rate: float = 0.001,
) -> dict[str, int]:
    """Write one export file per collection in out_dir; the number of documents of each and of each defect."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    world = World(
        structures=structures,
        advisors=advisors,
        candidates=advisors // 2 if candidates is None else candidates,
        seed=seed,
        defect_rate=defect_rate,
    )
    documents = Documents(world, seed=seed)
    counts: dict[str, int] = {}

    def write(collection: str, items, build) -> None:
        output = _Output(out, collection, compress=gzip)
        try:
            for item in items:
                output.document(build(item))
        finally:
            output.close()
        counts[collection] = output.count

    write("structures", world.structures, documents.structure)
    write("conseillers", world.advisors + world.candidates, documents.advisor)
    write("permanences", [p for s in world.structures for p in s.places], documents.place)
    mises = [("contract", c) for c in world.contracts] + [("application", a) for a in world.applications]
    write(
        "misesEnRelation",
        mises,
        lambda item: documents.contract(item[1]) if item[0] == "contract" else documents.application(item[1]),
    )
    ruptures = [c for c in world.contracts if c.statut == "finalisee_rupture"]
    write("conseillersRuptures", list(enumerate(ruptures, start=1)), lambda item: documents.rupture(item[1], item[0]))
    output = _Output(out, "cras", compress=gzip)
    try:
        defects = ReportStream(world, total=reports, seed=seed, defect_rate=defect_rate).write(output)
    finally:
        output.close()
    counts["cras"] = output.count
    counts["defect_invalid_siret"] = sum(s.invalid_siret for s in world.structures)
    counts.update(defects)
    return counts
