"""Reads the dashboard needs from other apps and that their selectors do not offer (yet): each module is
named after the app it reads, scopes every queryset through accounts.scoping and returns plain values.
A fixed number of aggregate queries each, whatever the data size."""

from dataclasses import dataclass

from accounts.scoping import scoped


@dataclass(frozen=True)
class Scope:
    """Who reads (their scope applies) and, optionally, the one township they chose."""

    user: object
    township: object = None  # a regions.Township or None (all the user may see)

    def rows(self, queryset, township_path: str):
        """`queryset` limited to the user's scope and the chosen township (`township_path` leads to it)."""
        queryset = scoped(queryset, self.user).order_by()
        if self.township is not None:
            queryset = queryset.filter(**{township_path: self.township.pk})
        return queryset
