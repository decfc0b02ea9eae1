"""Set-based lookups shared by the import kinds: one query per chunk of ids, never one per row."""

from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.scoping import scoped
from workshops.models import Workshop

from .. import resident_id
from ..models import Worker
from .values import CellProblem, chunks, text


def workers_in_scope(user, numbers) -> dict[str, int]:
    """{ID number: worker id} for the numbers the user may see."""
    found = {}
    for part in chunks(set(numbers)):
        found.update(scoped(Worker.objects.filter(id_number__in=part), user).values_list("id_number", "id"))
    return found


def workshops_for(user) -> tuple[dict, dict]:
    """({id: workshop id}, {name: workshop id}) that the user may place into (brokers: county-wide)."""
    queryset = Workshop.objects.all() if user.role == Role.BROKER else scoped(Workshop.objects.all(), user)
    rows = list(queryset.values_list("id", "name"))
    return {pk: pk for pk, _name in rows}, {name: pk for pk, name in rows}


def resolve_workshop(value, by_id: dict, by_name: dict) -> int:
    raw = text(value)
    if raw.isdigit() and int(raw) in by_id:
        return int(raw)
    if raw in by_name:
        return by_name[raw]
    raise CellProblem(_("No workshop “%(value)s” in your area.") % {"value": raw})


def id_number(value) -> str:
    try:
        return resident_id.parse(text(value)).number
    except resident_id.InvalidResidentId as exc:
        raise CellProblem(str(exc)) from None
