"""Writes on followed beneficiaries (minimal: creation from the CRA form; the helper « benef » owns the rest)."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting.models import Beneficiary

CREATE_FIELDS = ("first_name", "last_name", "gender", "age_band", "status")


def beneficiary_create(*, advisor, values: dict, informed: bool) -> Beneficiary:
    """Start following a person for an advisor; she must have been told of it (the consent wording on the form)."""
    if not informed:
        raise ValidationError("La personne doit avoir été informée du suivi avant que vous l'enregistriez.")
    if not (values.get("first_name") or "").strip() and not (values.get("last_name") or "").strip():
        raise ValidationError("Indiquez au moins le prénom ou le nom de la personne.")
    now = timezone.now()
    person = Beneficiary(advisor=advisor, informed_at=now, created_at=now, updated_at=now)
    for name in CREATE_FIELDS:
        if name in values:
            value = values[name]
            setattr(person, name, value.strip() if name.endswith("_name") else value)
    person.full_clean(exclude=["advisor", "commune", "merged_into"])
    person.save()
    return person
