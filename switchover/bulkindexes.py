"""Dropping a table's secondary indexes around a bulk load, and rebuilding them exactly as the migrations define them.

The rebuild reads the model's own definitions (Meta.indexes and the foreign keys' db_index) and asks Django's schema
editor for their SQL, made `IF NOT EXISTS`: the schema after a load is the migrations' schema, and a rebuild after an
interrupted run (some indexes already back) completes it without error.
"""

import time
from collections.abc import Callable

from django.db import connection


def _editor():
    """A schema editor used only to render SQL (never entered: SQLite refuses to enter one inside a transaction)."""
    return connection.schema_editor(atomic=False, collect_sql=True)


def _definitions(model, editor) -> dict[str, str]:
    """{index name: CREATE INDEX IF NOT EXISTS …} of the model's non-unique secondary indexes."""
    statements = {}
    for index in model._meta.indexes:
        statements[index.name] = str(index.create_sql(model, editor))
    for field in model._meta.local_fields:
        if field.db_index and not field.unique and field.remote_field is not None:
            name = editor._create_index_name(model._meta.db_table, [field.column], suffix="")
            statements[name] = str(editor._create_index_sql(model, fields=[field], name=name))
    return {name: sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1) for name, sql in statements.items()}


def index_names(model) -> list[str]:
    """The secondary indexes a bulk load may drop (unique constraints and the primary key stay)."""
    return sorted(_definitions(model, _editor()))


def drop_indexes(model) -> list[str]:
    """Drop the model's non-unique secondary indexes (those that exist); returns their names."""
    names = index_names(model)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
    return names


def rebuild_indexes(model, *, print_: Callable[[str], None] | None = None) -> float:
    """Create the model's secondary indexes that are missing; returns the seconds spent."""
    started = time.monotonic()
    statements = _definitions(model, _editor())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks still pending in this transaction would forbid CREATE INDEX.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '256MB'")
        for sql in statements.values():
            cursor.execute(sql)
    seconds = time.monotonic() - started
    if print_ is not None:
        print_(f"Index de {model._meta.db_table} reconstruits : {len(statements)} en {seconds:.1f} s.")
    return seconds


def drop_foreign_keys(model) -> list[str]:
    """PostgreSQL: drop the model's foreign-key constraints (checked row by row by triggers during a load)."""
    if connection.vendor != "postgresql":
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # pending checks in this transaction would forbid the ALTER
        constraints = connection.introspection.get_constraints(cursor, table)
        names = sorted(name for name, info in constraints.items() if info["foreign_key"])
        for name in names:
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DROP CONSTRAINT IF EXISTS {name}")
    return names


def restore_foreign_keys(model, *, print_: Callable[[str], None] | None = None) -> float:
    """PostgreSQL: add back the missing foreign keys as the migrations define them, each checked by one set-based
    VALIDATE (an anti-join over the table) instead of one lookup per row; returns the seconds spent."""
    if connection.vendor != "postgresql":
        return 0.0
    started = time.monotonic()
    table = model._meta.db_table
    editor = _editor()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        constraints = connection.introspection.get_constraints(cursor, table)
        present = {tuple(info["columns"]) for info in constraints.values() if info["foreign_key"]}
        restored = 0
        for field in model._meta.local_fields:
            if field.remote_field is None or not field.db_constraint or (field.column,) in present:
                continue
            statement = editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s")
            cursor.execute(f"{statement} NOT VALID")
            cursor.execute(
                f"ALTER TABLE {connection.ops.quote_name(table)} VALIDATE CONSTRAINT {statement.parts['name']}"
            )
            restored += 1
    seconds = time.monotonic() - started
    if print_ is not None and restored:
        print_(f"Clés étrangères de {table} rétablies et vérifiées : {restored} en {seconds:.1f} s.")
    return seconds
