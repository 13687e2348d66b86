"""Stored phones of applications move to E.164 (« +33123456789 ») where they are valid numbers.

The forms store that form from now on (directory.phones); a value that is not a valid number is left as typed.
"""

from django.db import migrations

from directory.phones import e164_phone

BATCH = 500


def _rewrite(model, field):
    changed = []
    for row in model.objects.only("pk", field, "department_id").iterator(chunk_size=BATCH):
        value = getattr(row, field)
        new = e164_phone(value, row.department_id) if value else ""
        if new and new != value:
            setattr(row, field, new)
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, [field])
            changed = []
    if changed:
        model.objects.bulk_update(changed, [field])


def forwards(apps, schema_editor):
    _rewrite(apps.get_model("workflows", "StructureApplication"), "contact_phone")
    _rewrite(apps.get_model("workflows", "AdvisorApplication"), "phone")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0011_decision_verdicts_of_the_switchover")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
