"""Exact fast counts for big lists: a registry of counters that answer a list's "共 N 条" without COUNT(*)
over the whole table, when they can.

An app that keeps an exact count elsewhere (dashboard's monthly payroll facts, kept by database triggers)
registers a counter for the model at app-ready time: `register(Payroll, counter)`. The list pages'
paginator (core.pages.CachedCountPaginator) asks `exact_count(queryset)` before counting. A counter is
called with the list's filters as `exact_filters()` reads them from the queryset itself — `{lookup path:
value}`, e.g. `{"month": date(2026, 2, 1), "placement__workshop__village__township": 3}`, the user's scope
included (a township officer's scope is such a filter too) — and the queryset; it returns the exact count,
or None when it cannot answer (a name search, a filter it does not keep): the list is then counted as
before. A queryset whose WHERE is anything but a conjunction of plain equalities along to-one joins (an OR,
an EXISTS, a range, a search) reaches no counter at all.

core sits below the apps, so it imports none of them: they register into it (as labor registers its
workforce source into workshops)."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.db.models.expressions import Col
from django.db.models.fields.related import ForeignObjectRel
from django.db.models.lookups import Exact
from django.db.models.sql.datastructures import BaseTable, Join
from django.db.models.sql.where import AND, WhereNode

Counter = Callable[[dict, QuerySet], "int | None"]
_COUNTERS: dict[type, list[Counter]] = {}


def register(model, counter: Counter) -> None:
    """`counter(filters, queryset)` answers exact counts of `model`'s lists (see the module's docstring)."""
    counters = _COUNTERS.setdefault(model, [])
    if counter not in counters:
        counters.append(counter)


def unregister(model, counter: Counter) -> None:
    if counter in _COUNTERS.get(model, []):
        _COUNTERS[model].remove(counter)


def _path(query, alias: str) -> list[str] | None:
    """The lookup path from the query's base table to `alias`, through to-one joins only; None otherwise."""
    names = []
    while True:
        table = query.alias_map.get(alias)
        if isinstance(table, BaseTable):
            return list(reversed(names))
        if not isinstance(table, Join) or table.filtered_relation is not None:
            return None
        field = table.join_field
        if isinstance(field, ForeignObjectRel) or not getattr(field, "many_to_one", False) and not getattr(
                field, "one_to_one", False):
            return None  # a reverse or many-to-many hop: rows could repeat
        names.append(field.name)
        alias = table.parent_alias


def exact_filters(queryset: QuerySet) -> dict | None:
    """The queryset's WHERE as {lookup path: value} when it is nothing but equalities `column = value`
    joined by AND, through to-one relations; None for anything else (and for DISTINCT, GROUP BY, a set
    operation, a slice, extra() or an empty() queryset, which a fact could not answer for)."""
    query = queryset.query
    if (query.distinct or query.combinator or query.group_by is not None or query.low_mark or query.high_mark
            is not None or query.extra or query.is_empty()):
        return None
    for table in query.alias_map.values():  # an inner join along a nullable key would drop rows
        if isinstance(table, Join) and table.join_type == "INNER JOIN" and getattr(table.join_field, "null", False):
            return None
    filters = {}

    def walk(node) -> bool:
        if isinstance(node, WhereNode):
            if node.negated or (node.connector != AND and len(node.children) > 1):
                return False
            return all(walk(child) for child in node.children)
        if not isinstance(node, Exact) or not isinstance(node.lhs, Col) or hasattr(node.rhs, "resolve_expression"):
            return False
        path = _path(query, node.lhs.alias)
        if path is None:
            return False
        key = "__".join([*path, node.lhs.target.name])
        value = getattr(node.rhs, "pk", node.rhs)
        if key in filters and filters[key] != value:
            return False  # two different values: leave such a list to COUNT(*)
        filters[key] = value
        return True

    return filters if walk(query.where) else None


def exact_count(queryset: QuerySet) -> int | None:
    """The list's exact count from the first registered counter that can answer, or None (count it)."""
    counters = _COUNTERS.get(queryset.model)
    if not counters:
        return None
    filters = exact_filters(queryset)
    if filters is None:
        return None
    for counter in counters:
        count = counter(filters, queryset)
        if count is not None:
            return count
    return None
