"""Lines of an approved or paid 红星津贴 batch cannot change: enforced by the database itself."""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION assessment_payoutline_guard() RETURNS trigger AS $$
DECLARE
    batch_status text;
BEGIN
    SELECT status INTO batch_status FROM assessment_payoutbatch
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.batch_id ELSE NEW.batch_id END;
    IF batch_status IN ('approved', 'paid') THEN
        RAISE EXCEPTION 'payout batch is %, its lines cannot change', batch_status
              USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER payoutline_guard
BEFORE INSERT OR UPDATE OR DELETE ON assessment_payoutline
FOR EACH ROW EXECUTE FUNCTION assessment_payoutline_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS payoutline_guard ON assessment_payoutline;
DROP FUNCTION IF EXISTS assessment_payoutline_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunSQL(GUARD, DROP)]
