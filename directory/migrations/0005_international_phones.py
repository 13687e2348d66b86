"""Existing coordinates get their precision; stored phones move to the international form where they can.

Coordinates equal to the commune's centre (what the place form used to fill in) are « commune », others were typed
(« saisie »). Phones of places and structures are rewritten as the lieux schema wants them (+33…, overseas
prefixes); advisors' phones in E.164 (a foreign number stays possible there). A value that is not a valid number is
left as it was: the open data then leaves it out, and the next edit of the form asks for a valid one.
"""

from django.db import migrations

from directory.phones import e164_phone, international_phone

BATCH = 500


def _rewrite(model, fields, convert, *, with_department: bool):
    changed = []
    columns = ["pk", *fields, *(["department_id"] if with_department else [])]
    for row in model.objects.only(*columns).iterator(chunk_size=BATCH):
        dirty = False
        for field in fields:
            value = getattr(row, field)
            new = convert(value, row.department_id if with_department else "") if value else ""
            if new and new != value:
                setattr(row, field, new)
                dirty = True
        if dirty:
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, fields)
            changed = []
    if changed:
        model.objects.bulk_update(changed, fields)


def forwards(apps, schema_editor):
    Place = apps.get_model("directory", "Place")
    Structure = apps.get_model("directory", "Structure")
    Advisor = apps.get_model("directory", "Advisor")
    places = Place.objects.select_related("commune").only(
        "pk", "latitude", "longitude", "commune__latitude", "commune__longitude"
    )
    typed = [
        place.pk
        for place in places.iterator(chunk_size=BATCH)
        if place.latitude is not None
        and (place.latitude, place.longitude) != (place.commune.latitude, place.commune.longitude)
    ]
    for start in range(0, len(typed), BATCH):
        Place.objects.filter(pk__in=typed[start : start + BATCH]).update(coordinates_precision="saisie")
    _rewrite(Place, ["phone"], international_phone, with_department=True)
    _rewrite(Structure, ["contact_phone"], international_phone, with_department=True)
    _rewrite(Advisor, ["phone", "professional_phone", "line_manager_phone"], e164_phone, with_department=False)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_place_coordinates_precision")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
