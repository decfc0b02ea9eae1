"""Worker rosters: matched by ID number; a known worker in the user's area is updated, a number
registered elsewhere is a problem (without saying whose it is)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import scoped
from regions.models import Village

from .. import resident_id
from ..choices import WorkerCategory
from ..models import Worker
from ..phones import validate_phone
from ..services.people import registered_elsewhere
from .columns import column_header
from .lookups import id_number
from .rows import audit_rows, check_fields
from .values import CellProblem, Checked, category_lookup, chunks, text, to_bool

KIND = "workers"
UPDATABLE = ("name", "phone", "village_id", "category", "returnee")


def check(user, rows: list[tuple[int, dict]]) -> Checked:
    result = Checked(total=len(rows))
    categories = category_lookup()
    parsed = []
    for number, cells in rows:
        record = {"row": number}
        for key, convert in (("id_number", id_number), ("returnee", to_bool)):
            try:
                record[key] = convert(cells.get(key))
            except CellProblem as exc:
                result.problem(number, column_header(KIND, key), str(exc))
        record["name"] = text(cells.get("name"))[:50]
        if not record["name"]:
            result.problem(number, column_header(KIND, "name"), _("The name is missing."))
        record["phone"] = text(cells.get("phone"))[:20]
        try:
            validate_phone(record["phone"])  # the service's and the form's rule (labor.phones)
        except ValidationError as exc:
            result.problem(number, column_header(KIND, "phone"), exc.messages[0])
        record["village_code"] = text(cells.get("village"))
        raw_category = text(cells.get("category")).lower()
        record["category"] = categories.get(raw_category) if raw_category else WorkerCategory.GENERAL
        if record["category"] is None:
            result.problem(number, column_header(KIND, "category"),
                           _("Unknown category “%(value)s”.") % {"value": text(cells.get("category"))})
        parsed.append(record)

    codes = {r["village_code"] for r in parsed}
    villages_here, villages_anywhere = {}, set()
    for part in chunks(codes):
        villages_here.update(scoped(Village.objects.filter(code__in=part), user).values_list("code", "id"))
        villages_anywhere.update(Village.objects.filter(code__in=part).values_list("code", flat=True))
    numbers = {r["id_number"] for r in parsed if "id_number" in r}
    existing, mine = {}, {}
    for part in chunks(numbers):
        existing.update(Worker.objects.filter(id_number__in=part).values_list("id_number", "id"))
        mine.update((w["id_number"], w) for w in scoped(Worker.objects.filter(id_number__in=part), user)
                    .values("id_number", *UPDATABLE))

    seen = {}
    for record in parsed:
        number, code = record["row"], record["village_code"]
        if code not in villages_here:
            message = (_("The village code %(code)s lies outside your area.") if code in villages_anywhere
                       else _("Unknown village code “%(code)s”.")) % {"code": code}
            result.problem(number, column_header(KIND, "village"), message)
        else:
            record["village_id"] = villages_here[code]
        key = record.get("id_number")
        if key:
            if key in seen:
                result.problem(number, column_header(KIND, "id_number"),
                               _("Duplicate row: the same ID number as row %(row)s.") % {"row": seen[key]})
            seen.setdefault(key, number)
            if key in existing and key not in mine:
                # The service's answer to a number registered outside the user's area, word for word.
                result.problem(number, column_header(KIND, "id_number"), registered_elsewhere())
            record["existing_id"] = existing.get(key)
        if number in result.bad_rows:
            continue
        # The model's field validators, as the service's full_clean applies them (the village was
        # checked above, set-based).
        if check_fields(result, number, KIND, Worker(id_number=key, **{f: record[f] for f in UPDATABLE}),
                        exclude=("village", "sex", "birth_date"), columns={"village_id": "village"}):
            result.records.append(record)
            if key in mine:
                _preview_update(result, record, mine[key])
    _label_villages(result)
    return result


FIELD_LABELS = {"name": _("Full name"), "phone": _("phone"), "village_id": _("village"),
                "category": _("category"), "returnee": _("returnee")}


def _shown(field: str, value):
    if field == "category":
        return str(WorkerCategory(value).label) if value in WorkerCategory.values else value
    if field == "returnee":
        return _("Yes") if value else _("No")
    return value  # village ids are named set-based by _label_villages


def _preview_update(result: Checked, record: dict, current: dict) -> None:
    """A row updating a worker already registered: each changed field as "old → new"."""
    changes = [{"field": f.removesuffix("_id"), "label": str(FIELD_LABELS[f]), "old": _shown(f, current[f]),
                "new": _shown(f, record[f])} for f in UPDATABLE if current[f] != record[f]]
    if changes:
        result.updates.append({"row": record["row"], "name": current["name"], "changes": changes})


def _label_villages(result: Checked) -> None:
    ids = {c[side] for u in result.updates for c in u["changes"] if c["field"] == "village"
           for side in ("old", "new")}
    names = {}
    for part in chunks(ids):
        names.update((pk, f"{township} {village}") for pk, village, township in
                     Village.objects.filter(pk__in=part).values_list("pk", "name", "township__name"))
    for update in result.updates:
        for c in update["changes"]:
            if c["field"] == "village":
                c["old"], c["new"] = names.get(c["old"], c["old"]), names.get(c["new"], c["new"])


def changes_category(updates: list) -> int:
    """How many previewed updates change a worker's category (which decides subsidies)."""
    return sum(1 for u in updates if any(c["field"] == "category" for c in u.get("changes", ())))


def apply(user, checked: Checked) -> tuple[int, int]:
    new, changed = [], []
    current = {}
    ids = [r["existing_id"] for r in checked.records if r.get("existing_id")]
    for part in chunks(ids):
        current.update(Worker.objects.in_bulk(part))
    now = timezone.now()
    old = {}
    for record in checked.records:
        if record.get("existing_id"):
            worker = current[record["existing_id"]]
            if any(getattr(worker, f) != record[f] for f in UPDATABLE):
                old[worker.pk] = {f.removesuffix("_id"): getattr(worker, f) for f in UPDATABLE
                                  if getattr(worker, f) != record[f]}
                for f in UPDATABLE:
                    setattr(worker, f, record[f])
                worker.updated_at = now  # bulk_update skips auto_now
                changed.append(worker)
        else:
            parsed = resident_id.parse(record["id_number"])
            new.append(Worker(id_number=parsed.number, sex=parsed.sex, birth_date=parsed.birth_date,
                              **{f: record[f] for f in UPDATABLE}))
    Worker.objects.bulk_create(new, batch_size=2000)
    Worker.objects.bulk_update(changed, (*UPDATABLE, "updated_at"), batch_size=2000)
    _with_ids(new)
    audit_rows(user, "worker.create", "worker.update", new, [(w, old[w.pk]) for w in changed],
               ("id_number", "sex", "birth_date", *(f.removesuffix("_id") for f in UPDATABLE)))
    return len(new), len(changed)


def _with_ids(new: list) -> None:
    """Databases that return no ids from a bulk insert: look them up by ID number (set-based)."""
    missing = {w.id_number: w for w in new if w.pk is None}
    for part in chunks(missing):
        for number, pk in Worker.objects.filter(id_number__in=part).values_list("id_number", "id"):
            missing[number].pk = pk


def changed_since(checked: Checked, since) -> list[int]:
    """Rows whose worker was registered or edited (by anyone) after the file was checked."""
    by_number = {r["id_number"]: r["row"] for r in checked.records}
    rows = []
    for part in chunks(by_number):
        rows += [by_number[n] for n in Worker.objects.filter(id_number__in=part, updated_at__gt=since)
                 .values_list("id_number", flat=True)]
    return sorted(rows)
