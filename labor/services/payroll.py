"""Monthly payroll written set-based: one query loads the placements, one the existing rows, one
statement upserts. A list is all-or-nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.permissions import require
from accounts.scoping import scoped
from core.months import within_placement
from core.writes import plain

from ..models import Payroll, Placement

VALUE_FIELDS = ["days_worked", "wage_paid", "employer_social_insurance"]


class RowErrors(Exception):
    """Problems by row index: {index: {field: [message]}}; nothing was written."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@dataclass
class UpsertResult:
    created: int
    updated: int
    rows: list  # the saved Payroll objects, in input order


def outside_placement(month, placement) -> str:
    """The message for a payroll month outside its placement (the service's and the import's)."""
    return _("The month %(month)s lies outside the placement (%(start)s to %(end)s).") % {
        "month": f"{month:%Y-%m}", "start": placement.start_date.isoformat(),
        "end": placement.end_date.isoformat() if placement.end_date else _("open")}


def payroll_problems(rows: list[dict], placements: dict[int, Placement]) -> dict:
    """Rules that need other rows: the placement exists (in scope), the month lies within its dates,
    no (placement, month) twice in one list."""
    errors: dict = {}
    seen: dict = {}
    for index, row in enumerate(rows):
        placement = placements.get(row["placement"])
        if placement is None:
            errors.setdefault(index, {})["placement"] = [_("No such placement in your area.")]
            continue
        if not within_placement(row["month"], placement.start_date, placement.end_date):
            errors.setdefault(index, {})["month"] = [outside_placement(row["month"], placement)]
        key = (row["placement"], row["month"])
        if key in seen:
            errors.setdefault(index, {})["month"] = [_("Row %(row)s already gives this placement and month.")
                                                     % {"row": seen[key]}]
        seen.setdefault(key, index)
    return errors


def load_placements(actor, ids) -> dict[int, Placement]:
    return scoped(Placement.objects.all(), actor).only("id", "start_date", "end_date").in_bulk(set(ids))


def _labels(placement_ids) -> dict[int, str]:
    """"worker @ workshop" of each placement, in one query (str(payroll) would query per row)."""
    return {pk: f"{worker} @ {workshop}" for pk, worker, workshop in Placement.objects.filter(
        pk__in=set(placement_ids)).values_list("pk", "worker__name", "workshop__name")}


@transaction.atomic
def payroll_upsert_many(*, actor, rows: list[dict], placements: dict | None = None) -> UpsertResult:
    """Write every row or none. `rows` are field-validated dicts (placement id, month as its first day,
    days_worked, wage_paid, employer_social_insurance); a row for an existing (placement, month)
    updates it. Raises RowErrors. Every payroll record created or changed is audited with its old
    and new amounts (bulk-inserted events); a row giving the values already stored writes no event."""
    require(actor, "labor.payroll.write")
    if placements is None:
        placements = load_placements(actor, (row["placement"] for row in rows))
    errors = payroll_problems(rows, placements)
    objects = []
    for index, row in enumerate(rows):
        if index in errors:
            continue
        obj = Payroll(placement_id=row["placement"], month=row["month"],
                      **{field: row[field] for field in VALUE_FIELDS if field in row})
        try:
            obj.clean_fields(exclude=["placement"])  # the placement was checked above, in one query
        except ValidationError as exc:
            errors[index] = exc.message_dict
        objects.append(obj)
    if errors:
        raise RowErrors(dict(sorted(errors.items())))
    if not objects:
        return UpsertResult(0, 0, [])
    keys = {(o.placement_id, o.month) for o in objects}
    nearby = Payroll.objects.filter(placement_id__in={o.placement_id for o in objects},
                                    month__in={o.month for o in objects})
    existing = {}
    for row in nearby.values("placement_id", "month", *VALUE_FIELDS):
        if (row["placement_id"], row["month"]) in keys:
            existing[(row["placement_id"], row["month"])] = row
    Payroll.objects.bulk_create(objects, batch_size=1000, update_conflicts=True,
                                unique_fields=["placement", "month"], update_fields=[*VALUE_FIELDS, "updated_at"])
    updated = sum((o.placement_id, o.month) in existing for o in objects)
    _audit(actor, objects, existing, nearby)
    return UpsertResult(len(objects) - updated, updated, objects)


def _amount(field: str, value):
    """An amount as the audit keeps it: "1.00", to the field's decimal places."""
    places = getattr(Payroll._meta.get_field(field), "decimal_places", None)
    if places is not None and value is not None:
        return str(Decimal(value).quantize(Decimal(1).scaleb(-places)))
    return plain(value)


def _audit(actor, objects, existing, nearby) -> None:
    ids = {(p, m): pk for pk, p, m in nearby.values_list("pk", "placement_id", "month")}
    labels = _labels(o.placement_id for o in objects)
    new, changed = [], []
    for obj in objects:
        key = (obj.placement_id, obj.month)
        obj.pk = obj.pk or ids.get(key)
        label = f"{labels.get(obj.placement_id, obj.placement_id)} {obj.month:%Y-%m}"
        before = existing.get(key)
        if before is None:
            changes = {"placement": [None, obj.placement_id], "month": [None, f"{obj.month:%Y-%m}"],
                       **{f: [None, _amount(f, getattr(obj, f))] for f in VALUE_FIELDS}}
            new.append((obj, changes, label))
            continue
        changes = {f: [_amount(f, before[f]), _amount(f, getattr(obj, f))] for f in VALUE_FIELDS
                   if before[f] != getattr(obj, f)}
        if changes:
            changed.append((obj, changes, label))
    audit.record_many(actor, "payroll.create", new)
    audit.record_many(actor, "payroll.update", changed)
