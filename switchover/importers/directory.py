"""Importers of the network: structures (+ conventions), conseillers, permanences, contracts, ruptures.

Design note: each chunk (2,000 documents) costs a fixed number of queries whatever its size: the known external
ids (1), the references of other collections (1, `legacy_targets`), communes (1–2), the rows (1 bulk_create each
kind) and the LegacyRecords (1); `tests/switchover/test_import_directory.py` asserts the bound per chunk. The
mapping of every field is in the README, section « Reprise des données de l'ancien système ».

Measured (2-core machine, 2,900 structures with 5,800 conventions and 8,700 events, 4,000 conseillers, 2,900
permanences, 4,000 contracts, 1,000 ruptures): SQLite 6.4 s in all (1,600–4,300 rows/s per collection), PostgreSQL
11.8 s (900–1,800 rows/s); a rerun finds the 14,800 documents already imported in 1.7 s / 2.7 s.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Exists, Max, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from directory.conventions import default_end
from directory.enums import (
    AccessType,
    AdvisorStatus,
    ContractEndReason,
    ContractStatus,
    ContractType,
    ConventionEventKind,
    ConventionStatus,
    DayPart,
    Network,
    StructureStatus,
    Weekday,
)
from directory.models import (
    Advisor,
    Contract,
    Convention,
    ConventionEvent,
    Place,
    PlaceAssignment,
    Structure,
    default_opening_hours,
)
from directory.validators import siret_is_valid
from switchover.importers import register
from switchover.importers.legacy_csv import is_csv_document, structure_from_csv
from switchover.importers.legacy_values import (
    CONTRACT_TYPES,
    STRUCTURE_TYPES,
    jsonable,
    legacy_targets,
    moment,
    paris_date,
    phone,
    rest,
    text,
    yes,
)
from switchover.models import ImportRun, LegacyRecord
from switchover.pipeline import Importer, LoadResult, Mapped, Rejected, Skipped
from territories.models import Commune, Department, PostalCode


@dataclass
class Row:
    """What `map` makes of a document: model fields, references to other collections, unmapped fields."""

    fields: dict
    raw: dict
    legacy_number: int | None = None
    refs: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


class DirectoryImporter(Importer):
    """Skips known external ids, writes the new rows with `write`, then their LegacyRecords (set-based)."""

    def __init__(self, today: date | None = None):
        self.today = today or timezone.localdate()

    def external_id(self, document: dict) -> str:
        if document.get("_id"):
            return str(document["_id"])
        number = document.get("idPG") or document.get("ID Structure") or document.get("Id conseiller")
        return f"pg-{number}" if number else ""

    def _known(self, rows: list[Mapped]) -> set[str]:
        ids = {row.external_id for row in rows}
        numbers = {row.row.legacy_number for row in rows if row.row.legacy_number is not None}
        found = LegacyRecord.objects.filter(
            Q(external_id__in=ids) | Q(legacy_number__in=numbers), collection=self.collection
        ).values_list("external_id", "legacy_number")
        known_numbers = {number for _, number in found if number is not None}
        known_ids = {external_id for external_id, _ in found}
        return {
            row.external_id for row in rows if row.external_id in known_ids or row.row.legacy_number in known_numbers
        }

    def count_existing(self, rows: list[Mapped]) -> int:
        return len(self._known(rows))

    def load(self, rows: list[Mapped], run: ImportRun) -> LoadResult:
        known = self._known(rows)
        new, seen = [], set()
        for row in rows:
            if row.external_id in known or row.external_id in seen:
                continue
            seen.add(row.external_id)
            new.append(row)
        rejected: list[tuple[int, str, str]] = []
        written = self.write(new, rejected) if new else []
        LegacyRecord.objects.bulk_create(
            LegacyRecord(
                collection=self.collection,
                external_id=row.external_id,
                legacy_number=row.row.legacy_number,
                target_id=target_id,
                raw=row.row.raw,
                run=run,
            )
            for row, target_id in written
        )
        return LoadResult(imported=len(written), existing=len(rows) - len(new), rejected=rejected)

    def write(self, rows: list[Mapped], rejected: list) -> list[tuple[Mapped, int | None]]:
        """Create the rows; append (line, external id, reason) to `rejected`; return (row, target id) written."""
        raise NotImplementedError


def resolve_communes(rows: list[Mapped]) -> dict[int, tuple[str, str]]:
    """{line: (commune code, department code)} from the INSEE code, else the postal code (1–2 queries)."""
    codes = {row.row.refs.get("commune") for row in rows} - {None, ""}
    found = dict(Commune.objects.filter(code__in=codes).values_list("code", "department_id"))
    resolved, missing = {}, []
    for row in rows:
        code = row.row.refs.get("commune")
        if code in found:
            resolved[row.line] = (code, found[code])
        else:
            missing.append(row)
    postal_codes = {row.row.fields.get("postal_code") for row in missing} - {None, ""}
    if postal_codes:
        by_postal_code = {}
        for postal_code, commune, department in (
            PostalCode.objects.filter(code__in=postal_codes)
            .order_by("code", "commune_id")
            .values_list("code", "commune_id", "commune__department_id")
        ):
            by_postal_code.setdefault(postal_code, (commune, department))
        for row in missing:
            if row.row.fields.get("postal_code") in by_postal_code:
                resolved[row.line] = by_postal_code[row.row.fields["postal_code"]]
    return resolved


# --- structures ------------------------------------------------------------------------------------------------


# EXAMEN_COMPLEMENTAIRE_COSELEC is undecided (as CREEE, "non traitée"); REFUS_COORDINATEUR is a refusal. Both keep
# the original value in raw["statut"].
STRUCTURE_STATUSES = {
    "CREEE": StructureStatus.CREATED,
    "EXAMEN_COMPLEMENTAIRE_COSELEC": StructureStatus.CREATED,
    "VALIDATION_COSELEC": StructureStatus.VALIDATED,
    "REFUS_COSELEC": StructureStatus.REFUSED,
    "REFUS_COORDINATEUR": StructureStatus.REFUSED,
    "NEGATIF": StructureStatus.REFUSED,
    "ABANDON": StructureStatus.ABANDONED,
    "ANNULEE": StructureStatus.CANCELLED,
    "DOUBLON": StructureStatus.DUPLICATE,
}
LOSSY_STATUSES = {"EXAMEN_COMPLEMENTAIRE_COSELEC", "REFUS_COORDINATEUR", "NEGATIF"}

STRUCTURE_COLUMNS = frozenset(
    {
        "idPG",
        "type",
        "nom",
        "siret",
        "ridet",
        "statut",
        "contact",
        "codePostal",
        "codeCommune",
        "location",
        "estLabelliseFranceServices",
        "estLabelliseAidantsConnect",
        "qpvStatut",
        "estZRR",
        "createdAt",
        "updatedAt",
        "validatedAt",
        "coselec",
        "reseau",
        # Held by the commune / its department and region.
        "nomCommune",
        "codeDepartement",
        "codeRegion",
    }
)

AVENANT_ADD_TYPES = {"ajout"}
AVENANT_RETURN_TYPES = {"retrait", "rendu", "coordinateur-rendu"}


def _network(value) -> str:
    if not value:
        return ""
    key = text(value, 100).lower().replace("’", "'")
    for choice in Network:
        if key in (choice.value, choice.label.lower()) or choice.label.lower() in key:
            return choice.value
    return ""


def _structure_address(document: dict) -> str:
    insee = (document.get("insee") or {}).get("adresse") or {}
    parts = [insee.get("numero_voie"), insee.get("indice_repetition_voie"), insee.get("type_voie")]
    parts += [insee.get("libelle_voie"), insee.get("complement_adresse")]
    return text(" ".join(str(part) for part in parts if part), 255)


def coselec_quota(coselec: list) -> int:
    """The posts granted: the last POSITIF entry's `nombreConseillersCoselec` (the existing system's getCoselec)."""
    positives = [entry for entry in coselec or [] if entry.get("avisCoselec") == "POSITIF"]
    return int(positives[-1].get("nombreConseillersCoselec") or 0) if positives else 0


def _avenant_motifs(document: dict) -> dict[date, dict]:
    """Validated avenants (demandesCoselec) by their validation date, to annotate the quota change of that day."""
    motifs = {}
    for request in document.get("demandesCoselec") or []:
        if request.get("statut") != "validee":
            continue
        validated = paris_date((request.get("validateurAvenant") or {}).get("date"))
        if validated:
            motifs[validated] = request
    return motifs


def conventions_plan(document: dict, *, today: date) -> list[dict]:
    """Phase 1 and 2 conventions and their dated events, from the POSITIF entries of `coselec[]` (pure).

    Each POSITIF entry sets a new quota; its event's delta is the change from the previous quota. Phase 2 opens a
    second convention following the first (a renewal carries the last phase-1 quota over when phase 2 begins with
    an avenant). A convention runs three years (directory.conventions.default_end), the first one ending the day
    before the second starts.
    """
    positives = [entry for entry in document.get("coselec") or [] if entry.get("avisCoselec") == "POSITIF"]
    motifs = _avenant_motifs(document)
    conventionnement = document.get("conventionnement") or {}
    plan: list[dict] = []
    quota = 0
    for phase in (1, 2):
        entries = [entry for entry in positives if str(entry.get("phaseConventionnement") or "1") == str(phase)]
        if not entries:
            continue
        first_date = paris_date(entries[0].get("insertedAt")) or paris_date(document.get("coselecAt"))
        if first_date is None:
            continue
        events = []
        start = first_date
        renewal = bool(plan)
        if renewal and entries[0].get("type") in AVENANT_ADD_TYPES | AVENANT_RETURN_TYPES:
            dossier = conventionnement.get("dossierReconventionnement") or {}
            accepted = paris_date(dossier.get("dateDerniereModification"))
            start = min(first_date, accepted) if accepted else first_date
            events.append({"kind": ConventionEventKind.RENEWAL, "delta": quota, "on": start, "reference": ""})
        else:
            quota = 0
        for index, entry in enumerate(entries):
            posts = int(entry.get("nombreConseillersCoselec") or 0)
            delta = posts - quota
            quota = posts
            kind_of = str(entry.get("type") or "")
            if not events and index == 0:
                kind = ConventionEventKind.RENEWAL if renewal else ConventionEventKind.GRANT
            elif "coordinateur" in kind_of and delta > 0:
                kind = ConventionEventKind.COORDINATOR_POST
            elif kind_of in AVENANT_RETURN_TYPES or delta < 0:
                kind = ConventionEventKind.POSTS_RETURNED
            elif delta == 0:
                continue
            else:
                kind = ConventionEventKind.POSTS_ADDED
            on = paris_date(entry.get("insertedAt")) or start
            request = motifs.get(on) or {}
            events.append(
                {
                    "kind": kind,
                    "delta": delta,
                    "on": max(on, start),
                    "reference": text(entry.get("numero"), 60),
                    "comment": text(request.get("motif"), 255),
                    "coordinator": "coordinateur" in kind_of or bool(request.get("estPosteCoordinateur")),
                }
            )
        plan.append({"phase": phase, "start": start, "end": default_end(start), "events": events})
    if len(plan) == 2 and plan[1]["start"] > plan[0]["start"]:
        plan[0]["end"] = min(plan[0]["end"], plan[1]["start"] - timedelta(days=1))
    for convention in plan:
        convention["end"] = max(convention["end"], convention["start"] + timedelta(days=1))
        for event in convention["events"]:
            event["on"] = min(event["on"], convention["end"])
    reconvention_requested = conventionnement.get("statut") == "RECONVENTIONNEMENT_INITIÉ"
    for index, convention in enumerate(plan):
        if index < len(plan) - 1:
            convention["status"] = ConventionStatus.RENEWED
        elif reconvention_requested:
            convention["status"] = ConventionStatus.RENEWAL_REQUESTED
        elif convention["end"] < today:
            convention["status"] = ConventionStatus.ENDED
        else:
            convention["status"] = ConventionStatus.ACTIVE
    return plan


@register
class StructuresImporter(DirectoryImporter):
    collection = "structures"
    label = "Structures"

    def map(self, document: dict) -> Row:
        if is_csv_document(document):
            document = structure_from_csv(document)
        name = text(document.get("nom"), 255)
        if not name:
            raise Rejected("dénomination manquante")
        legacy_type = str(document.get("type") or "").upper()
        if legacy_type not in STRUCTURE_TYPES:
            raise Rejected(f"type de structure inconnu : « {document.get('type') or ''} »")
        legacy_status = str(document.get("statut") or "")
        if legacy_status not in STRUCTURE_STATUSES:
            raise Rejected(f"statut de structure inconnu : « {legacy_status} »")
        commune = str(document.get("codeCommune") or "") or str(
            ((document.get("insee") or {}).get("adresse") or {}).get("code_commune") or ""
        )
        if not commune:
            raise Rejected("code commune manquant")
        raw = rest(document, STRUCTURE_COLUMNS)
        siret = "".join(char for char in str(document.get("siret") or "") if char.isdigit()) or None
        if siret and not siret_is_valid(siret):
            raw["siret_invalide"] = str(document.get("siret"))
            siret = None
        ridet = "".join(char for char in str(document.get("ridet") or "") if char.isdigit()) or None
        if ridet and len(ridet) not in (7, 10):
            raw["ridet_invalide"] = str(document.get("ridet"))
            ridet = None
        if legacy_status in LOSSY_STATUSES:
            raw["statut"] = legacy_status
        contact = document.get("contact") or {}
        contact_phone = phone(contact.get("telephone"))
        if contact.get("telephone") and not contact_phone:
            raw["contact_telephone_invalide"] = str(contact.get("telephone"))
        for key in ("inactivite",):
            if contact.get(key) is not None:
                raw[f"contact_{key}"] = jsonable(contact[key])
        network = _network(document.get("reseau"))
        if document.get("reseau") and not network:
            raw["reseau"] = document["reseau"]
        if document.get("qpvStatut") not in (None, "Oui", "Non"):
            raw["qpvStatut"] = document["qpvStatut"]
        not_granted = [entry for entry in document.get("coselec") or [] if entry.get("avisCoselec") != "POSITIF"]
        if not_granted:
            raw["coselec_non_positifs"] = jsonable(not_granted)
        coordinates = (document.get("location") or {}).get("coordinates") or [None, None]
        status = STRUCTURE_STATUSES[legacy_status]
        validated_at = moment(document.get("validatedAt")) or (
            moment(document.get("coselecAt")) if status == StructureStatus.VALIDATED else None
        )
        number = document.get("idPG")
        return Row(
            fields={
                "siret": siret,
                "ridet": ridet,
                "name": name,
                "type": STRUCTURE_TYPES[legacy_type],
                "status": status,
                "address": _structure_address(document),
                "postal_code": text(document.get("codePostal"), 5),
                "latitude": coordinates[1] if len(coordinates) > 1 else None,
                "longitude": coordinates[0],
                "contact_first_name": text(contact.get("prenom"), 100),
                "contact_last_name": text(contact.get("nom"), 100),
                "contact_function": text(contact.get("fonction"), 150),
                "contact_email": text(contact.get("email"), 254),
                "contact_phone": contact_phone,
                "network": network,
                "france_services_label": yes(document.get("estLabelliseFranceServices")),
                "aidants_connect_label": yes(document.get("estLabelliseAidantsConnect")),
                "qpv": yes(document.get("qpvStatut")),
                "zrr": yes(document.get("estZRR")),
                "posts_granted": coselec_quota(document.get("coselec")),
                "validated_at": validated_at,
                "created_at": moment(document.get("createdAt")) or timezone.now(),
            },
            raw=raw,
            legacy_number=int(number) if str(number or "").isdigit() else None,
            refs={"commune": commune},
            extra={"conventions": conventions_plan(document, today=self.today), "legacy_status": legacy_status},
        )

    def write(self, rows, rejected):
        communes = resolve_communes(rows)
        sirets = {row.row.fields["siret"] for row in rows} - {None}
        ridets = {row.row.fields["ridet"] for row in rows} - {None}
        taken = set(Structure.objects.filter(siret__in=sirets).values_list("siret", flat=True)) if sirets else set()
        taken_ridets = set()
        if ridets:
            taken_ridets = set(Structure.objects.filter(ridet__in=ridets).values_list("ridet", flat=True))
        accepted = []
        for row in rows:
            fields = row.row.fields
            if row.line not in communes:
                rejected.append((row.line, row.external_id, f"commune inconnue : {row.row.refs['commune']}"))
                continue
            for key, seen, label in (("siret", taken, "SIRET"), ("ridet", taken_ridets, "RIDET")):
                value = fields[key]
                if value is None:
                    continue
                if value in seen:
                    if row.row.extra["legacy_status"] != "DOUBLON":
                        rejected.append((row.line, row.external_id, f"{label} {value} déjà présent (doublon)"))
                        break
                    # A structure already marked as a duplicate keeps its history without its SIRET.
                    row.row.raw[f"{key}_doublon"] = value
                    fields[key] = None
                else:
                    seen.add(value)
            else:
                accepted.append(row)
        structures = [
            Structure(**row.row.fields, commune_id=communes[row.line][0], department_id=communes[row.line][1])
            for row in accepted
        ]
        Structure.objects.bulk_create(structures)
        self._write_conventions(accepted, structures)
        return [(row, structure.pk) for row, structure in zip(accepted, structures, strict=True)]

    def _write_conventions(self, rows: list[Mapped], structures: list[Structure]) -> None:
        firsts, seconds = [], []
        for row, structure in zip(rows, structures, strict=True):
            for plan in row.row.extra["conventions"]:
                suffix = row.row.legacy_number or row.external_id
                convention = Convention(
                    structure=structure,
                    number=f"CNFS-{suffix}-P{plan['phase']}"[:30],
                    phase=plan["phase"],
                    start=plan["start"],
                    end=plan["end"],
                    status=plan["status"],
                )
                (seconds if plan["phase"] == 2 else firsts).append((convention, plan))
        Convention.objects.bulk_create([convention for convention, _ in firsts])
        phase_one = {convention.structure_id: convention for convention, _ in firsts}
        for convention, _ in seconds:
            convention.previous = phase_one.get(convention.structure_id)
        Convention.objects.bulk_create([convention for convention, _ in seconds])
        ConventionEvent.objects.bulk_create(
            ConventionEvent(
                convention=convention,
                kind=event["kind"],
                effective_on=event["on"],
                delta=event["delta"],
                is_coordinator_post=event.get("coordinator", False),
                reference=event.get("reference", ""),
                comment=event.get("comment", ""),
            )
            for convention, plan in firsts + seconds
            for event in plan["events"]
        )


# --- conseillers -----------------------------------------------------------------------------------------------

# TERMINE: the contract ended at its term without renewal (admin-api clotureConseiller.ts); no structureId is left,
# the structure and end date come from the contracts (advisors_sync).
ADVISOR_STATUSES = {"RECRUTE": AdvisorStatus.ACTIVE, "RUPTURE": AdvisorStatus.ENDED, "TERMINE": AdvisorStatus.ENDED}

ADVISOR_COLUMNS = frozenset(
    {
        "idPG",
        "prenom",
        "nom",
        "email",
        "telephone",
        "statut",
        "structureId",
        "datePrisePoste",
        "dateFinFormation",
        "certificationPixFormation",
        "emailCN",
        "emailPro",
        "telephonePro",
        "supHierarchique",
        "estCoordinateur",
        "nonAffichageCarto",
        "createdAt",
        # Held by the structure's columns, or by other collections (permanences, contracts).
        "codeDepartementStructure",
        "codeRegionStructure",
        "estRecrute",
    }
)


@register
class AdvisorsImporter(DirectoryImporter):
    collection = "conseillers"
    label = "Conseillers"
    depends_on = ("structures",)

    def map(self, document: dict) -> Row:
        legacy_status = document.get("statut")
        if not legacy_status:
            raise Skipped("candidat")
        if legacy_status not in ADVISOR_STATUSES:
            raise Rejected(f"statut de conseiller inconnu : « {legacy_status} »")
        first_name, last_name = text(document.get("prenom"), 100), text(document.get("nom"), 100)
        if not first_name or not last_name:
            raise Rejected("prénom ou nom manquant")
        raw = rest(document, ADVISOR_COLUMNS)
        ruptures = sorted(document.get("ruptures") or [], key=lambda r: paris_date(r.get("dateRupture")) or date.min)
        structure = document.get("structureId") or (ruptures[-1].get("structureId") if ruptures else None)
        if legacy_status == "RECRUTE" and not structure:
            raise Rejected("conseiller recruté sans structure")
        manager = document.get("supHierarchique") or {}
        manager_phone = phone(manager.get("numeroTelephone"))
        personal_phone, pro_phone = phone(document.get("telephone")), phone(document.get("telephonePro"))
        for key, value, cleaned in (
            ("telephone", document.get("telephone"), personal_phone),
            ("telephonePro", document.get("telephonePro"), pro_phone),
            ("supHierarchique_telephone", manager.get("numeroTelephone"), manager_phone),
        ):
            if value and not cleaned:
                raw[f"{key}_invalide"] = str(value)
        email_cn = (document.get("emailCN") or {}).get("address") or ""
        if document.get("emailPro") and email_cn:
            raw["emailCN"] = email_cn
        coordination = document.get("listeSubordonnes") or {}
        number = document.get("idPG")
        ended_at = None
        if legacy_status == "RUPTURE" and ruptures:
            ended_at = paris_date(ruptures[-1].get("dateRupture"))
        return Row(
            fields={
                "first_name": first_name,
                "last_name": last_name,
                "email": text(document.get("email"), 254),
                "phone": personal_phone,
                "professional_email": text(document.get("emailPro") or email_cn, 254),
                "professional_phone": pro_phone,
                "status": ADVISOR_STATUSES[legacy_status],
                "started_at": paris_date(document.get("datePrisePoste")),
                "ended_at": ended_at,
                "training_start": paris_date(document.get("datePrisePoste")),
                "training_end": paris_date(document.get("dateFinFormation")),
                "certified": bool(document.get("certificationPixFormation")),
                "is_coordinator": bool(document.get("estCoordinateur")),
                "line_manager_name": text(f"{manager.get('prenom') or ''} {manager.get('nom') or ''}", 150),
                "line_manager_function": text(manager.get("fonction"), 150),
                "line_manager_email": text(manager.get("email"), 254),
                "line_manager_phone": manager_phone,
                "show_on_map": not document.get("nonAffichageCarto"),
                "created_at": moment(document.get("createdAt")) or timezone.now(),
            },
            raw=raw,
            legacy_number=int(number) if str(number or "").isdigit() else None,
            refs={"structure": str(structure or ""), "legacy_status": legacy_status},
            extra={"coordination": coordination if document.get("estCoordinateur") else {}},
        )

    def write(self, rows, rejected):
        targets = legacy_targets({"structures": {row.row.refs["structure"] for row in rows}})
        wanted_departments, wanted_regions = set(), set()
        for row in rows:
            coordination = row.row.extra["coordination"]
            codes = {str(code) for code in coordination.get("liste") or []}
            if coordination.get("type") == "codeDepartement":
                wanted_departments |= codes
            elif coordination.get("type") == "codeRegion":
                wanted_regions |= codes
        departments = defaultdict(set)
        if wanted_departments or wanted_regions:
            for code, region in Department.objects.filter(
                Q(code__in=wanted_departments) | Q(region_id__in=wanted_regions)
            ).values_list("code", "region_id"):
                departments[("codeDepartement", code)].add(code)
                departments[("codeRegion", region)].add(code)
        accepted, advisors = [], []
        for row in rows:
            structure_id = targets.get(("structures", row.row.refs["structure"]))
            if structure_id is None and row.row.refs["legacy_status"] == "RECRUTE":
                rejected.append((row.line, row.external_id, f"structure inconnue : {row.row.refs['structure']}"))
                continue
            accepted.append(row)
            advisors.append(Advisor(**row.row.fields, structure_id=structure_id))
        Advisor.objects.bulk_create(advisors)
        links = []
        for row, advisor in zip(accepted, advisors, strict=True):
            coordination = row.row.extra["coordination"]
            kind = coordination.get("type")
            for code in coordination.get("liste") or []:
                for department in sorted(departments.get((kind, str(code)), ())):
                    links.append(Advisor.coordination_departments.through(advisor=advisor, department_id=department))
        Advisor.coordination_departments.through.objects.bulk_create(links, ignore_conflicts=True)
        return [(row, advisor.pk) for row, advisor in zip(accepted, advisors, strict=True)]

    def after(self, run: ImportRun) -> None:
        """Coordinators' teams (listeSubordonnes of type conseillers), once every advisor of the file is known."""
        records = LegacyRecord.objects.filter(collection=self.collection, run=run, raw__has_key="listeSubordonnes")
        teams = {
            target: [str(item) for item in (raw["listeSubordonnes"] or {}).get("liste") or []]
            for target, raw in records.values_list("target_id", "raw")
            if (raw.get("listeSubordonnes") or {}).get("type") == "conseillers"
        }
        members = legacy_targets({self.collection: {item for team in teams.values() for item in team}})
        through = Advisor.coordinated_advisors.through
        through.objects.bulk_create(
            [
                through(from_advisor_id=coordinator, to_advisor_id=members[(self.collection, member)])
                for coordinator, team in teams.items()
                for member in team
                if members.get((self.collection, member))
            ],
            ignore_conflicts=True,
        )


# --- permanences -----------------------------------------------------------------------------------------------

PLACE_COLUMNS = frozenset(
    {
        "nomEnseigne",
        "numeroTelephone",
        "email",
        "siteWeb",
        "adresse",
        "location",
        "horaires",
        "typeAcces",
        "itinerant",
        "conseillers",
        "lieuPrincipalPour",
        "conseillersItinerants",
        "structure",
        "createdAt",
        "updatedAt",
    }
)
CLOSED = {"", "fermé", "ferme", "closed"}


def opening_hours(horaires) -> tuple[dict, list]:
    """horaires[7] (Monday first, {matin|apresMidi: [start, end]}, "Fermé") → our opening hours, and the bad spans."""
    hours = default_opening_hours()
    refused = []
    for day, slot in zip(Weekday, horaires or [], strict=False):
        for legacy, part in (("matin", DayPart.MORNING), ("apresMidi", DayPart.AFTERNOON)):
            span = (slot or {}).get(legacy) or []
            if len(span) != 2 or any(str(value).strip().lower() in CLOSED for value in span):
                continue
            start, end = (str(value).strip().replace("h", ":").zfill(5) for value in span)
            if len(start) == 5 and len(end) == 5 and start < end:
                hours[day.value][part.value] = [start, end]
            else:
                refused.append({"jour": day.value, "demi_journee": part.value, "horaires": list(span)})
    return hours, refused


@register
class PlacesImporter(DirectoryImporter):
    collection = "permanences"
    label = "Lieux d'activité"
    depends_on = ("structures", "conseillers")

    def map(self, document: dict) -> Row:
        address = document.get("adresse") or {}
        name = text(document.get("nomEnseigne"), 200)
        if not name:
            raise Rejected("nom du lieu manquant")
        commune = str(address.get("codeCommune") or "")
        if not commune and not address.get("codePostal"):
            raise Rejected("adresse sans code commune ni code postal")
        raw = rest(document, PLACE_COLUMNS)
        hours, refused = opening_hours(document.get("horaires"))
        if refused:
            raw["horaires_illisibles"] = refused
        access = [value for value in document.get("typeAcces") or [] if value in AccessType.values]
        if len(access) != len(document.get("typeAcces") or []):
            raw["typeAcces"] = document["typeAcces"]
        place_phone = phone(document.get("numeroTelephone"))
        if document.get("numeroTelephone") and not place_phone:
            raw["numeroTelephone_invalide"] = str(document["numeroTelephone"])
        website = text(document.get("siteWeb"), 200)
        if website and not website.startswith(("http://", "https://")):
            raw["siteWeb"], website = website, ""
        coordinates = (document.get("location") or {}).get("coordinates") or [None, None]
        advisors = [str(item) for item in document.get("conseillers") or []]
        itinerants = [str(item) for item in document.get("conseillersItinerants") or []]
        return Row(
            fields={
                "name": name,
                "address": text(f"{address.get('numeroRue') or ''} {address.get('rue') or ''}", 255),
                "postal_code": text(address.get("codePostal"), 5),
                "latitude": coordinates[1] if len(coordinates) > 1 else None,
                "longitude": coordinates[0],
                "opening_hours": hours,
                "access_types": access,
                "itinerant": bool(document.get("itinerant")),
                "phone": place_phone,
                "email": text(document.get("email"), 254),
                "website": website,
                "created_at": moment(document.get("createdAt")) or moment(document.get("updatedAt")) or timezone.now(),
            },
            raw=raw,
            refs={
                "commune": commune,
                "structure": str(document.get("structure") or ""),
                "advisors": list(dict.fromkeys(advisors + itinerants)),
                "principal": {str(item) for item in document.get("lieuPrincipalPour") or []},
            },
        )

    def write(self, rows, rejected):
        communes = resolve_communes(rows)
        targets = legacy_targets(
            {
                "structures": {row.row.refs["structure"] for row in rows},
                "conseillers": {item for row in rows for item in row.row.refs["advisors"]},
            }
        )
        advisor_ids = {target for (collection, _), target in targets.items() if collection == "conseillers"}
        has_principal = set(
            PlaceAssignment.objects.filter(advisor_id__in=advisor_ids, is_principal=True).values_list(
                "advisor_id", flat=True
            )
        )
        accepted, places = [], []
        for row in rows:
            if row.line not in communes:
                reason = f"commune inconnue : {row.row.refs['commune'] or row.row.fields['postal_code']}"
                rejected.append((row.line, row.external_id, reason))
                continue
            accepted.append(row)
            places.append(
                Place(
                    **row.row.fields,
                    commune_id=communes[row.line][0],
                    department_id=communes[row.line][1],
                    structure_id=targets.get(("structures", row.row.refs["structure"])),
                )
            )
        Place.objects.bulk_create(places)
        assignments = []
        for row, place in zip(accepted, places, strict=True):
            unknown = []
            for external_id in row.row.refs["advisors"]:
                advisor_id = targets.get(("conseillers", external_id))
                if advisor_id is None:
                    unknown.append(external_id)
                    continue
                principal = external_id in row.row.refs["principal"] and advisor_id not in has_principal
                if principal:
                    has_principal.add(advisor_id)
                assignments.append(PlaceAssignment(place=place, advisor_id=advisor_id, is_principal=principal))
            if unknown:
                row.row.raw["conseillers_non_repris"] = unknown
        PlaceAssignment.objects.bulk_create(assignments)
        return [(row, place.pk) for row, place in zip(accepted, places, strict=True)]


# --- misesEnRelation → contracts -------------------------------------------------------------------------------

# Legacy status → (status, end reason); a matching suggestion is not a contract.
CONTRACT_STATUSES = {
    "finalisee": (ContractStatus.ACTIVE, ""),
    "nouvelle_rupture": (ContractStatus.ACTIVE, ""),
    "finalisee_rupture": (ContractStatus.ENDED, ContractEndReason.RUPTURE),
    "terminee": (ContractStatus.ENDED, ContractEndReason.RENEWED),
    "terminee_naturelle": (ContractStatus.ENDED, ContractEndReason.TERM),
}
PENDING_RENEWAL = "renouvellement_initiee"
SUGGESTIONS = {"nouvelle", "interessee", "nonInteressee", "non_disponible", "recrutee"}
RUPTURE_REASONS = {
    "licenciement": ContractEndReason.RUPTURE,
    "demission": ContractEndReason.RUPTURE,
    "CDIsation": ContractEndReason.RUPTURE,
    "nonReconductionCDD": ContractEndReason.TERM,
    "FinDeSubventionnement": ContractEndReason.CONVENTION_ENDED,
}
CONTRACT_COLUMNS = frozenset(
    {
        "conseiller",
        "structure",
        "statut",
        "typeDeContrat",
        "dateDebutDeContrat",
        "dateFinDeContrat",
        "salaire",
        "contratCoordinateur",
        "phaseConventionnement",
        "miseEnRelationConventionnement",
        "createdAt",
        "updatedAt",
        "conseillerCreatedAt",
    }
)


def _salary(value) -> int | None:
    try:
        amount = round(float(str(value).replace(" ", "").replace(",", ".")))
    except (TypeError, ValueError):
        return None
    return amount if amount > 0 else None


def _end_reason(motif) -> str:
    return RUPTURE_REASONS.get(str(motif or ""), ContractEndReason.RUPTURE)


@register
class ContractsImporter(DirectoryImporter):
    collection = "misesEnRelation"
    label = "Contrats"
    depends_on = ("structures", "conseillers")

    def map(self, document: dict) -> Row:
        legacy_status = document.get("statut")
        if legacy_status in SUGGESTIONS:
            raise Skipped("mise en relation sans contrat")
        refs = {
            "advisor": str(document.get("conseiller") or ""),
            "structure": str(document.get("structure") or ""),
            "follows": str(document.get("miseEnRelationConventionnement") or ""),
        }
        raw = rest(document, CONTRACT_COLUMNS)
        raw["statut"] = legacy_status
        if legacy_status == PENDING_RENEWAL:
            # A renewal the national team had not validated yet: no contract; its terms stay in raw.
            raw.update(rest(document, {"_id"}))
            return Row(fields={}, raw=raw, refs=refs, extra={"pending": True})
        if legacy_status not in CONTRACT_STATUSES:
            raise Rejected(f"statut de mise en relation inconnu : « {legacy_status} »")
        contract_type = CONTRACT_TYPES.get(str(document.get("typeDeContrat") or ""))
        if contract_type is None:
            raise Rejected(f"type de contrat inconnu : « {document.get('typeDeContrat') or ''} »")
        start = paris_date(document.get("dateDebutDeContrat"))
        if start is None:
            raise Rejected("date de début de contrat manquante")
        end = legacy_end = paris_date(document.get("dateFinDeContrat"))
        if end is not None and (contract_type == ContractType.CDI or end <= start):
            raw["dateFinDeContrat"] = end.isoformat()
            end = None
        status, reason = CONTRACT_STATUSES[legacy_status]
        ended_on = None
        rupture_on = paris_date(document.get("dateRupture")) if legacy_status == "finalisee_rupture" else None
        if rupture_on is not None and rupture_on > self.today:
            # Validated ahead of its date: the advisor works until then. The imported rupture is scheduled and the
            # daily apply_contract_endings closes this contract on its date (the dated-effects rule).
            status, reason = ContractStatus.ACTIVE, ""
            raw["rupture_programmee"] = rupture_on.isoformat()
        if status == ContractStatus.ENDED:
            if legacy_status == "finalisee_rupture":
                ended_on = rupture_on
                reason = _end_reason(document.get("motifRupture"))
            ended_on = ended_on or legacy_end or paris_date(document.get("updatedAt"))
            if ended_on is None:
                raise Rejected("contrat terminé sans date de fin")
        salary = _salary(document.get("salaire"))
        if document.get("salaire") not in (None, "") and salary is None:
            raw["salaire"] = document["salaire"]
        return Row(
            fields={
                "contract_type": contract_type,
                "start": start,
                "end": end,
                "salary": salary,
                "is_coordinator_post": bool(document.get("contratCoordinateur")),
                "status": status,
                "ended_on": ended_on,
                "end_reason": reason,
                "created_at": moment(document.get("createdAt")) or timezone.now(),
            },
            raw=raw,
            refs=refs,
            extra={"phase": 2 if str(document.get("phaseConventionnement") or "") == "2" else 1},
        )

    def write(self, rows, rejected):
        targets = legacy_targets(
            {
                "conseillers": {row.row.refs["advisor"] for row in rows},
                "structures": {row.row.refs["structure"] for row in rows},
                self.collection: {row.row.refs["follows"] for row in rows},
            }
        )
        structure_ids = {targets.get(("structures", row.row.refs["structure"])) for row in rows} - {None}
        conventions = defaultdict(list)
        rows_of_conventions = Convention.objects.filter(structure_id__in=structure_ids).values_list(
            "pk", "structure_id", "phase", "start", "end"
        )
        for pk, structure_id, phase, start, end in rows_of_conventions:
            conventions[structure_id].append((phase, start, end, pk))
        advisor_ids = {targets.get(("conseillers", row.row.refs["advisor"])) for row in rows} - {None}
        busy = set(
            Contract.objects.filter(advisor_id__in=advisor_ids, status=ContractStatus.ACTIVE)
            .order_by()
            .values_list("advisor_id", flat=True)
        )
        previous_ids = {target for (collection, _), target in targets.items() if collection == self.collection}
        followed = set(
            Contract.objects.filter(follows_id__in=previous_ids - {None})
            .order_by()
            .values_list("follows_id", flat=True)
        )
        written, contracts, pending = [], [], []
        in_chunk = {row.external_id for row in rows if not row.row.extra.get("pending")}
        # Newest first, so that an advisor's latest active contract is the one kept active.
        for row in sorted(rows, key=lambda r: r.row.fields.get("start") or date.min, reverse=True):
            if row.row.extra.get("pending"):
                pending.append(row)
                continue
            advisor_id = targets.get(("conseillers", row.row.refs["advisor"]))
            structure_id = targets.get(("structures", row.row.refs["structure"]))
            if advisor_id is None:
                rejected.append((row.line, row.external_id, f"conseiller inconnu : {row.row.refs['advisor']}"))
                continue
            if structure_id is None:
                rejected.append((row.line, row.external_id, f"structure inconnue : {row.row.refs['structure']}"))
                continue
            fields = row.row.fields
            if fields["status"] == ContractStatus.ACTIVE:
                if advisor_id in busy:
                    reason = "le conseiller a déjà un contrat en cours (mise en relation plus récente)"
                    rejected.append((row.line, row.external_id, reason))
                    continue
                busy.add(advisor_id)
            follows_id = None
            if row.row.refs["follows"]:
                follows_id = targets.get((self.collection, row.row.refs["follows"]))
                if follows_id is None or follows_id in followed:
                    follows_id = None
                    if row.row.refs["follows"] not in in_chunk:
                        row.row.raw["miseEnRelationConventionnement"] = row.row.refs["follows"]
                else:
                    followed.add(follows_id)
            convention_id = self._convention(conventions[structure_id], row.row.extra["phase"], fields["start"])
            contract = Contract(
                **fields,
                advisor_id=advisor_id,
                structure_id=structure_id,
                convention_id=convention_id,
                follows_id=follows_id,
            )
            contracts.append(contract)
            written.append(row)
        Contract.objects.bulk_create(contracts)
        self._link_within_chunk(written, contracts, followed)
        advisors_sync({contract.advisor_id for contract in contracts})
        return [(row, contract.pk) for row, contract in zip(written, contracts, strict=True)] + [
            (row, None) for row in pending
        ]

    def _link_within_chunk(self, written: list[Mapped], contracts: list[Contract], followed: set[int]) -> None:
        """Renewals whose previous contract is in the same chunk (1 query when there are some)."""
        by_external_id = {row.external_id: contract for row, contract in zip(written, contracts, strict=True)}
        linked = []
        for row, contract in zip(written, contracts, strict=True):
            previous = by_external_id.get(row.row.refs["follows"])
            if contract.follows_id is None and previous is not None and previous.pk not in followed:
                followed.add(previous.pk)
                contract.follows_id = previous.pk
                linked.append(contract)
        Contract.objects.bulk_update(linked, ["follows"])

    @staticmethod
    def _convention(conventions: list, phase: int, start: date) -> int | None:
        """The structure's convention of the contract's phase, else the one covering its start."""
        for convention_phase, _, _, pk in conventions:
            if convention_phase == phase:
                return pk
        for _, first, last, pk in conventions:
            if first <= start <= last:
                return pk
        return None

    def after(self, run: ImportRun) -> None:
        """Renewal links whose previous contract came later in the file."""
        records = LegacyRecord.objects.filter(
            collection=self.collection, run=run, raw__has_key="miseEnRelationConventionnement", target_id__isnull=False
        )
        waiting = {
            target: raw["miseEnRelationConventionnement"] for target, raw in records.values_list("target_id", "raw")
        }
        previous = legacy_targets({self.collection: set(waiting.values())})
        wanted = {target for target in previous.values() if target}
        already = set(Contract.objects.filter(follows_id__in=wanted).order_by().values_list("follows_id", flat=True))
        updates = []
        for contract_id, external_id in waiting.items():
            follows_id = previous.get((self.collection, external_id))
            if follows_id and follows_id not in already:
                already.add(follows_id)
                updates.append(Contract(pk=contract_id, follows_id=follows_id))
        Contract.objects.bulk_update(updates, ["follows"], batch_size=1000)
        linked = {contract.pk for contract in updates}
        fixed = []
        for record in records.filter(target_id__in=linked):
            record.raw.pop("miseEnRelationConventionnement", None)
            fixed.append(record)
        LegacyRecord.objects.bulk_update(fixed, ["raw"], batch_size=1000)


def advisors_sync(advisor_ids: set[int]) -> None:
    """Advisor.structure/started_at/ended_at/status from their contracts, in one UPDATE: the latest contract decides.

    bulk_update of 2,000 advisors spent 3 s building its CASE expressions (SQLite, 4,000 contracts); the correlated
    subqueries let the database do it in one statement.
    """
    if not advisor_ids:
        return
    contracts = Contract.objects.filter(advisor=OuterRef("pk")).order_by()
    active = contracts.filter(status=ContractStatus.ACTIVE)
    latest = contracts.order_by(
        Case(When(status=ContractStatus.ACTIVE, then=Value(0)), default=Value(1)), "-start", "-pk"
    )
    last_end = contracts.values("advisor").annotate(last=Max("ended_on")).values("last")
    Advisor.objects.filter(pk__in=advisor_ids).filter(Exists(contracts)).update(
        structure_id=Subquery(latest.values("structure_id")[:1]),
        started_at=Subquery(contracts.order_by("start").values("start")[:1]),
        ended_at=Case(When(Exists(active), then=Value(None)), default=Subquery(last_end)),
        status=Case(When(Exists(active), then=Value(AdvisorStatus.ACTIVE)), default=Value(AdvisorStatus.ENDED)),
    )


# --- conseillersRuptures ---------------------------------------------------------------------------------------


@register
class RupturesImporter(DirectoryImporter):
    collection = "conseillersRuptures"
    label = "Ruptures"
    depends_on = ("misesEnRelation",)

    def map(self, document: dict) -> Row:
        on = paris_date(document.get("dateRupture"))
        if on is None:
            raise Rejected("date de rupture manquante")
        if not document.get("conseillerId") or not document.get("structureId"):
            raise Rejected("conseiller ou structure manquant")
        return Row(
            fields={"ended_on": on, "end_reason": _end_reason(document.get("motifRupture"))},
            raw=rest(document, {"conseillerId", "structureId", "dateRupture"}),
            refs={"advisor": str(document["conseillerId"]), "structure": str(document["structureId"])},
        )

    def write(self, rows, rejected):
        targets = legacy_targets(
            {
                "conseillers": {row.row.refs["advisor"] for row in rows},
                "structures": {row.row.refs["structure"] for row in rows},
            }
        )
        advisor_ids = {targets.get(("conseillers", row.row.refs["advisor"])) for row in rows} - {None}
        contracts = defaultdict(list)
        for contract in (
            Contract.objects.filter(advisor_id__in=advisor_ids)
            .order_by("-start", "-pk")
            .only("pk", "advisor_id", "structure_id", "start", "status", "ended_on", "end_reason")
        ):
            contracts[(contract.advisor_id, contract.structure_id)].append(contract)
        written, closed = [], {}
        for row in rows:
            key = (
                targets.get(("conseillers", row.row.refs["advisor"])),
                targets.get(("structures", row.row.refs["structure"])),
            )
            on = row.row.fields["ended_on"]
            match = next((contract for contract in contracts.get(key, []) if contract.start <= on), None)
            if match is None:
                reason = "aucun contrat de ce conseiller dans cette structure à cette date"
                rejected.append((row.line, row.external_id, reason))
                continue
            if on > self.today:
                row.row.raw["rupture_programmee"] = on.isoformat()  # applied on its date by the daily job
            elif match.status == ContractStatus.ACTIVE or match.ended_on is None:
                match.status = ContractStatus.ENDED
                match.ended_on = on
                match.end_reason = row.row.fields["end_reason"]
                closed[match.pk] = match
            elif match.ended_on != on:
                row.row.raw["date_fin_du_contrat"] = match.ended_on.isoformat()
            written.append((row, match.pk))
        Contract.objects.bulk_update(list(closed.values()), ["status", "ended_on", "end_reason"], batch_size=1000)
        advisors_sync({contract.advisor_id for contract in closed.values()})
        return written
