"""Dossiers of the existing system: structure applications (with their COSELEC history), candidates, recruitments
and ends of contract, as real dossiers of the espace agents.

They run after the directory importers: Structure, Advisor and Contract rows exist and are found through
LegacyRecord (one query per chunk and referenced collection). Closed dossiers get no process: their history is the
decision log (each line at its original date, the actor labelled as coming from the existing system, the
prefecture's comments as internal notes) ended by one "Historique repris de l'ancien système" line. Open dossiers
get a live process brought to their step (switchover/reopen.py). The mapping tables are in the README, section
« Reprise des données de l'ancien système ».

Cost: rows, decision lines and external ids are bulk-inserted per chunk (a handful of queries for 2,000 documents);
only open dossiers cost a process each (about 10 queries to start, 20 per completed step), and they are the few
still under review at the switch-over.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.jobs import months_before
from directory.enums import ContractType
from directory.models import Structure
from switchover.importers import register
from switchover.importers.legacy_values import CONTRACT_TYPES, STRUCTURE_TYPES
from switchover.models import LegacyRecord
from switchover.pipeline import Importer, LoadResult, Mapped, Rejected, Skipped
from switchover.reopen import imported_process_start, imported_task_complete
from territories.models import Commune
from territories.utils import department_code_for_commune
from workflows.enums import (
    OPEN_CANDIDATE_STATUSES,
    CandidateStatus,
    Kind,
    MaxDistance,
    PrefectureOpinion,
    RecruitmentStatus,
    RefusalReason,
    RuptureDecision,
    RuptureMotive,
    RuptureStatus,
    Step,
    StructureApplicationStatus,
    Verdict,
)
from workflows.flows import RecruitmentFlow, RuptureFlow, StructureApplicationFlow
from workflows.models import AdvisorApplication, Decision, Recruitment, Rupture, StructureApplication
from workflows.retention import CANDIDATE_INACTIVITY_YEARS

PARIS = ZoneInfo("Europe/Paris")
FORMER = "(reprise de l'ancien système)"
BY_STRUCTURE = f"Structure {FORMER}"
BY_PREFECTURE = f"Préfecture {FORMER}"
BY_NATIONAL = f"Équipe nationale {FORMER}"
BY_CANDIDATE = f"Candidat {FORMER}"


def paris_date(moment) -> date | None:
    """The calendar date of a stored instant: the existing system stores a date-only field as Paris midnight in UTC
    (23:00 or 22:00 the day before) or as UTC midnight; both give the intended day in Paris."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        raise Rejected(f"date illisible : {moment!r}")
    return moment.astimezone(PARIS).date()


def _when(value) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


@dataclass
class Event:
    """One line of an imported dossier's decision log."""

    at: datetime
    verdict: str
    actor: str
    step: str = ""
    reason: str = ""
    internal_note: str = ""
    message: str = ""


@dataclass
class Dossier:
    """What `map` makes of one document: the row's fields, its history, the references to resolve, what to keep."""

    fields: dict
    events: list[Event]
    refs: dict = field(default_factory=dict)  # name → external id in another collection
    raw: dict = field(default_factory=dict)
    legacy_number: int | None = None
    open_step: str = ""  # "" for a closed dossier


def _unmapped(document: dict, mapped: set[str]) -> dict:
    """The document's fields no column holds, JSON-ready (dates as ISO strings)."""

    def plain(value):
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return {key: plain(value) for key, value in document.items() if key not in mapped and key != "_id"}


def targets(collection: str, external_ids) -> dict[str, int | None]:
    """{external id: target id} of another collection's imported documents (one query)."""
    ids = {external_id for external_id in external_ids if external_id}
    if not ids:
        return {}
    rows = LegacyRecord.objects.filter(collection=collection, external_id__in=ids)
    return dict(rows.values_list("external_id", "target_id"))


def structure_departments(structure_ids) -> dict[int, str]:
    """{structure pk: department code} (one query)."""
    rows = Structure.objects.filter(pk__in={pk for pk in structure_ids if pk})
    return dict(rows.values_list("pk", "department_id"))


class DossierImporter(Importer):
    """Shared by the dossier importers: known external ids, reference resolution, history and external-id rows."""

    kind = ""
    model = None
    chunk_size = 1000

    def __init__(self, now: datetime | None = None):
        # "Now" decides the retention rule and whether a dated effect (a rupture's date) has come; tests pass it.
        self.now = now or timezone.now()

    def _known(self, rows: list[Mapped]) -> set[str]:
        ids = [row.external_id for row in rows]
        return set(
            LegacyRecord.objects.filter(collection=self.collection, external_id__in=ids).values_list(
                "external_id", flat=True
            )
        )

    def count_existing(self, rows):
        return len(self._known(rows))

    def load(self, rows, run):
        known = self._known(rows)
        new = [row for row in rows if row.external_id not in known]
        result = LoadResult(existing=len(rows) - len(new))
        kept = []
        for row, instance in self.build(new):
            if isinstance(instance, str):
                result.rejected.append((row.line, row.external_id, instance))
            else:
                kept.append((row, instance))
        objects = self.model.objects.bulk_create([instance for _, instance in kept])
        now = timezone.now()
        lines, records = [], []
        for (row, _), instance in zip(kept, objects, strict=True):
            dossier = row.row
            for event in sorted(dossier.events, key=lambda event: event.at):
                lines.append(self._line(instance, event))
            imported = Event(now, Verdict.IMPORTED, f"Import {FORMER}", reason=self.imported_reason(dossier))
            lines.append(self._line(instance, imported))
            records.append(
                LegacyRecord(
                    collection=self.collection,
                    external_id=row.external_id,
                    legacy_number=dossier.legacy_number,
                    target_id=instance.pk,
                    raw=dossier.raw,
                    run=run,
                )
            )
        Decision.objects.bulk_create(lines)
        LegacyRecord.objects.bulk_create(records)
        self.after_insert(kept, objects)
        for (row, _), instance in zip(kept, objects, strict=True):
            if row.row.open_step:
                self.reopen(instance, row.row)
        result.imported = len(kept)
        return result

    def _line(self, instance, event: Event) -> Decision:
        return Decision(
            kind=self.kind,
            subject_id=instance.pk,
            step=event.step,
            verdict=event.verdict,
            reason=event.reason[:200],
            internal_note=event.internal_note.strip(),
            message_to_applicant=event.message.strip(),
            actor_label=event.actor,
            created_at=event.at,
        )

    def imported_reason(self, dossier: Dossier) -> str:
        number = f"n° {dossier.legacy_number}, " if dossier.legacy_number is not None else ""
        return f"{number}statut d'origine « {dossier.raw.get('statut', '')} »"

    def build(self, rows: list[Mapped]):
        """(row, unsaved instance) or (row, rejection reason) for each new row, with the chunk's references."""
        raise NotImplementedError

    def after_insert(self, kept, objects) -> None:
        """Set-based corrections after the insert (e.g. dates that auto_now overwrote)."""

    def reopen(self, instance, dossier: Dossier) -> None:
        """Start the open dossier's process and bring it to its step."""


# --- Structure applications (source: structures) ------------------------------------------------------------------

OPEN_STRUCTURE_STATUTS = {"CREEE", "EXAMEN_COMPLEMENTAIRE_COSELEC"}
CLOSED_STRUCTURE_STATUTS = {
    "VALIDATION_COSELEC": StructureApplicationStatus.GRANTED,
    "REFUS_COSELEC": StructureApplicationStatus.REFUSED,
    "REFUS_COORDINATEUR": StructureApplicationStatus.REFUSED,
    "NEGATIF": StructureApplicationStatus.REFUSED,
    "DOUBLON": StructureApplicationStatus.DUPLICATE,
    "ANNULEE": StructureApplicationStatus.WITHDRAWN,
    "ABANDON": StructureApplicationStatus.WITHDRAWN,
}
# The closing line of a dossier closed without a COSELEC decision of its own.
CLOSING_VERDICTS = {
    "DOUBLON": (Verdict.DUPLICATE, "Doublon"),
    "ANNULEE": (Verdict.CANCELLED, "Candidature annulée par l'équipe nationale"),
    "ABANDON": (Verdict.WITHDRAWN, "Structure en abandon"),
    "REFUS_COORDINATEUR": (Verdict.REFUSED, "Demande de poste de coordinateur refusée"),
}
PREFET_OPINIONS = {"POSITIF": PrefectureOpinion.FAVORABLE, "NÉGATIF": PrefectureOpinion.UNFAVORABLE}
PREFET_OPINIONS.update({"FAVORABLE": PrefectureOpinion.FAVORABLE, "DÉFAVORABLE": PrefectureOpinion.UNFAVORABLE})
COSELEC_VERDICTS = {
    "POSITIF": Verdict.GRANTED,
    "NÉGATIF": Verdict.REFUSED,
    "NEGATIF": Verdict.REFUSED,
    "EXAMEN COMPLÉMENTAIRE": Verdict.FURTHER_REVIEW,
}
STRUCTURE_MAPPED = {
    "idPG", "type", "nom", "siret", "ridet", "statut", "contact", "codeCommune", "nombreConseillersSouhaites",
    "aIdentifieCandidat", "dateDebutMission", "motivation", "emailConfirmedAt", "createdAt", "coselec", "prefet",
    "demandesCoselec", "insee",
}  # fmt: skip


def _opinion(value) -> str:
    return PREFET_OPINIONS.get(str(value or "").upper(), "")


def _address(document: dict) -> str:
    insee = ((document.get("insee") or {}).get("adresse")) or {}
    parts = [insee.get("numero_voie"), insee.get("type_voie"), insee.get("libelle_voie")]
    street = " ".join(str(part) for part in parts if part)
    return (street or str(document.get("nomCommune") or "")).strip()[:255]


def _avenant_events(demande: dict) -> list[Event]:
    """An avenant (demandesCoselec) in the structure's history: request, prefecture opinion, national decision."""
    events = []
    kind = "ajout" if demande.get("type") == "ajout" else "rendu"
    asked = demande.get("nombreDePostesSouhaites") or demande.get("nombreDePostesRendus") or 0
    motive = _text(demande.get("motif"), 120)
    emitted = _when((demande.get("emetteurAvenant") or {}).get("date"))
    if emitted:
        reason = f"Avenant ({kind}) : {asked} poste(s)" + (f" — {motive}" if motive else "")
        events.append(Event(emitted, Verdict.SUBMITTED, BY_STRUCTURE, reason=reason))
    prefet = demande.get("prefet") or {}
    opinion = _opinion(prefet.get("avis"))
    if opinion and _when(prefet.get("insertedAt")):
        events.append(
            Event(
                prefet["insertedAt"],
                Verdict.FAVORABLE if opinion == PrefectureOpinion.FAVORABLE else Verdict.UNFAVORABLE,
                BY_PREFECTURE,
                reason=f"Avenant ({kind})",
                internal_note=_text(prefet.get("commentaire"), 1000),
            )
        )
    validated = _when((demande.get("validateurAvenant") or {}).get("date"))
    if validated and demande.get("statut") in ("validee", "refusee"):
        granted = demande.get("statut") == "validee"
        reason = f"Avenant ({kind}) : {demande.get('nombreDePostesAccordes') or asked} poste(s) accordé(s)"
        events.append(
            Event(
                validated,
                Verdict.GRANTED if granted else Verdict.REFUSED,
                BY_NATIONAL,
                reason=reason if granted else f"Avenant ({kind}) refusé",
            )
        )
    return events


@register
class StructureDossierImporter(DossierImporter):
    """Structure applications and their selection history (COSELEC, prefecture opinions, avenants)."""

    collection = "dossiers-structures"
    source_collection = "structures"
    label = "Candidatures de structures"
    depends_on = ("structures",)
    kind = Kind.STRUCTURE
    model = StructureApplication

    def map(self, document):
        statut = document.get("statut")
        if statut not in OPEN_STRUCTURE_STATUTS and statut not in CLOSED_STRUCTURE_STATUTS:
            raise Rejected(f"statut de structure inconnu : {statut!r}")
        structure_type = STRUCTURE_TYPES.get(document.get("type"))
        if structure_type is None:
            raise Rejected(f"type de structure inconnu : {document.get('type')!r}")
        created = _when(document.get("createdAt"))
        if created is None:
            raise Rejected("date de création (createdAt) manquante")
        if not document.get("codeCommune"):
            raise Rejected("code commune (codeCommune) manquant")
        contact = document.get("contact") or {}
        prefet = [entry for entry in document.get("prefet") or [] if _opinion(entry.get("avisPrefet"))]
        coselec = document.get("coselec") or []
        positive = [entry for entry in coselec if entry.get("avisCoselec") == "POSITIF"]
        opinion = _opinion(prefet[-1]["avisPrefet"]) if prefet else ""
        events = [Event(created, Verdict.SUBMITTED, BY_STRUCTURE)]
        if _when(document.get("emailConfirmedAt")):
            events.append(Event(document["emailConfirmedAt"], Verdict.CONFIRMED, BY_STRUCTURE))
        for entry in prefet:
            if _when(entry.get("insertedAt")):
                favorable = _opinion(entry["avisPrefet"]) == PrefectureOpinion.FAVORABLE
                events.append(
                    Event(
                        entry["insertedAt"],
                        Verdict.FAVORABLE if favorable else Verdict.UNFAVORABLE,
                        BY_PREFECTURE,
                        step=Step.STRUCTURE_PREFECTURE,
                        internal_note=_text(entry.get("commentairePrefet"), 1000),
                    )
                )
        for entry in coselec:
            verdict = COSELEC_VERDICTS.get(entry.get("avisCoselec"))
            if verdict is None or not _when(entry.get("insertedAt")):
                continue
            parts = [entry.get("numero") or "COSELEC", f"{entry.get('nombreConseillersCoselec') or 0} poste(s)"]
            if entry.get("phaseConventionnement"):
                parts.append(f"phase {entry['phaseConventionnement']}")
            if entry.get("type"):
                parts.append(str(entry["type"]))
            events.append(
                Event(entry["insertedAt"], verdict, BY_NATIONAL, step=Step.STRUCTURE_HUB, reason=" — ".join(parts))
            )
        for demande in document.get("demandesCoselec") or []:
            events.extend(_avenant_events(demande))
        if statut in CLOSING_VERDICTS and _when(document.get("updatedAt")):
            verdict, reason = CLOSING_VERDICTS[statut]
            events.append(Event(document["updatedAt"], verdict, BY_NATIONAL, reason=reason))

        if statut in OPEN_STRUCTURE_STATUTS:
            status = StructureApplicationStatus.PREFECTURE_REVIEW
            if opinion:
                status = StructureApplicationStatus.HUB_VALIDATION
        elif statut == "ABANDON" and positive:
            status = StructureApplicationStatus.GRANTED  # granted, then every post given back: the directory says so
        else:
            status = CLOSED_STRUCTURE_STATUTS[statut]
        posts = positive[-1].get("nombreConseillersCoselec") if positive else None
        if status == StructureApplicationStatus.GRANTED and not posts and positive:
            # Every post given back later (a last POSITIF entry of 0): the dossier was granted its largest quota.
            posts = max(entry.get("nombreConseillersCoselec") or 0 for entry in positive) or None
        if status == StructureApplicationStatus.GRANTED and not posts:
            raise Rejected("structure validée sans COSELEC positif (nombre de postes inconnu)")
        decided = (_when(coselec[-1].get("insertedAt")) if coselec else None) or _when(document.get("updatedAt"))
        fields = {
            "siret": _text(document.get("siret") or document.get("ridet"), 14),
            "name": _text(document.get("nom"), 255),
            "type": structure_type,
            "address": _address(document),
            "commune_id": str(document["codeCommune"]),
            "contact_first_name": _text(contact.get("prenom"), 100),
            "contact_last_name": _text(contact.get("nom"), 100),
            "contact_function": _text(contact.get("fonction"), 150),
            "contact_email": _text(contact.get("email"), 254),
            "contact_phone": _text(contact.get("telephone"), 20),
            "advisors_wanted": max(int(document.get("nombreConseillersSouhaites") or 1), 1),
            "start_date": paris_date(_when(document.get("dateDebutMission")) or created),
            "candidate_identified": bool(document.get("aIdentifieCandidat")),
            "motivation": _text(document.get("motivation"), 2500),
            "engagement": True,  # the existing form required the commitments to be accepted
            "status": status,
            "prefecture_opinion": opinion,
            "posts_granted": posts if status == StructureApplicationStatus.GRANTED else None,
            "refusal_reason": RefusalReason.OTHER if status == StructureApplicationStatus.REFUSED else "",
            "email_confirmed_at": _when(document.get("emailConfirmedAt")),
            "decided_at": None if statut in OPEN_STRUCTURE_STATUTS else decided,
            "created_at": created,
        }
        return Dossier(
            fields=fields,
            events=events,
            refs={"structure": document.get("_id")},
            raw={"statut": statut, **_unmapped(document, STRUCTURE_MAPPED | {"statut"})},
            legacy_number=document.get("idPG"),
            open_step=Step.STRUCTURE_HUB
            if status == StructureApplicationStatus.HUB_VALIDATION
            else (Step.STRUCTURE_PREFECTURE if status == StructureApplicationStatus.PREFECTURE_REVIEW else ""),
        )

    def build(self, rows):
        dossiers = [row.row for row in rows]
        structures = targets("structures", [dossier.refs["structure"] for dossier in dossiers])
        communes = set(
            Commune.objects.filter(code__in={d.fields["commune_id"] for d in dossiers}).values_list("code", flat=True)
        )
        open_sirets = {d.fields["siret"] for d in dossiers if d.open_step}
        taken = set(StructureApplication.objects.open().filter(siret__in=open_sirets).values_list("siret", flat=True))
        for row in rows:
            fields = row.row.fields
            if fields["commune_id"] not in communes:
                yield row, f"commune inconnue : {fields['commune_id']}"
                continue
            if row.row.open_step:
                if fields["siret"] in taken:
                    yield row, f"une candidature en cours utilise déjà le SIRET {fields['siret']}"
                    continue
                taken.add(fields["siret"])
            yield (
                row,
                StructureApplication(
                    **fields,
                    department_id=department_code_for_commune(fields["commune_id"]),
                    structure_id=structures.get(row.row.refs["structure"]),
                ),
            )

    def reopen(self, application, dossier):
        process = imported_process_start(flow_class=StructureApplicationFlow, subject=application)
        if dossier.open_step == Step.STRUCTURE_HUB:
            imported_task_complete(
                process=process,
                node=StructureApplicationFlow.prefecture_review,
                prefecture_favorable=application.prefecture_opinion == PrefectureOpinion.FAVORABLE,
            )


# --- Candidates (source: conseillers) -----------------------------------------------------------------------------

CANDIDATE_MAPPED = {
    "idPG", "prenom", "nom", "email", "telephone", "codeCommune", "location", "estDemandeurEmploi", "estEnEmploi",
    "estEnFormation", "estDiplomeMedNum", "nomDiplomeMedNum", "aUneExperienceMedNum", "dateDisponibilite",
    "distanceMax", "motivation", "disponible", "emailConfirmedAt", "createdAt", "updatedAt", "statut",
}  # fmt: skip
DISTANCES = sorted(MaxDistance.values)


def _distance(value) -> int:
    """The smallest offered distance that covers the candidate's (unknown or larger than all → "France entière")."""
    try:
        kilometres = float(value)
    except (TypeError, ValueError):
        return MaxDistance.FRANCE
    return next((choice for choice in DISTANCES if choice >= kilometres), MaxDistance.FRANCE)


@register
class CandidateImporter(DossierImporter):
    """Candidacies of the conseillers documents; recruited ones too, for their recruitments."""

    collection = "candidats"
    source_collection = "conseillers"
    label = "Candidatures de conseillers"
    depends_on = ("conseillers",)
    kind = Kind.CANDIDATE
    model = AdvisorApplication

    def map(self, document):
        statut = document.get("statut")
        if statut not in (None, "", "RECRUTE", "RUPTURE", "TERMINE"):  # TERMINE: contract ended at its term
            raise Rejected(f"statut de conseiller inconnu : {statut!r}")
        created = _when(document.get("createdAt"))
        if created is None:
            raise Rejected("date d'inscription (createdAt) manquante")
        last_activity = _when(document.get("updatedAt")) or created
        cutoff = months_before(self.now, 12 * CANDIDATE_INACTIVITY_YEARS)
        if not statut and last_activity < cutoff:
            raise Skipped("candidature inactive depuis plus de 2 ans (règle de conservation)")
        if not document.get("codeCommune"):
            raise Rejected("code commune (codeCommune) manquant")
        confirmed = _when(document.get("emailConfirmedAt"))
        if statut == "RECRUTE":
            status = CandidateStatus.RECRUITED
        elif not confirmed and not statut:
            status = CandidateStatus.UNCONFIRMED
        elif document.get("disponible", True):
            status = CandidateStatus.AVAILABLE
        else:
            status = CandidateStatus.WITHDRAWN
        coordinates = (document.get("location") or {}).get("coordinates") or [None, None]
        diploma = bool(document.get("estDiplomeMedNum"))
        fields = {
            "first_name": _text(document.get("prenom"), 100),
            "last_name": _text(document.get("nom"), 100),
            "email": _text(document.get("email"), 254),
            "phone": _text(document.get("telephone"), 20),
            "commune_id": str(document["codeCommune"]),
            "longitude": coordinates[0],
            "latitude": coordinates[1],
            "is_job_seeker": bool(document.get("estDemandeurEmploi")),
            "is_employed": bool(document.get("estEnEmploi")),
            "is_in_training": bool(document.get("estEnFormation")),
            "has_diploma": diploma,
            "diploma_name": (_text(document.get("nomDiplomeMedNum"), 200) or "Non précisé") if diploma else "",
            "has_experience": bool(document.get("aUneExperienceMedNum")),
            "available_from": paris_date(_when(document.get("dateDisponibilite")) or created),
            "max_distance_km": _distance(document.get("distanceMax")),
            "motivation": _text(document.get("motivation"), 2500),
            "status": status,
            "email_confirmed_at": confirmed,
            "created_at": created,
        }
        events = [Event(created, Verdict.SUBMITTED, BY_CANDIDATE)]
        if confirmed:
            events.append(Event(confirmed, Verdict.CONFIRMED, BY_CANDIDATE))
        return Dossier(
            fields=fields,
            events=events,
            refs={"advisor": document.get("_id") if statut else None, "updated_at": last_activity},
            raw={"statut": statut or "", **_unmapped(document, CANDIDATE_MAPPED)},
            legacy_number=document.get("idPG"),
        )

    def build(self, rows):
        dossiers = [row.row for row in rows]
        advisors = targets("conseillers", [dossier.refs["advisor"] for dossier in dossiers])
        communes = set(
            Commune.objects.filter(code__in={d.fields["commune_id"] for d in dossiers}).values_list("code", flat=True)
        )
        open_emails = {d.fields["email"] for d in dossiers if d.fields["status"] in OPEN_CANDIDATE_STATUSES}
        taken = set(AdvisorApplication.objects.open().filter(email__in=open_emails).values_list("email", flat=True))
        for row in rows:
            fields = row.row.fields
            if fields["commune_id"] not in communes:
                yield row, f"commune inconnue : {fields['commune_id']}"
                continue
            if fields["status"] in OPEN_CANDIDATE_STATUSES:
                if fields["email"] in taken:
                    yield row, f"une candidature ouverte utilise déjà l'adresse {fields['email']}"
                    continue
                taken.add(fields["email"])
            yield (
                row,
                AdvisorApplication(
                    **fields,
                    department_id=department_code_for_commune(fields["commune_id"]),
                    advisor_id=advisors.get(row.row.refs["advisor"]),
                ),
            )

    def after_insert(self, kept, objects):
        # The retention clock (workflows/retention.py) reads updated_at: it keeps the existing system's last change.
        for (row, _), candidate in zip(kept, objects, strict=True):
            candidate.updated_at = row.row.refs["updated_at"]
        AdvisorApplication.objects.bulk_update(objects, ["updated_at"])

    def imported_reason(self, dossier):
        number = f"n° {dossier.legacy_number}" if dossier.legacy_number is not None else "sans numéro"
        return f"{number} ; CV non repris (absent des exports)"


# --- Recruitments and ends of contract (source: misesEnRelation) --------------------------------------------------

SKIPPED_MISES = {"nouvelle", "nonInteressee", "non_disponible"}
RECRUITMENT_STATUTS = {
    "interessee": RecruitmentStatus.PRESELECTED,
    "recrutee": RecruitmentStatus.HUB_VALIDATION,
    "finalisee": RecruitmentStatus.ACTIVE,
    "terminee": RecruitmentStatus.ACTIVE,
    "nouvelle_rupture": RecruitmentStatus.ACTIVE,
    "finalisee_rupture": RecruitmentStatus.ENDED,
    "terminee_naturelle": RecruitmentStatus.ENDED,
}
ENGAGED = (RecruitmentStatus.PRESELECTED, RecruitmentStatus.HUB_VALIDATION, RecruitmentStatus.ACTIVE)
RUPTURE_MOTIVES = {
    "licenciement": RuptureMotive.DISMISSAL,
    "nonreconductioncdd": RuptureMotive.CDD_NOT_RENEWED,
    "non_reconduction_cdd": RuptureMotive.CDD_NOT_RENEWED,
    "demission": RuptureMotive.RESIGNATION,
    "cdisation": RuptureMotive.CDISATION,
    "findesubventionnement": RuptureMotive.END_OF_FUNDING,
    "fin_subventionnement": RuptureMotive.END_OF_FUNDING,
}
DOCUMENTS_REQUESTED = "Pièces demandées dans l'ancien système (détail non repris)."
MISE_MAPPED = {
    "conseiller", "structure", "statut", "distance", "createdAt", "dateRecrutement", "emetteurRecrutement",
    "typeDeContrat", "dateDebutDeContrat", "dateFinDeContrat", "salaire", "contratCoordinateur", "dateRupture",
    "motifRupture", "emetteurRupture", "validateurRupture", "dossierIncompletRupture",
}  # fmt: skip


def _contract(document: dict) -> dict:
    """The contract fields of a mise en relation (empty before the contract was proposed)."""
    if not document.get("typeDeContrat"):
        return {}
    contract_type = CONTRACT_TYPES.get(document["typeDeContrat"])
    if contract_type is None:
        raise Rejected(f"type de contrat inconnu : {document['typeDeContrat']!r}")
    start = paris_date(_when(document.get("dateDebutDeContrat")))
    end = None if contract_type == ContractType.CDI else paris_date(_when(document.get("dateFinDeContrat")))
    if start and end and end <= start:
        raise Rejected("la fin du contrat précède son début")
    salary = document.get("salaire")
    return {
        "contract_type": contract_type,
        "contract_start": start,
        "contract_end": end,
        "salary": int(salary) if isinstance(salary, int | float) and salary >= 0 else None,
        "is_coordinator_post": bool(document.get("contratCoordinateur")),
    }


def _ref(document: dict, name: str) -> str:
    value = document.get(name)
    return value if isinstance(value, str) else ""


@register
class RecruitmentDossierImporter(DossierImporter):
    """Recruitments: open ones (preselected, awaiting validation) with a live process, the others closed."""

    collection = "dossiers-recrutements"
    source_collection = "misesEnRelation"
    label = "Recrutements"
    depends_on = ("structures", "conseillers", "misesEnRelation", "candidats")
    kind = Kind.RECRUITMENT
    model = Recruitment

    def map(self, document):
        statut = document.get("statut")
        if statut in SKIPPED_MISES:
            raise Skipped("mise en relation sans suite (suggestion du rapprochement)")
        last_activity = _when(document.get("updatedAt")) or _when(document.get("createdAt"))
        cutoff = months_before(self.now, 12 * CANDIDATE_INACTIVITY_YEARS)
        if statut in ("interessee", "recrutee") and last_activity and last_activity < cutoff:
            # The candidate's own rule (workflows/retention.py): her candidacy is not kept, nor this stale one.
            raise Skipped("recrutement en cours inactif depuis plus de 2 ans (règle de conservation)")
        renewal = statut in RECRUITMENT_STATUTS and document.get("miseEnRelationConventionnement")
        if statut == "renouvellement_initiee" or renewal:
            raise Skipped("contrat de renouvellement : repris comme contrat, pas comme recrutement")
        if statut not in RECRUITMENT_STATUTS:
            raise Rejected(f"statut de mise en relation inconnu : {statut!r}")
        if not _ref(document, "conseiller") or not _ref(document, "structure"):
            raise Rejected("conseiller ou structure manquant")
        created = _when(document.get("createdAt"))
        if created is None:
            raise Rejected("date de création (createdAt) manquante")
        status = RECRUITMENT_STATUTS[statut]
        contract = _contract(document)
        if statut != "interessee" and not contract.get("contract_start"):
            raise Rejected("contrat incomplet (type ou date de début manquant)")
        emitted = _when((document.get("emetteurRecrutement") or {}).get("date"))
        emitted = emitted or _when(document.get("dateRecrutement"))
        events = [Event(created, Verdict.PRESELECTED, BY_STRUCTURE)]
        if contract:
            reason = contract["contract_type"].label
            if contract["salary"]:
                reason += f", {contract['salary']} € brut mensuel"
            events.append(Event(emitted or created, Verdict.PROPOSED, BY_STRUCTURE, reason=reason))
        if status not in (RecruitmentStatus.PRESELECTED, RecruitmentStatus.HUB_VALIDATION):
            started = datetime.combine(contract["contract_start"], datetime.min.time(), PARIS)
            validated = _when(document.get("dateRecrutement")) or emitted or started
            events.append(
                Event(validated, Verdict.VALIDATED, BY_NATIONAL, step=Step.RECRUITMENT_HUB, reason="Recrutement")
            )
            events.append(Event(started, Verdict.DEPLOYED, BY_STRUCTURE, reason="Début du contrat"))
        rupture_at = _when(document.get("dateRupture")) if statut == "finalisee_rupture" else None
        if rupture_at and paris_date(rupture_at) > timezone.localdate(self.now):
            status = RecruitmentStatus.ACTIVE  # a rupture validated ahead of its date: still in post until then
        elif rupture_at:
            events.append(Event(rupture_at, Verdict.ENDED, BY_NATIONAL, reason="Rupture du contrat"))
        if statut == "terminee_naturelle" and contract.get("contract_end"):
            ended = datetime.combine(contract["contract_end"], datetime.min.time(), PARIS)
            events.append(Event(ended, Verdict.ENDED, BY_NATIONAL, reason="Contrat arrivé à son terme"))
        distance = document.get("distance")
        closed = status in (RecruitmentStatus.ACTIVE, RecruitmentStatus.ENDED)
        fields = {
            **contract,
            "status": status,
            "distance_km": round(distance / 1000, 1) if isinstance(distance, int | float) else None,
            "proposed_at": emitted if contract else None,
            "started_at": contract.get("contract_start") if closed else None,
            "created_at": created,
        }
        return Dossier(
            fields=fields,
            events=events,
            refs={
                "structure": document["structure"],
                "candidate": document["conseiller"],
                # In post (a rupture validated ahead of its date included): the recruitment links to her Advisor.
                "advisor": document["conseiller"] if status == RecruitmentStatus.ACTIVE else "",
                "contract": document.get("_id") if closed else "",
            },
            raw={"statut": statut, **_unmapped(document, MISE_MAPPED)},
            open_step={
                RecruitmentStatus.PRESELECTED: Step.RECRUITMENT_CONTRACT,
                RecruitmentStatus.HUB_VALIDATION: Step.RECRUITMENT_HUB,
            }.get(status, ""),
        )

    def build(self, rows):
        dossiers = [row.row for row in rows]
        structures = targets("structures", [d.refs["structure"] for d in dossiers])
        candidates = targets("candidats", [d.refs["candidate"] for d in dossiers])
        advisors = targets("conseillers", [d.refs["advisor"] for d in dossiers])
        contracts = targets("misesEnRelation", [d.refs["contract"] for d in dossiers])
        departments = structure_departments(structures.values())
        engaged = set(
            Recruitment.objects.engaged()
            .filter(candidate_id__in=set(candidates.values()))
            .values_list("candidate_id", flat=True)
        )
        linked_advisors = set(
            Recruitment.objects.filter(advisor_id__in=set(advisors.values())).values_list("advisor_id", flat=True)
        )
        linked_contracts = set(
            Recruitment.objects.filter(contract_id__in=set(contracts.values())).values_list("contract_id", flat=True)
        )
        for row in rows:
            dossier = row.row
            structure_id = structures.get(dossier.refs["structure"])
            candidate_id = candidates.get(dossier.refs["candidate"])
            if not structure_id:
                yield row, f"structure non reprise : {dossier.refs['structure']}"
                continue
            if not candidate_id:
                yield row, f"candidature du conseiller non reprise : {dossier.refs['candidate']}"
                continue
            if dossier.fields["status"] in ENGAGED:
                if candidate_id in engaged:
                    yield row, "ce candidat est déjà engagé dans un autre recrutement"
                    continue
                engaged.add(candidate_id)
            advisor_id = advisors.get(dossier.refs["advisor"])
            if advisor_id in linked_advisors:
                advisor_id = None
            linked_advisors.add(advisor_id)
            contract_id = contracts.get(dossier.refs["contract"])
            if contract_id in linked_contracts:
                contract_id = None
            linked_contracts.add(contract_id)
            yield (
                row,
                Recruitment(
                    **dossier.fields,
                    structure_id=structure_id,
                    candidate_id=candidate_id,
                    department_id=departments[structure_id],
                    advisor_id=advisor_id,
                    contract_id=contract_id,
                ),
            )

    def reopen(self, recruitment, dossier):
        process = imported_process_start(flow_class=RecruitmentFlow, subject=recruitment)
        if dossier.open_step == Step.RECRUITMENT_HUB:
            # The existing system had no prefecture opinion on a recruitment: the contract goes to the validation.
            imported_task_complete(process=process, node=RecruitmentFlow.contract)
            imported_task_complete(process=process, node=RecruitmentFlow.prefecture_review, prefecture_favorable=True)


@register
class RuptureDossierImporter(DossierImporter):
    """Ends of contract: notified ones (being checked, or waiting for documents) open, validated ones closed."""

    collection = "dossiers-ruptures"
    source_collection = "misesEnRelation"
    label = "Fins de contrat"
    depends_on = ("structures", "conseillers", "dossiers-recrutements")
    kind = Kind.RUPTURE
    model = Rupture

    def map(self, document):
        statut = document.get("statut")
        if statut not in ("nouvelle_rupture", "finalisee_rupture"):
            raise Skipped("pas de fin de contrat")
        end = paris_date(_when(document.get("dateRupture")))
        if end is None:
            raise Rejected("date de rupture (dateRupture) manquante")
        motive = RUPTURE_MOTIVES.get(str(document.get("motifRupture") or "").lower())
        if motive is None:
            raise Rejected(f"motif de rupture inconnu : {document.get('motifRupture')!r}")
        if not _ref(document, "conseiller") or not _ref(document, "structure"):
            raise Rejected("conseiller ou structure manquant")
        notified = _when((document.get("emetteurRupture") or {}).get("date")) or _when(document.get("createdAt"))
        if notified is None:
            raise Rejected("date de notification de la rupture manquante")
        validated = _when((document.get("validateurRupture") or {}).get("date"))
        incomplete = statut == "nouvelle_rupture" and document.get("dossierIncompletRupture") is True
        events = [Event(notified, Verdict.NOTIFIED, BY_STRUCTURE, reason=motive.label)]
        if incomplete:
            events.append(
                Event(
                    _when(document.get("updatedAt")) or notified,
                    Verdict.DOCUMENTS_REQUESTED,
                    BY_NATIONAL,
                    step=Step.RUPTURE_VALIDATION,
                    reason="Dossier incomplet",
                )
            )
        # Validated ahead of its date: scheduled, applied on its date by the daily apply_contract_endings.
        scheduled = statut == "finalisee_rupture" and end > timezone.localdate(self.now)
        if statut == "finalisee_rupture":
            events.append(Event(validated or notified, Verdict.VALIDATED, BY_NATIONAL, step=Step.RUPTURE_VALIDATION))
            if not scheduled:
                events.append(Event(document["dateRupture"], Verdict.ENDED, BY_NATIONAL))
        if scheduled:
            status = RuptureStatus.SCHEDULED
        elif statut == "finalisee_rupture":
            status = RuptureStatus.VALIDATED
        else:
            status = RuptureStatus.INCOMPLETE if incomplete else RuptureStatus.NOTIFIED
        original = document.get("miseEnRelationConventionnement") or document.get("_id")
        return Dossier(
            fields={
                "end_date": end,
                "motive": motive,
                "status": status,
                "documents_request": DOCUMENTS_REQUESTED if incomplete else "",
                "validated_at": validated if statut == "finalisee_rupture" else None,
                "applied_at": (validated or document["dateRupture"]) if status == RuptureStatus.VALIDATED else None,
                "created_at": notified,
            },
            events=events,
            refs={"structure": document["structure"], "advisor": document["conseiller"], "recruitment": original},
            raw={"statut": statut, **_unmapped(document, MISE_MAPPED)},
            open_step=""
            if statut == "finalisee_rupture"
            else (Step.RUPTURE_DOCUMENTS if incomplete else Step.RUPTURE_VALIDATION),
        )

    def build(self, rows):
        dossiers = [row.row for row in rows]
        structures = targets("structures", [d.refs["structure"] for d in dossiers])
        advisors = targets("conseillers", [d.refs["advisor"] for d in dossiers])
        recruitments = targets("dossiers-recrutements", [d.refs["recruitment"] for d in dossiers])
        departments = structure_departments(structures.values())
        busy = set(
            Rupture.objects.open().filter(advisor_id__in=set(advisors.values())).values_list("advisor_id", flat=True)
        )
        for row in rows:
            dossier = row.row
            structure_id = structures.get(dossier.refs["structure"])
            advisor_id = advisors.get(dossier.refs["advisor"])
            if not structure_id or not advisor_id:
                yield row, "structure ou conseiller non repris"
                continue
            if dossier.open_step:
                if advisor_id in busy:
                    yield row, "une fin de contrat est déjà en cours pour ce conseiller"
                    continue
                busy.add(advisor_id)
            yield (
                row,
                Rupture(
                    **dossier.fields,
                    structure_id=structure_id,
                    advisor_id=advisor_id,
                    recruitment_id=recruitments.get(dossier.refs["recruitment"]),
                    department_id=departments[structure_id],
                ),
            )

    def reopen(self, rupture, dossier):
        process = imported_process_start(flow_class=RuptureFlow, subject=rupture)
        if dossier.open_step == Step.RUPTURE_DOCUMENTS:
            imported_task_complete(
                process=process, node=RuptureFlow.validation, decision=RuptureDecision.REQUEST_DOCUMENTS
            )
