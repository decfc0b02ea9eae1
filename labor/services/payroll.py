"""Monthly payroll written set-based: one query loads the placements, one the existing rows, one
statement upserts. A list is all-or-nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.scoping import scoped
from core.months import within_placement

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
            errors.setdefault(index, {})["month"] = [_(
                "The month %(month)s lies outside the placement (%(start)s to %(end)s).") % {
                "month": f"{row['month']:%Y-%m}", "start": placement.start_date.isoformat(),
                "end": placement.end_date.isoformat() if placement.end_date else _("open")}]
        key = (row["placement"], row["month"])
        if key in seen:
            errors.setdefault(index, {})["month"] = [_("Row %(row)s already gives this placement and month.")
                                                     % {"row": seen[key]}]
        seen.setdefault(key, index)
    return errors


def load_placements(actor, ids) -> dict[int, Placement]:
    return scoped(Placement.objects.all(), actor).only("id", "start_date", "end_date").in_bulk(set(ids))


@transaction.atomic
def payroll_upsert_many(*, actor, rows: list[dict], placements: dict | None = None) -> UpsertResult:
    """Write every row or none. `rows` are field-validated dicts (placement id, month as its first day,
    days_worked, wage_paid, employer_social_insurance); a row for an existing (placement, month)
    updates it. Raises RowErrors."""
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
    existing = set(Payroll.objects.filter(placement_id__in={o.placement_id for o in objects},
                                          month__in={o.month for o in objects})
                   .values_list("placement_id", "month"))
    Payroll.objects.bulk_create(objects, batch_size=1000, update_conflicts=True,
                                unique_fields=["placement", "month"], update_fields=[*VALUE_FIELDS, "updated_at"])
    updated = sum((o.placement_id, o.month) in existing for o in objects)
    audit.record(actor, "payroll.upsert", None, {
        "created": len(objects) - updated, "updated": updated,
        "months": sorted({f"{o.month:%Y-%m}" for o in objects}),
    })
    return UpsertResult(len(objects) - updated, updated, objects)
