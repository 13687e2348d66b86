"""Accent- and case-insensitive text search that works on PostgreSQL (unaccent) and SQLite (a Python function)."""

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func
from django.dispatch import receiver

from reporting.beneficiary_rules import fold

SQLITE_FUNCTION = "CNUM_FOLD"


class Folded(Func):
    """LOWER without accents: UNACCENT(LOWER(x)) on PostgreSQL (extension created by content's migrations),
    CNUM_FOLD(x) on SQLite (registered on each connection below), LOWER(x) elsewhere."""

    function = "LOWER"
    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="UNACCENT(LOWER(%(expressions)s))", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)


@receiver(connection_created, dispatch_uid="reporting.folding")
def register_sqlite_fold(sender, connection, **kwargs):
    """Give every SQLite connection the CNUM_FOLD function (deterministic: usable in indexes and WHERE)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)
