"""Placements: matched by (worker, workshop, start date); a match is updated, not duplicated."""

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from workshops.models import Workshop

from ..choices import PlacementSource
from ..models import Broker, Payroll, Placement, Worker
from ..services.placements import OPEN_ELSEWHERE, placement_problems
from .columns import column_header
from .lookups import id_number, resolve_workshop, workers_in_scope, workshops_for
from .rows import audit_rows, check_fields
from .values import CellProblem, Checked, chunks, text, to_date, to_money

KIND = "placements"
UPDATABLE = ("monthly_wage", "end_date", "end_reason")


def check(user, rows: list[tuple[int, dict]]) -> Checked:
    result = Checked(total=len(rows))
    by_id, by_name = workshops_for(user)
    parsed = []
    for number, cells in rows:
        record = {"row": number, "end_reason": text(cells.get("end_reason"))[:200], "end_date": None}
        converters = [("id_number", "id_number", id_number),
                      ("workshop_id", "workshop", lambda v: resolve_workshop(v, by_id, by_name)),
                      ("start_date", "start_date", to_date), ("monthly_wage", "monthly_wage", to_money)]
        if text(cells.get("end_date")):
            converters.append(("end_date", "end_date", to_date))
        for field, key, convert in converters:
            try:
                record[field] = convert(cells.get(key))
            except CellProblem as exc:
                result.problem(number, column_header(KIND, key), str(exc))
        parsed.append(record)

    workers = workers_in_scope(user, (r["id_number"] for r in parsed if "id_number" in r))
    existing, open_at = {}, {}
    for part in chunks(set(workers.values())):
        for p in Placement.objects.filter(worker_id__in=part).values("id", "worker_id", "workshop_id", "start_date",
                                                                     "end_date"):
            existing[(p["worker_id"], p["workshop_id"], p["start_date"])] = p["id"]
            if p["end_date"] is None:
                open_at[(p["worker_id"], p["workshop_id"])] = p["start_date"]
    last_payroll = {}  # placement id -> its latest payroll month (it cannot end before it)
    for part in chunks(set(existing.values())):
        last_payroll.update(Payroll.objects.filter(placement_id__in=part).values("placement_id")
                            .annotate(last=Max("month")).values_list("placement_id", "last"))
    seen = {}
    for record in parsed:
        number = record["row"]
        if "id_number" in record:
            if record["id_number"] not in workers:
                result.problem(number, column_header(KIND, "id_number"),
                               _("No worker with this ID number in your area; import the roster first."))
            else:
                record["worker_id"] = workers[record["id_number"]]
        if number in result.bad_rows:
            continue
        key = (record["worker_id"], record["workshop_id"], record["start_date"])
        if key in seen:
            result.problem(number, column_header(KIND, "start_date"),
                           _("Duplicate row: the same worker, workshop and start date as row %(row)s.")
                           % {"row": seen[key]})
            continue
        seen[key] = number
        record["existing_id"] = existing.get(key)
        pair = key[:2]
        # The service's own rules (labor.services.placements), with its messages.
        problems = placement_problems(start_date=record["start_date"], end_date=record["end_date"],
                                      already_open=record["existing_id"] is None and pair in open_at,
                                      last_payroll_month=last_payroll.get(record["existing_id"]))
        for field, message in problems.items():
            result.problem(number, column_header(KIND, "start_date" if field == OPEN_ELSEWHERE else field), message)
        if problems:
            continue
        values = {f: record[f] for f in UPDATABLE}
        if not check_fields(result, number, KIND, Placement(worker_id=record["worker_id"],
                                                            workshop_id=record["workshop_id"],
                                                            start_date=record["start_date"], **values),
                            exclude=("worker", "workshop", "post", "broker", "job_fair", "source")):
            continue
        if record["existing_id"] is None and record["end_date"] is None:
            open_at[pair] = record["start_date"]
        result.records.append(record)
    return result


def apply(user, checked: Checked) -> tuple[int, int]:
    broker = Broker.objects.filter(user=user).first() if getattr(user, "pk", None) else None
    current = {}
    for part in chunks([r["existing_id"] for r in checked.records if r["existing_id"]]):
        current.update(Placement.objects.in_bulk(part))
    new, changed, old = [], [], {}
    now = timezone.now()
    for record in checked.records:
        values = {f: record[f] for f in UPDATABLE}
        if record["existing_id"]:
            placement = current[record["existing_id"]]
            if any(getattr(placement, f) != v for f, v in values.items()):
                old[placement.pk] = {f: getattr(placement, f) for f, v in values.items()
                                     if getattr(placement, f) != v}
                for f, v in values.items():
                    setattr(placement, f, v)
                placement.updated_at = now  # bulk_update skips auto_now
                changed.append(placement)
        else:
            new.append(Placement(worker_id=record["worker_id"], workshop_id=record["workshop_id"],
                                 start_date=record["start_date"], broker=broker,
                                 source=PlacementSource.BROKER if broker else PlacementSource.DIRECT, **values))
    Placement.objects.bulk_create(new, batch_size=2000)
    Placement.objects.bulk_update(changed, (*UPDATABLE, "updated_at"), batch_size=2000)
    _with_ids(new)
    names = _names(new + changed)
    audit_rows(user, "placement.create", "placement.update", new, [(p, old[p.pk]) for p in changed],
               ("worker", "workshop", "start_date", "monthly_wage", "end_date", "end_reason", "broker", "source"),
               label=lambda p: f"{names[0].get(p.worker_id, '')} @ {names[1].get(p.workshop_id, '')}")
    return len(new), len(changed)


def _names(placements) -> tuple[dict, dict]:
    """Worker and workshop names for the log, set-based."""
    workers, workshops = {}, {}
    for part in chunks({p.worker_id for p in placements}):
        workers.update(Worker.objects.filter(pk__in=part).values_list("pk", "name"))
    for part in chunks({p.workshop_id for p in placements}):
        workshops.update(Workshop.objects.filter(pk__in=part).values_list("pk", "name"))
    return workers, workshops


def _with_ids(new: list) -> None:
    """Databases that return no ids from a bulk insert: look them up by worker, workshop and start (set-based)."""
    missing = {(p.worker_id, p.workshop_id, p.start_date): p for p in new if p.pk is None}
    for part in chunks({key[0] for key in missing}):
        for pk, *key in Placement.objects.filter(worker_id__in=part).values_list("id", "worker_id", "workshop_id",
                                                                                  "start_date"):
            if tuple(key) in missing:
                missing[tuple(key)].pk = pk


def changed_since(checked: Checked, since) -> list[int]:
    """Rows whose placement (same worker, workshop and start date) was written after the file was checked."""
    by_key = {(r["worker_id"], r["workshop_id"], r["start_date"]): r["row"] for r in checked.records}
    rows = []
    for part in chunks({r["worker_id"] for r in checked.records}):
        for key in (Placement.objects.filter(worker_id__in=part, updated_at__gt=since)
                    .values_list("worker_id", "workshop_id", "start_date")):
            if key in by_key:
                rows.append(by_key[key])
    return sorted(rows)
