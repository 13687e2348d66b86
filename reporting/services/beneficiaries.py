"""Writes on followed beneficiaries: each checks that the person is followed by the acting advisor.

A person's genre, tranche d'âge and statut count in the reports she is linked to: a change to them is re-applied to
those reports (activity_refresh_people), and a merge moves her links (activity_merge_people), in the same
transaction. Erasure and anonymisation keep those three answers, so that the statistics do not move.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.jobs import months_before
from accounts.models import AuditEvent
from accounts.roles import active_membership
from accounts.services import audit_record
from directory.models import Advisor
from reporting.beneficiary_duplicates import DuplicateIndex, Person
from reporting.beneficiary_rules import FIRST_BIRTH_YEAR, age_band_for, normalise_phone
from reporting.enums import AgeBand, Gender, SocialStatus
from reporting.models import ActivityBeneficiary, Beneficiary
from reporting.services import people as people_services

PERSONAL_FIELDS = ("last_name", "first_name", "phone", "email", "birth_year", "commune", "notes")
COUNTED_FIELDS = ("gender", "age_band", "status")
EDITABLE_FIELDS = (*PERSONAL_FIELDS, *COUNTED_FIELDS)
UNKNOWN = {"gender": Gender.UNKNOWN, "age_band": AgeBand.UNKNOWN, "status": SocialStatus.UNKNOWN}
ERASED = {**dict.fromkeys(("last_name", "first_name", "phone", "email", "notes"), ""), "birth_year": None}
ERASED["commune"] = None
ANONYMISE_BATCH = 500


def audit_label(beneficiary: Beneficiary) -> str:
    """How the audit log names a person: never by her name (the log outlives her record)."""
    return f"Personne suivie n° {beneficiary.pk}"


def _check_owner(beneficiary: Beneficiary, actor) -> None:
    """The acting user follows this person as an advisor or coordinator, and the record is still followed."""
    membership = active_membership(actor)
    if (
        membership is None
        or membership.role not in (Role.ADVISOR, Role.COORDINATOR)
        or membership.advisor_id != beneficiary.advisor_id
        or beneficiary.anonymised_at is not None
        or beneficiary.merged_into_id is not None
    ):
        raise PermissionDenied("Cette personne n'est pas suivie par vous.")


def _assign(beneficiary: Beneficiary, values: dict) -> None:
    """Set the given fields, phone compacted, tranche d'âge derived from the year of birth when there is one."""
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(beneficiary, name, values[name])
    if "commune_id" in values:
        beneficiary.commune_id = values["commune_id"]
    beneficiary.first_name = " ".join((beneficiary.first_name or "").split())
    beneficiary.last_name = " ".join((beneficiary.last_name or "").split())
    beneficiary.phone = normalise_phone(beneficiary.phone)
    beneficiary.email = (beneficiary.email or "").strip().lower()
    if beneficiary.birth_year:
        beneficiary.age_band = age_band_for(beneficiary.birth_year)


def _validate(beneficiary: Beneficiary) -> None:
    """The invariants of a record, whoever writes it (the forms give the same rules field by field)."""
    if not beneficiary.last_name or not beneficiary.first_name:
        raise ValidationError("Une personne suivie a un nom et un prénom.")
    year = beneficiary.birth_year
    if year is not None and not FIRST_BIRTH_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(f"L'année de naissance est comprise entre {FIRST_BIRTH_YEAR} et cette année.")


@transaction.atomic
def beneficiary_create(*, advisor: Advisor, values: dict, informed: bool) -> Beneficiary:
    """Follow a new person; the advisor confirms she told her what is recorded and why (required)."""
    if not informed:
        raise ValidationError("Confirmez que vous avez informé la personne de ce suivi.")
    now = timezone.now()
    beneficiary = Beneficiary(advisor=advisor, informed_at=now, created_at=now, updated_at=now)
    _assign(beneficiary, values)
    _validate(beneficiary)
    beneficiary.save()
    return beneficiary


@transaction.atomic
def beneficiary_update(*, beneficiary: Beneficiary, actor, values: dict) -> Beneficiary:
    """Change a person's record; a change of genre, tranche d'âge or statut is re-applied to her reports."""
    _check_owner(beneficiary, actor)
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    counted = [getattr(current, name) for name in COUNTED_FIELDS]
    _assign(current, values)
    _validate(current)
    current.updated_at = timezone.now()
    current.save()
    if [getattr(current, name) for name in COUNTED_FIELDS] != counted:
        people_services.activity_refresh_people(beneficiary=current)
    return current


def _anonymise(beneficiary: Beneficiary, now: datetime) -> None:
    for name, value in ERASED.items():
        setattr(beneficiary, name, value)
    beneficiary.anonymised_at = now


@transaction.atomic
def beneficiary_erase(*, beneficiary: Beneficiary, actor, request=None) -> Beneficiary:
    """Right to erasure: her identity, contact, year of birth, commune and notes are emptied now; her genre,
    tranche d'âge and statut stay in the statistics, and her reports keep counting her (anonymously)."""
    _check_owner(beneficiary, actor)
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    _anonymise(current, timezone.now())
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.BENEFICIARY_ERASED,
        target=current,
        label=audit_label(current),
        details={"accompaniments": current.activity_links.count()},
        request=request,
    )
    return current


def _fill_from(target: Beneficiary, source: Beneficiary) -> list[str]:
    """Fill the target's empty fields from the source; the target keeps every value it has. Returns the fields."""
    filled = []
    for name in COUNTED_FIELDS:
        if getattr(target, name) == UNKNOWN[name] and getattr(source, name) != UNKNOWN[name]:
            setattr(target, name, getattr(source, name))
            filled.append(name)
    for name in PERSONAL_FIELDS:
        if name == "birth_year" and target.age_band not in (AgeBand.UNKNOWN, age_band_for(source.birth_year)):
            continue  # her year would contradict the tranche d'âge she keeps
        if getattr(target, name) in ("", None) and getattr(source, name) not in ("", None):
            setattr(target, name, getattr(source, name))
            filled.append(name)
    return filled


@transaction.atomic
def beneficiary_merge(*, source: Beneficiary, target: Beneficiary, actor, request=None) -> Beneficiary:
    """Merge a duplicate into the record kept: its empty fields are filled from the duplicate, the duplicate's
    reports move to it (a report where both appear keeps one person), and the duplicate is emptied and hidden."""
    _check_owner(source, actor)
    _check_owner(target, actor)
    if source.pk == target.pk:
        raise ValidationError("Une fiche ne peut pas être fusionnée avec elle-même.")
    locked = {row.pk: row for row in Beneficiary.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
    source, target = locked[source.pk], locked[target.pk]
    now = timezone.now()
    filled = _fill_from(target, source)
    _assign(target, {})
    target.updated_at = now
    target.save()
    people_services.activity_merge_people(source=source, target=target)
    people_services.activity_refresh_people(beneficiary=target)
    _anonymise(source, now)
    source.merged_into = target
    source.save()
    audit_record(
        actor=actor,
        action=AuditAction.BENEFICIARIES_MERGED,
        target=target,
        label=audit_label(target),
        details={"merged": source.pk, "filled": filled},
        request=request,
    )
    return target


@dataclass
class ImportReport:
    """What an import did: the records created, the rows skipped as duplicates, or nothing if already done."""

    created: list = field(default_factory=list)
    duplicates: int = 0
    already_imported: bool = False


def _already_imported(advisor: Advisor, token: str) -> bool:
    return AuditEvent.objects.filter(
        action=AuditAction.BENEFICIARIES_IMPORTED,
        target_type=Advisor._meta.label_lower,
        target_id=str(advisor.pk),
        details__token=token,
    ).exists()


@transaction.atomic
def beneficiary_import(*, advisor: Advisor, rows: list[dict], token: uuid.UUID, informed: bool, request=None):
    """Create the analysed rows of a file once per token (a double click imports once); a row that became the
    duplicate of a followed person since the analysis is skipped. Returns an ImportReport."""
    if not informed:
        raise ValidationError("Confirmez que vous avez informé les personnes du fichier de ce suivi.")
    Advisor.objects.select_for_update().filter(pk=advisor.pk).first()  # one import at a time per advisor
    if _already_imported(advisor, str(token)):
        return ImportReport(already_imported=True)
    followed = Beneficiary.objects.followed().filter(advisor=advisor)
    index = DuplicateIndex(Person.of(*row) for row in followed.values_list("pk", *Person.COLUMNS))
    now = timezone.now()
    report = ImportReport()
    for values in rows:
        beneficiary = Beneficiary(advisor=advisor, informed_at=now, imported_at=now, created_at=now, updated_at=now)
        _assign(beneficiary, values)
        _validate(beneficiary)
        person = Person.of(None, beneficiary.last_name, beneficiary.first_name, beneficiary.phone, beneficiary.email)
        if index.matches(person):
            report.duplicates += 1
            continue
        index.add(person)
        report.created.append(beneficiary)
    Beneficiary.objects.bulk_create(report.created)
    audit_record(
        actor=getattr(request, "user", None),
        action=AuditAction.BENEFICIARIES_IMPORTED,
        target=advisor,
        details={"token": str(token), "created": len(report.created), "duplicates": report.duplicates},
        request=request,
    )
    return report


def beneficiary_export(*, beneficiary: Beneficiary, actor, fmt: str, request=None) -> Beneficiary:
    """Record that the advisor downloads a person's data (right of access); the file is built by the view."""
    _check_owner(beneficiary, actor)
    audit_record(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=beneficiary,
        label=audit_label(beneficiary),
        details={"format": fmt, "kind": "beneficiary"},
        request=request,
    )
    return beneficiary


def retention_cutoff(now: datetime) -> datetime:
    """The moment before which a record untouched and unaccompanied is anonymised."""
    return months_before(now, settings.BENEFICIARY_RETENTION_MONTHS)


def beneficiaries_due(now: datetime):
    """Followed people with neither an update nor an accompaniment since the cutoff (a report dated on the
    cutoff's day, or later, keeps her; so does a change made at the cutoff's moment or later)."""
    cutoff = retention_cutoff(now)
    cutoff_day = timezone.localtime(cutoff).date()
    recent = ActivityBeneficiary.objects.filter(
        beneficiary=OuterRef("pk"), activity__deleted_at__isnull=True, activity__date__gte=cutoff_day
    )
    return (
        Beneficiary.objects.followed()
        .filter(updated_at__lt=cutoff, created_at__lt=cutoff)
        .exclude(last_activity_on__gte=cutoff_day)
        .exclude(Exists(recent))
    )


@dataclass
class AnonymiseReport:
    count: int
    ids: list


def beneficiary_anonymise_inactive(*, now: datetime, apply: bool) -> AnonymiseReport:
    """The retention job: anonymise (or, in a dry run, count) the people due, in batches; idempotent."""
    ids = list(beneficiaries_due(now).order_by("pk").values_list("pk", flat=True))
    if apply:
        for start in range(0, len(ids), ANONYMISE_BATCH):
            with transaction.atomic():
                Beneficiary.objects.filter(pk__in=ids[start : start + ANONYMISE_BATCH]).update(
                    anonymised_at=now, commune_id=None, **{k: v for k, v in ERASED.items() if k != "commune"}
                )
    return AnonymiseReport(count=len(ids), ids=ids)
