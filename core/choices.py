"""Choices by name for list filters (issue 14): a filter naming a township, village, workshop, enterprise,
worker, cooperative, post… takes what a person types (a Chinese name, a part of it, a code or an ID number)
and offers suggestions, always within the user's scope.

Each app lists its kinds in `<app>/filtersets.py` as `CHOICE_KINDS` (a list of `ChoiceKind`, found through
accounts.discovery like menus and searches), each built on that app's scoped selector; core knows no domain
app. `GET /choices/<kind>/?q=旧院` gives the suggestions as JSON (static/js/filter-choices.js fills the
filter's `<datalist>` with them), and `resolve` turns a typed value into the ids a filter filters on, or a
message saying why it cannot (no such name in your scope, several of that name). What was typed goes in
the message as a parameter, never into its format: a typed "%" must not break the formatting."""

import re
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from accounts.discovery import declared

from .pages import SIGNED_IN, requires

LIMIT = 20  # suggestions offered at once
MAX_LENGTH = 100
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
# "旧院镇（511781101）" or "张伟 (123)": a name followed by its key, as the suggestions write ambiguous names
WITH_KEY = re.compile(r"^(?P<name>.*?)\s*[（(](?P<key>[^（）()]+)[）)]$")


@dataclass(frozen=True)
class ChoiceKind:
    key: str  # the URL's /choices/<key>/ and the filters' ChoiceByName(<key>)
    noun: str  # lazily translated, e.g. 乡镇: "没有名为“…”的乡镇"
    objects: callable  # (user) -> the scoped queryset (the app's selector)
    name: object = "name"  # the field (or an expression) people know a row by
    keys: tuple = ("pk",)  # fields a whole typed value may be, tried in order ("code", "id_number", "pk")
    detail: callable = None  # (row) -> a short text shown with the name in the suggestions
    related: tuple = ()  # select_related for `detail`

    def queryset(self, user):
        name = F(self.name) if isinstance(self.name, str) else self.name
        queryset = self.objects(user).annotate(choice_name=name)
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset.order_by("choice_name", "pk")

    def key_condition(self, value: str) -> Q | None:
        """Rows whose key is `value` exactly: a pk only for digits, an ID number only whole."""
        condition = Q()
        for field in self.keys:
            if field == "pk":
                if value.isdigit() and len(value) <= 9:
                    condition |= Q(pk=int(value))
            elif field == "id_number":
                if ID_NUMBER.match(value.upper()):
                    condition |= Q(id_number=value.upper())
            else:
                condition |= Q(**{field: value})
        return condition or None

    def key_of(self, row) -> str:
        field = self.keys[0]
        return str(row.pk if field in ("pk", "id_number") else getattr(row, field))

    def label(self, row) -> str:
        detail = self.detail(row) if self.detail else ""
        return f"{row.choice_name} · {detail}" if detail else str(row.choice_name)


@cache
def kinds() -> dict[str, ChoiceKind]:
    return {kind.key: kind for kind in declared("filtersets", "CHOICE_KINDS")}


def kind(key: str) -> ChoiceKind:
    return kinds()[key]


def clean_text(raw) -> str:
    return " ".join(str(raw or "").split())[:MAX_LENGTH]


def suggest(kind: ChoiceKind, user, q: str) -> list[tuple[str, str]]:
    """Up to LIMIT (value, label) pairs in the user's scope for what they typed: rows whose key is it
    exactly, then names containing it (never a part of an ID number). A value is the plain name when no
    other suggestion has that name, else "name（key）", so that choosing it finds one row."""
    q = clean_text(q)
    queryset = kind.queryset(user)
    if q:
        condition = kind.key_condition(q)
        by_name = Q(choice_name__icontains=q) if not ID_NUMBER.match(q.upper()) else None
        if condition is None and by_name is None:
            return []
        queryset = queryset.filter((condition or Q(pk__in=[])) | (by_name or Q(pk__in=[])))
    rows = list(queryset[:LIMIT])
    names = [str(row.choice_name) for row in rows]
    return [(name if names.count(name) == 1 and len(rows) < LIMIT else f"{name}（{kind.key_of(row)}）",
             kind.label(row)) for name, row in zip(names, rows, strict=True)]


def resolve(kind: ChoiceKind, user, raw) -> list[int]:
    """The pks a typed value names in the user's scope, or a ValidationError saying why there are none
    (or too many): a key exactly ("511781101", an id, a whole ID number), a name exactly, "name（key）",
    or a part of one name."""
    value = clean_text(raw)
    queryset = kind.queryset(user)
    match = WITH_KEY.match(value)
    if match:
        condition = kind.key_condition(match["key"].strip())
        if condition is not None:
            found = list(queryset.filter(condition).values_list("pk", flat=True)[:2])
            if len(found) == 1:
                return found
    condition = kind.key_condition(value)
    if condition is not None:
        found = list(queryset.filter(condition).values_list("pk", flat=True)[:2])
        if len(found) == 1:
            return found
    if ID_NUMBER.match(value.upper()) or value.isdigit():
        # a number is a key, whole or nothing: never a part of a name or an ID number
        raise ValidationError(_("No %(noun)s “%(value)s” here."), code="unknown",
                              params={"noun": kind.noun, "value": value})
    exact = list(queryset.filter(choice_name=value).values_list("pk", flat=True)[:LIMIT])
    if len(exact) == 1:
        return exact
    if exact:
        raise ValidationError(
            _("There are %(count)s %(noun)s named “%(value)s”: choose one from the suggestions."), code="ambiguous",
            params={"count": len(exact), "noun": kind.noun, "value": value})
    found = list(queryset.filter(choice_name__icontains=value).values_list("pk", "choice_name")[:LIMIT])
    if not found:
        raise ValidationError(_("There is no %(noun)s named “%(value)s”."), code="unknown",
                              params={"noun": kind.noun, "value": value})
    if len(found) == 1:
        return [found[0][0]]
    names = sorted({str(name) for _pk, name in found})
    raise ValidationError(
        _("Several %(noun)s match “%(value)s” (%(names)s): choose one from the suggestions."), code="ambiguous",
        params={"noun": kind.noun, "value": value, "names": "、".join(names[:5])})


@requires(SIGNED_IN)
def choices(request, key):
    """GET /choices/<kind>/?q=…: {"results": [{"value", "label"}]} within the user's scope."""
    try:
        found = kind(key)
    except KeyError:
        raise Http404 from None
    return JsonResponse({"results": [{"value": value, "label": label}
                                     for value, label in suggest(found, request.user, request.GET.get("q", ""))]})
