"""Placements: matched by (worker, workshop, start date); a match is updated, not duplicated."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import PlacementSource
from ..models import Broker, Placement
from .columns import column_header
from .lookups import id_number, resolve_workshop, workers_in_scope, workshops_for
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
        if record.get("end_date") and record.get("start_date") and record["end_date"] < record["start_date"]:
            result.problem(number, column_header(KIND, "end_date"), _("A placement cannot end before it starts."))
        parsed.append(record)

    workers = workers_in_scope(user, (r["id_number"] for r in parsed if "id_number" in r))
    existing, open_at = {}, {}
    for part in chunks(set(workers.values())):
        for p in Placement.objects.filter(worker_id__in=part).values("id", "worker_id", "workshop_id", "start_date",
                                                                     "end_date"):
            existing[(p["worker_id"], p["workshop_id"], p["start_date"])] = p["id"]
            if p["end_date"] is None:
                open_at[(p["worker_id"], p["workshop_id"])] = p["start_date"]
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
        if record["existing_id"] is None and record["end_date"] is None and pair in open_at:
            result.problem(number, column_header(KIND, "start_date"),
                           _("This worker already has an open placement at this workshop since %(date)s.")
                           % {"date": open_at[pair].isoformat()})
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
    new, changed = [], []
    now = timezone.now()
    for record in checked.records:
        values = {f: record[f] for f in UPDATABLE}
        if record["existing_id"]:
            placement = current[record["existing_id"]]
            if any(getattr(placement, f) != v for f, v in values.items()):
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
    return len(new), len(changed)


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
