"""TRUNCATE passes row triggers, so the case log also refuses it with a statement trigger.

Only a member of the table's owner role may truncate it (the test suite's flush runs as the owner);
the runtime role the portal connects as (`grant_runtime_role`) is refused here and, having no
TRUNCATE right either, by its privileges as well.
"""
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION complaints_caseevent_no_truncate() RETURNS trigger AS $$
DECLARE
    table_owner name;
BEGIN
    SELECT pg_get_userbyid(relowner) INTO table_owner FROM pg_class WHERE oid = TG_RELID;
    IF NOT pg_has_role(current_user, table_owner, 'MEMBER') THEN
        RAISE EXCEPTION 'complaints_caseevent is append-only: TRUNCATE refused';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS complaints_caseevent_no_truncate ON complaints_caseevent;
CREATE TRIGGER complaints_caseevent_no_truncate
    BEFORE TRUNCATE ON complaints_caseevent
    FOR EACH STATEMENT EXECUTE FUNCTION complaints_caseevent_no_truncate();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS complaints_caseevent_no_truncate ON complaints_caseevent;
DROP FUNCTION IF EXISTS complaints_caseevent_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0016_event_case_kind_index")]
    operations = [migrations.RunPython(forward, backward)]
