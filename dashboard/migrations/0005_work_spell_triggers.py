"""Triggers that log every worker whose placements a write touches (dashboard.WorkChange), so their work
spells (dashboard.WorkSpell: the people in work on a day) are recomputed for exactly those workers; bulk
writes and raw SQL included. PostgreSQL: a statement-level trigger per event on the placements
(transition tables: an UPDATE logs only the rows whose worker, workshop, post or dates changed); SQLite:
row-level triggers. What the spells are grouped and counted by logs the workers concerned too: a
workshop's village or industry, a village's township, a post's "reserved", a worker's category. Every
worker with a placement is logged once, so the first refresh computes all the spells."""

from django.db import migrations

CHANGE = "dashboard_workchange"
PLACEMENT_COLUMNS = ("worker_id", "workshop_id", "post_id", "start_date", "end_date")
_OLD = ", ".join(f"o.{c}" for c in PLACEMENT_COLUMNS)
_NEW = ", ".join(f"n.{c}" for c in PLACEMENT_COLUMNS)

POSTGRES = f"""
CREATE FUNCTION dashboard_log_placement_workers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO {CHANGE} (worker) SELECT DISTINCT worker_id FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO {CHANGE} (worker) SELECT DISTINCT worker_id FROM old_rows;
  ELSE
    INSERT INTO {CHANGE} (worker)
      SELECT o.worker_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE ({_OLD}) IS DISTINCT FROM ({_NEW})
      UNION
      SELECT n.worker_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE ({_OLD}) IS DISTINCT FROM ({_NEW});
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER dashboard_placement_work_insert AFTER INSERT ON labor_placement REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_placement_workers();
CREATE TRIGGER dashboard_placement_work_update AFTER UPDATE ON labor_placement REFERENCING OLD TABLE AS old_rows
  NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_placement_workers();
CREATE TRIGGER dashboard_placement_work_delete AFTER DELETE ON labor_placement REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_placement_workers();

CREATE FUNCTION dashboard_log_worker_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGE} (worker) SELECT NEW.id WHERE EXISTS (SELECT 1 FROM labor_placement WHERE worker_id = NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER dashboard_worker_category AFTER UPDATE OF category ON labor_worker FOR EACH ROW
  WHEN (OLD.category IS DISTINCT FROM NEW.category) EXECUTE FUNCTION dashboard_log_worker_category();

CREATE FUNCTION dashboard_log_post_workers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGE} (worker) SELECT DISTINCT worker_id FROM labor_placement WHERE post_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER dashboard_post_reserved AFTER UPDATE OF reserved ON workshops_post FOR EACH ROW
  WHEN (OLD.reserved IS DISTINCT FROM NEW.reserved) EXECUTE FUNCTION dashboard_log_post_workers();

CREATE FUNCTION dashboard_log_workshop_workers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGE} (worker) SELECT DISTINCT worker_id FROM labor_placement WHERE workshop_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER dashboard_workshop_work AFTER UPDATE OF village_id, industry ON workshops_workshop FOR EACH ROW
  WHEN (OLD.village_id IS DISTINCT FROM NEW.village_id OR OLD.industry IS DISTINCT FROM NEW.industry)
  EXECUTE FUNCTION dashboard_log_workshop_workers();

CREATE FUNCTION dashboard_log_village_workers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {CHANGE} (worker) SELECT DISTINCT p.worker_id FROM labor_placement p
    JOIN workshops_workshop w ON w.id = p.workshop_id WHERE w.village_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER dashboard_village_work AFTER UPDATE OF township_id ON regions_village FOR EACH ROW
  WHEN (OLD.township_id IS DISTINCT FROM NEW.township_id) EXECUTE FUNCTION dashboard_log_village_workers();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS dashboard_placement_work_insert ON labor_placement;
DROP TRIGGER IF EXISTS dashboard_placement_work_update ON labor_placement;
DROP TRIGGER IF EXISTS dashboard_placement_work_delete ON labor_placement;
DROP TRIGGER IF EXISTS dashboard_worker_category ON labor_worker;
DROP TRIGGER IF EXISTS dashboard_post_reserved ON workshops_post;
DROP TRIGGER IF EXISTS dashboard_workshop_work ON workshops_workshop;
DROP TRIGGER IF EXISTS dashboard_village_work ON regions_village;
DROP FUNCTION IF EXISTS dashboard_log_placement_workers();
DROP FUNCTION IF EXISTS dashboard_log_worker_category();
DROP FUNCTION IF EXISTS dashboard_log_post_workers();
DROP FUNCTION IF EXISTS dashboard_log_workshop_workers();
DROP FUNCTION IF EXISTS dashboard_log_village_workers();
"""
_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in PLACEMENT_COLUMNS)
SQLITE = [
    f"CREATE TRIGGER dashboard_placement_work_insert AFTER INSERT ON labor_placement FOR EACH ROW "
    f"BEGIN INSERT INTO {CHANGE} (worker) VALUES (NEW.worker_id); END",
    f"CREATE TRIGGER dashboard_placement_work_delete AFTER DELETE ON labor_placement FOR EACH ROW "
    f"BEGIN INSERT INTO {CHANGE} (worker) VALUES (OLD.worker_id); END",
    f"CREATE TRIGGER dashboard_placement_work_update AFTER UPDATE OF {', '.join(PLACEMENT_COLUMNS)} "
    f"ON labor_placement FOR EACH ROW WHEN {_CHANGED} BEGIN INSERT INTO {CHANGE} (worker) VALUES (OLD.worker_id); "
    f"INSERT INTO {CHANGE} (worker) SELECT NEW.worker_id WHERE NEW.worker_id IS NOT OLD.worker_id; END",
    f"CREATE TRIGGER dashboard_worker_category AFTER UPDATE OF category ON labor_worker FOR EACH ROW "
    f"WHEN OLD.category IS NOT NEW.category BEGIN INSERT INTO {CHANGE} (worker) SELECT NEW.id "
    f"WHERE EXISTS (SELECT 1 FROM labor_placement WHERE worker_id = NEW.id); END",
    f"CREATE TRIGGER dashboard_post_reserved AFTER UPDATE OF reserved ON workshops_post FOR EACH ROW "
    f"WHEN OLD.reserved IS NOT NEW.reserved BEGIN INSERT INTO {CHANGE} (worker) "
    f"SELECT DISTINCT worker_id FROM labor_placement WHERE post_id = NEW.id; END",
    f"CREATE TRIGGER dashboard_workshop_work AFTER UPDATE OF village_id, industry ON workshops_workshop "
    f"FOR EACH ROW WHEN OLD.village_id IS NOT NEW.village_id OR OLD.industry IS NOT NEW.industry "
    f"BEGIN INSERT INTO {CHANGE} (worker) SELECT DISTINCT worker_id FROM labor_placement "
    f"WHERE workshop_id = NEW.id; END",
    f"CREATE TRIGGER dashboard_village_work AFTER UPDATE OF township_id ON regions_village FOR EACH ROW "
    f"WHEN OLD.township_id IS NOT NEW.township_id BEGIN INSERT INTO {CHANGE} (worker) "
    f"SELECT DISTINCT p.worker_id FROM labor_placement p JOIN workshops_workshop w ON w.id = p.workshop_id "
    f"WHERE w.village_id = NEW.id; END",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "dashboard_placement_work_insert", "dashboard_placement_work_delete", "dashboard_placement_work_update",
    "dashboard_worker_category", "dashboard_post_reserved", "dashboard_workshop_work", "dashboard_village_work")]
EXISTING = f"INSERT INTO {CHANGE} (worker) SELECT DISTINCT worker_id FROM labor_placement"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"dashboard work spells: no triggers for {vendor}")
    schema_editor.execute(EXISTING)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0004_work_spells"),
        ("labor", "0006_outbound"),
        ("workshops", "0003_unique_name_per_village"),
        ("regions", "0002_wanyuan_townships"),
    ]

    operations = [migrations.RunPython(create, drop)]
