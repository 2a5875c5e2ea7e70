"""A version's questions cannot change once it has responses (PostgreSQL only).

The admin and `surveys.services` already refuse it; this trigger makes it true for every path
(shell, bulk updates). Change the questions by publishing a new version instead.
"""
from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION surveys_question_frozen() RETURNS trigger AS $$
DECLARE sid bigint;
BEGIN
    sid := COALESCE(NEW.survey_id, OLD.survey_id);
    IF TG_OP = 'UPDATE' AND OLD.survey_id <> NEW.survey_id THEN
        IF EXISTS (SELECT 1 FROM surveys_response WHERE survey_id = OLD.survey_id) THEN
            RAISE EXCEPTION 'survey % has responses: its questions cannot change', OLD.survey_id;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM surveys_response WHERE survey_id = sid) THEN
        RAISE EXCEPTION 'survey % has responses: its questions cannot change', sid;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER surveys_question_frozen BEFORE INSERT OR UPDATE OR DELETE ON surveys_question
    FOR EACH ROW EXECUTE FUNCTION surveys_question_frozen();
"""
DROP = """
DROP TRIGGER IF EXISTS surveys_question_frozen ON surveys_question;
DROP FUNCTION IF EXISTS surveys_question_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_surveys_and_plans")]
    operations = [migrations.RunPython(forwards, backwards)]
