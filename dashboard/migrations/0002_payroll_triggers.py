"""Triggers that log every payroll month a write touches (dashboard.PayrollChange), so the monthly facts
are recomputed for exactly those months; bulk writes and raw SQL included. PostgreSQL: one statement-level
trigger per event (transition tables: one log row per month per statement); SQLite: row-level triggers.
A placement moved to another workshop or worker, or a workshop moved to another village, logs the months
of its payroll. Every month already in the payroll is logged once, so the first read computes them."""

from django.db import migrations

CHANGE = "dashboard_payrollchange"

POSTGRES = f"""
CREATE FUNCTION dashboard_log_payroll_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO {CHANGE} (month) SELECT DISTINCT month FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO {CHANGE} (month) SELECT DISTINCT month FROM old_rows;
  ELSE
    INSERT INTO {CHANGE} (month) SELECT month FROM new_rows UNION SELECT month FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER dashboard_payroll_insert AFTER INSERT ON labor_payroll REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_payroll_months();
CREATE TRIGGER dashboard_payroll_update AFTER UPDATE ON labor_payroll REFERENCING OLD TABLE AS old_rows
  NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_payroll_months();
CREATE TRIGGER dashboard_payroll_delete AFTER DELETE ON labor_payroll REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_payroll_months();
CREATE FUNCTION dashboard_log_placement_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGE} (month) SELECT DISTINCT month FROM labor_payroll WHERE placement_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER dashboard_placement_moved AFTER UPDATE OF workshop_id, worker_id ON labor_placement FOR EACH ROW
  WHEN (OLD.workshop_id IS DISTINCT FROM NEW.workshop_id OR OLD.worker_id IS DISTINCT FROM NEW.worker_id)
  EXECUTE FUNCTION dashboard_log_placement_months();
CREATE FUNCTION dashboard_log_workshop_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGE} (month) SELECT DISTINCT p.month FROM labor_payroll p
    JOIN labor_placement l ON l.id = p.placement_id WHERE l.workshop_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER dashboard_workshop_moved AFTER UPDATE OF village_id ON workshops_workshop FOR EACH ROW
  WHEN (OLD.village_id IS DISTINCT FROM NEW.village_id) EXECUTE FUNCTION dashboard_log_workshop_months();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS dashboard_payroll_insert ON labor_payroll;
DROP TRIGGER IF EXISTS dashboard_payroll_update ON labor_payroll;
DROP TRIGGER IF EXISTS dashboard_payroll_delete ON labor_payroll;
DROP TRIGGER IF EXISTS dashboard_placement_moved ON labor_placement;
DROP TRIGGER IF EXISTS dashboard_workshop_moved ON workshops_workshop;
DROP FUNCTION IF EXISTS dashboard_log_payroll_months();
DROP FUNCTION IF EXISTS dashboard_log_placement_months();
DROP FUNCTION IF EXISTS dashboard_log_workshop_months();
"""
SQLITE = [
    f"CREATE TRIGGER dashboard_payroll_insert AFTER INSERT ON labor_payroll FOR EACH ROW "
    f"BEGIN INSERT INTO {CHANGE} (month) VALUES (NEW.month); END",
    f"CREATE TRIGGER dashboard_payroll_update AFTER UPDATE ON labor_payroll FOR EACH ROW "
    f"BEGIN INSERT INTO {CHANGE} (month) VALUES (OLD.month); INSERT INTO {CHANGE} (month) VALUES (NEW.month); END",
    f"CREATE TRIGGER dashboard_payroll_delete AFTER DELETE ON labor_payroll FOR EACH ROW "
    f"BEGIN INSERT INTO {CHANGE} (month) VALUES (OLD.month); END",
    f"CREATE TRIGGER dashboard_placement_moved AFTER UPDATE OF workshop_id, worker_id ON labor_placement FOR EACH ROW "
    f"WHEN OLD.workshop_id IS NOT NEW.workshop_id OR OLD.worker_id IS NOT NEW.worker_id "
    f"BEGIN INSERT INTO {CHANGE} (month) SELECT DISTINCT month FROM labor_payroll WHERE placement_id = NEW.id; END",
    f"CREATE TRIGGER dashboard_workshop_moved AFTER UPDATE OF village_id ON workshops_workshop FOR EACH ROW "
    f"WHEN OLD.village_id IS NOT NEW.village_id BEGIN INSERT INTO {CHANGE} (month) SELECT DISTINCT p.month "
    f"FROM labor_payroll p JOIN labor_placement l ON l.id = p.placement_id WHERE l.workshop_id = NEW.id; END",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "dashboard_payroll_insert", "dashboard_payroll_update", "dashboard_payroll_delete",
    "dashboard_placement_moved", "dashboard_workshop_moved")]
EXISTING = f"INSERT INTO {CHANGE} (month) SELECT DISTINCT month FROM labor_payroll"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"dashboard facts: no triggers for {vendor}")
    schema_editor.execute(EXISTING)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_monthly_facts"),
        ("labor", "0005_importjob_updates"),
        ("workshops", "0002_liaison_difficulty"),
    ]

    operations = [migrations.RunPython(create, drop)]
