"""PostgreSQL refuses any rewrite of the audit log: only the actor's SET NULL (account deleted) and the deletion of
events past the 5-year retention period (purge_audit_log) get through. SQLite relies on the model guards: its
test flush deletes rows one by one, which a trigger would block."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.created_at < now() - interval '5 years' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit log is append-only (event %)', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.actor_id IS NULL
       AND ROW(NEW.id, NEW.created_at, NEW.actor_label, NEW.action, NEW.target_type, NEW.target_id,
               NEW.target_label, NEW.details, NEW.ip_address, NEW.user_agent)
           IS NOT DISTINCT FROM
           ROW(OLD.id, OLD.created_at, OLD.actor_label, OLD.action, OLD.target_type, OLD.target_id,
               OLD.target_label, OLD.details, OLD.ip_address, OLD.user_agent) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit log is append-only (event %)', OLD.id USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no placeholders: RAISE uses % itself


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(create, drop)]
