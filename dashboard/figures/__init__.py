"""Reads the dashboard needs from other apps and that their selectors do not offer (yet): each module is
named after the app it reads, scopes every queryset through accounts.scoping and returns plain values.
A fixed number of aggregate queries each, whatever the data size."""

from dataclasses import dataclass

from accounts.choices import Role
from accounts.scoping import scope_condition, scoped


@dataclass(frozen=True)
class Scope:
    """Who reads (their scope applies) and, optionally, the one township a county user chose."""

    user: object
    township: object = None  # a regions.Township or None (all the user may see)

    def rows(self, queryset, township_path: str):
        """`queryset` limited to the user's scope and the chosen township (`township_path` leads to it).

        The dashboard's readers are county staff (no condition) and township officers, whose condition
        follows the model's to-one township path, so it is applied as a plain filter: the `pk IN
        (subquery)` form `scoped()` uses to keep rows unique across to-many paths would only slow the
        aggregates down (PostgreSQL plans the double join badly at scale). Anyone else goes through
        `scoped()` unchanged."""
        user = self.user
        if getattr(user, "is_county", False) or getattr(user, "role", None) == Role.TOWNSHIP_OFFICER:
            condition = scope_condition(queryset.model, user)
            if condition is not None:
                queryset = queryset.filter(condition)
        else:
            queryset = scoped(queryset, user)
        queryset = queryset.order_by()
        if self.township is not None and getattr(user, "is_county", False):
            queryset = queryset.filter(**{township_path: self.township.pk})
        return queryset
