"""Remove the reports table's redundant indexes (issue 16): the advisor index (the unique (advisor, token) index
leads with the advisor) and, on PostgreSQL, the `_like` pattern indexes of the department, region and commune keys
(reports are never searched by a code prefix; equality uses the plain index)."""

import django.db.models.deletion
from django.db import migrations, models

LIKE_COLUMNS = ("department_id", "region_id", "commune_id")
TABLE = "reporting_activity"


def _like_index(schema_editor, column: str) -> str:
    return schema_editor._create_index_name(TABLE, [column], suffix="_like")


def drop_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, TABLE)
    for name, info in constraints.items():
        if info["index"] and name.endswith("_like") and info["columns"] and info["columns"][0] in LIKE_COLUMNS:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in LIKE_COLUMNS:
        name = _like_index(schema_editor, column)
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" ("{column}" varchar_pattern_ops)')


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_programme_life"),
        ("reporting", "0006_coop_v2"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="advisor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="activities",
                to="directory.advisor",
                verbose_name="conseiller",
            ),
        ),
        migrations.RunPython(drop_like_indexes, create_like_indexes, elidable=False),
    ]
