"""The top bar's search: workers by ID number, name or phone, workshops and enterprises by name, each
found through its app's selectors, so a user finds only what their scope shows them.

Each app that can be searched lists its kinds in `<app>/search.py` as `SEARCHES` (a list of `Kind`),
as apps list their menu entries in `<app>/navigation.py`; core knows no domain app. A kind's `find`
takes the user and the cleaned query and returns a queryset (or list) of hits, at most `LIMIT + 1`
read; `describe` turns one hit into `(title, detail, url)`.

The query is matched the way issue 14 requires: an ID number only whole (never a part of it: a
partial number would reveal birth dates), a phone only whole, names by `icontains`. `Query` says
which of them the text can be, so every app matches it the same way."""

import re
from dataclasses import dataclass
from functools import cache

from django.shortcuts import render

from accounts.discovery import declared

from .pages import SIGNED_IN, requires

LIMIT = 20  # hits shown per kind; one more is read to know there are more
MAX_LENGTH = 100

ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
PHONE = re.compile(r"^\+?[\d-]{5,20}$")


@dataclass(frozen=True)
class Query:
    """The cleaned text and what it can be: a whole ID number, a whole phone number, or a name."""

    text: str

    @classmethod
    def parse(cls, raw: str) -> "Query":
        return cls(" ".join((raw or "").split())[:MAX_LENGTH])

    @property
    def id_number(self) -> str | None:
        value = self.text.upper()
        return value if ID_NUMBER.match(value) else None

    @property
    def phone(self) -> str | None:
        return self.text if not self.id_number and PHONE.match(self.text) else None

    @property
    def name(self) -> str | None:
        """Text to match names with: never digits only (a run of digits is a number, whole or nothing)."""
        return self.text if self.text and not re.fullmatch(r"[\d+\-\sXx]*", self.text) else None


@dataclass(frozen=True)
class Kind:
    key: str  # the results group's HTML id: search-<key>
    label: str
    find: callable  # (user, Query) -> hits, each described by `describe`
    describe: callable  # (user, hit) -> (title, detail, url)
    order: int = 100


@cache
def kinds() -> tuple[Kind, ...]:
    return tuple(sorted(declared("search", "SEARCHES"), key=lambda kind: kind.order))


def search_all(user, query: Query) -> list[dict]:
    """The groups of hits for `user`, in order, empty groups left out."""
    groups = []
    if not query.text:
        return groups
    for kind in kinds():
        hits = list(kind.find(user, query)[:LIMIT + 1])
        if hits:
            groups.append({"key": kind.key, "label": kind.label, "more": len(hits) > LIMIT,
                           "hits": [dict(zip(("title", "detail", "url"), kind.describe(user, hit),
                                             strict=True)) for hit in hits[:LIMIT]]})
    return groups


@requires(SIGNED_IN)
def search(request):
    query = Query.parse(request.GET.get("q", ""))
    return render(request, "core/search.html", {
        "search_query": query.text, "groups": search_all(request.user, query), "limit": LIMIT})
