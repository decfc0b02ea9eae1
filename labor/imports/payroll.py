"""Monthly payroll: a row names the worker (ID number), the workshop and the month; the placement
is the worker's placement at that workshop covering the month. Matched by placement and month."""

from django.utils.translation import gettext as _

from core.months import within_placement

from ..models import Payroll, Placement
from ..services.payroll import VALUE_FIELDS, outside_placement, payroll_upsert_many
from .columns import column_header
from .lookups import id_number, resolve_workshop, workers_in_scope, workshops_for
from .rows import check_fields
from .values import CellProblem, Checked, chunks, text, to_days, to_money, to_month

KIND = "payroll"


def check(user, rows: list[tuple[int, dict]]) -> Checked:
    result = Checked(total=len(rows))
    by_id, by_name = workshops_for(user)
    parsed = []
    for number, cells in rows:
        record = {"row": number}
        converters = [("id_number", "id_number", id_number),
                      ("workshop_id", "workshop", lambda v: resolve_workshop(v, by_id, by_name)),
                      ("month", "month", to_month), ("days_worked", "days_worked", to_days),
                      ("wage_paid", "wage_paid", to_money)]
        for field, key, convert in converters:
            try:
                record[field] = convert(cells.get(key))
            except CellProblem as exc:
                result.problem(number, column_header(KIND, key), str(exc))
        try:
            insurance = cells.get("employer_social_insurance")
            record["employer_social_insurance"] = to_money(insurance) if text(insurance) else to_money(0)
        except CellProblem as exc:
            result.problem(number, column_header(KIND, "employer_social_insurance"), str(exc))
        parsed.append(record)

    workers = workers_in_scope(user, (r["id_number"] for r in parsed if "id_number" in r))
    placements = {}
    for part in chunks(set(workers.values())):
        for p in Placement.objects.filter(worker_id__in=part).only("id", "worker_id", "workshop_id", "start_date",
                                                                   "end_date"):
            placements.setdefault((p.worker_id, p.workshop_id), []).append(p)
    seen = {}
    for record in parsed:
        number = record["row"]
        if "id_number" in record and record["id_number"] not in workers:
            result.problem(number, column_header(KIND, "id_number"),
                           _("No worker with this ID number in your area; import the roster first."))
        if number in result.bad_rows:
            continue
        candidates = placements.get((workers[record["id_number"]], record["workshop_id"]), [])
        covering = [p for p in candidates if within_placement(record["month"], p.start_date, p.end_date)]
        if not candidates:
            result.problem(number, column_header(KIND, "workshop"),
                           _("This worker has no placement at this workshop."))
            continue
        if not covering and len(candidates) == 1:
            result.problem(number, column_header(KIND, "month"), outside_placement(record["month"], candidates[0]))
            continue
        if not covering:
            spans = "; ".join(f"{p.start_date.isoformat()} – {p.end_date.isoformat() if p.end_date else _('open')}"
                              for p in candidates)
            result.problem(number, column_header(KIND, "month"),
                           _("The month %(month)s lies outside the placement (%(spans)s).")
                           % {"month": f"{record['month']:%Y-%m}", "spans": spans})
            continue
        placement = max(covering, key=lambda p: p.start_date)
        key = (placement.pk, record["month"])
        if key in seen:
            result.problem(number, column_header(KIND, "month"),
                           _("Duplicate row: the same worker, workshop and month as row %(row)s.") % {"row": seen[key]})
            continue
        if not check_fields(result, number, KIND, Payroll(placement_id=placement.pk, month=record["month"],
                                                          **{f: record[f] for f in VALUE_FIELDS}),
                            exclude=("placement",)):
            continue
        seen[key] = number
        record["placement"] = placement.pk
        result.placements[placement.pk] = placement
        result.records.append(record)
    return result


def apply(user, checked: Checked) -> tuple[int, int]:
    """Only rows that add or change something are written, so a file imported twice changes nothing."""
    current = {}
    records = checked.records
    for part in chunks({r["placement"] for r in records}):
        for row in Payroll.objects.filter(placement_id__in=part).values("placement_id", "month", *VALUE_FIELDS):
            current[(row["placement_id"], row["month"])] = tuple(row[f] for f in VALUE_FIELDS)
    rows = [r for r in records if current.get((r["placement"], r["month"])) != tuple(r[f] for f in VALUE_FIELDS)]
    if not rows:
        return 0, 0
    result = payroll_upsert_many(actor=user, rows=rows, placements=checked.placements)
    return result.created, result.updated


def changed_since(checked: Checked, since) -> list[int]:
    """Rows whose payroll month was written (by anyone) after the file was checked."""
    by_key = {(r["placement"], r["month"]): r["row"] for r in checked.records}
    rows = []
    for part in chunks({r["placement"] for r in checked.records}):
        for key in (Payroll.objects.filter(placement_id__in=part, updated_at__gt=since)
                    .values_list("placement_id", "month")):
            if key in by_key:
                rows.append(by_key[key])
    return sorted(rows)
