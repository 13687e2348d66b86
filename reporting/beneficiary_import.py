"""Reading a CSV file of followed people: encoding, separator, columns, and a French verdict for each row.

Caps: MAX_BYTES (1 Mo) and MAX_ROWS (500 rows) per file — an advisor follows a few hundred people at most, and the
analysis (one form and at most one commune look-up per distinct commune) then stays well under a second.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from directory.forms import resolve_commune
from reporting.beneficiary_duplicates import DuplicateIndex, Person
from reporting.enums import Gender, SocialStatus
from reporting.forms_beneficiaries import BeneficiaryForm
from territories.utils import normalize_search

MAX_BYTES = 1_000_000
MAX_ROWS = 500
TOO_BIG = "Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers de 500 lignes au plus."
COLUMNS = (
    ("last_name", "Nom"),
    ("first_name", "Prénom"),
    ("birth_year", "Année de naissance"),
    ("commune", "Code INSEE ou code postal de la commune"),
    ("phone", "Téléphone"),
    ("email", "E-mail"),
    ("gender", "Genre"),
    ("status", "Statut"),
    ("notes", "Notes"),
)
HEADER_ALIASES = {
    **{normalize_search(label): name for name, label in COLUMNS},
    "nom de famille": "last_name",
    "annee": "birth_year",
    "commune": "commune",
    "code insee": "commune",
    "code postal": "commune",
    "telephone portable": "phone",
    "email": "email",
    "e mail": "email",
    "adresse e mail": "email",
    "courriel": "email",
    "note": "notes",
}
GENDERS = {
    **dict.fromkeys(("f", "femme", "feminin"), Gender.FEMALE),
    **dict.fromkeys(("m", "h", "homme", "masculin"), Gender.MALE),
    **dict.fromkeys(("", "n", "nc", "non communique", "non renseigne"), Gender.UNKNOWN),
}
STATUSES = {
    **{normalize_search(choice.label): choice.value for choice in SocialStatus},
    **{normalize_search(choice.value.replace("_", " ")): choice.value for choice in SocialStatus},
    "scolarise": SocialStatus.STUDENT,
    "scolarisee": SocialStatus.STUDENT,
    "retraitee": SocialStatus.RETIRED,
    "": SocialStatus.UNKNOWN,
    "non communique": SocialStatus.UNKNOWN,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in French."""


@dataclass
class RowResult:
    """One data row of the file: its line number, its values once valid, or the reasons it is refused."""

    line: int
    name: str
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's « CSV (séparateur : point-virgule) »)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            "Le fichier n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le en « CSV UTF-8 »."
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def read_rows(raw: bytes) -> list[tuple[int, dict]]:
    """The file's data rows as (line number, {column name: text}), blank rows left out; raises ImportFileError."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError(TOO_BIG)
    text = decode(raw)
    lines = text.splitlines()
    if not lines:
        raise ImportFileError("Le fichier est vide.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    try:
        header = next(reader)
        columns = [HEADER_ALIASES.get(normalize_search(cell)) for cell in header]
        if "last_name" not in columns or "first_name" not in columns:
            raise ImportFileError(
                "La première ligne doit être celle du modèle, avec au moins les colonnes « Nom » et « Prénom ». "
                "Téléchargez le modèle et copiez-y vos données."
            )
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(f"Le fichier dépasse {MAX_ROWS} lignes : découpez-le en plusieurs fichiers.")
            row = {name: cell.strip() for name, cell in zip(columns, cells, strict=False) if name}
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise ImportFileError(f"Le fichier n'est pas un CSV lisible (ligne {reader.line_num} : {error}).") from None
    if not rows:
        raise ImportFileError("Le fichier ne contient aucune ligne de données sous la ligne d'en-tête.")
    return rows


class _Communes:
    """Communes resolved once per distinct text of the file."""

    def __init__(self):
        self.known = {}

    def resolve(self, text: str):
        if text not in self.known:
            try:
                self.known[text] = (resolve_commune(text), "")
            except ValidationError as error:
                self.known[text] = (None, " ".join(error.messages))
        return self.known[text]


def _row_result(line: int, row: dict, communes: _Communes) -> RowResult:
    result = RowResult(line=line, name=f"{row.get('first_name', '')} {row.get('last_name', '')}".strip())
    gender = GENDERS.get(normalize_search(row.get("gender", "")))
    status = STATUSES.get(normalize_search(row.get("status", "")))
    if gender is None:
        result.errors.append(f"Genre « {row['gender']} » inconnu : écrivez F, M ou laissez vide.")
    if status is None:
        result.errors.append(
            f"Statut « {row['status']} » inconnu : Scolarisé(e), Sans emploi, En emploi, Retraité(e) ou vide."
        )
    data = {name: row.get(name, "") for name in ("last_name", "first_name", "phone", "email", "birth_year", "notes")}
    form = BeneficiaryForm(data={**data, "gender": gender or "", "status": status or ""})
    del form.fields["commune"]
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            result.errors.extend(f"{label} : {error}" if label else error for error in errors)
    commune_id = None
    if row.get("commune"):
        commune, message = communes.resolve(row["commune"])
        if commune is None:
            result.errors.append(f"Commune : {message}")
        else:
            commune_id = commune.pk
    if result.ok:
        values = form.cleaned_data
        result.values = {
            "last_name": values["last_name"],
            "first_name": values["first_name"],
            "phone": values["phone"],
            "email": values["email"],
            "birth_year": values["birth_year"],
            "notes": values["notes"],
            "gender": gender,
            "status": status,
            "commune_id": commune_id,
        }
    return result


def analyse(raw: bytes, followed) -> list[RowResult]:
    """A verdict for each data row; `followed` are the advisor's followed people (a row duplicating one of them, or
    an earlier row of the file, is refused). Raises ImportFileError when the file itself is unreadable."""
    rows = read_rows(raw)
    existing = {row[0]: row for row in followed.values_list("pk", *Person.COLUMNS)}
    index = DuplicateIndex(Person.of(*row) for row in existing.values())
    communes, results, lines = _Communes(), [], {}
    for line, row in rows:
        result = _row_result(line, row, communes)
        if result.ok:
            values = result.values
            person = Person.of(None, values["last_name"], values["first_name"], values["phone"], values["email"])
            matches = index.matches(person)
            if matches:
                other = matches[0][0]
                if other.pk is None:
                    result.errors.append(f"Doublon de la ligne {lines[id(other)]} du fichier.")
                else:
                    _, last_name, first_name, *_ = existing[other.pk]
                    result.errors.append(f"Doublon de « {first_name} {last_name} », déjà dans vos bénéficiaires.")
                result.values = {}
            else:
                index.add(person)
                lines[id(person)] = line
        results.append(result)
    return results
