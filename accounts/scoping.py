"""The one scoping mechanism: which rows a user may see.

A model declares `SCOPE = {level: lookup}` with levels "township", "village", "cooperative" and
"workshop"; the lookup leads from the model to that level's object. County users see everything.
Others see rows matched by their narrowest scope levels that the model declares (a broker: village
OR cooperative); where the model declares none of them, the user's township applies. A model that
declares no path for the user's levels or township shows them nothing.
"""

from django.db.models import Q, QuerySet

from .choices import Role

NARROW_LEVELS = ("workshop", "village", "cooperative")


def _sees_whole_county(user) -> bool:
    if user.is_county:
        return True
    # A partner system with no township in its scope works for the whole county.
    return user.role == Role.PARTNER and not user.township_id and not any(
        getattr(user, f"{level}_id", None) for level in NARROW_LEVELS
    )


def scope_condition(model, user) -> Q | None:
    """The filter that limits `model` to `user`'s scope; None means all rows, and an empty
    Q-that-matches-nothing is returned as `Q(pk__in=[])`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if _sees_whole_county(user):
        return None
    paths = getattr(model, "SCOPE", {})
    condition = Q()
    matched = False
    for level in NARROW_LEVELS:
        value = getattr(user, f"{level}_id", None)
        if value and level in paths:
            condition |= Q(**{paths[level]: value})
            matched = True
    if not matched:
        if "township" in paths and user.township_id:
            return Q(**{paths["township"]: user.township_id})
        return Q(pk__in=[])
    return condition


def scoped(queryset: QuerySet, user) -> QuerySet:
    condition = scope_condition(queryset.model, user)
    if condition is None:
        return queryset
    # A subquery keeps rows unique when a lookup crosses a to-many relation.
    return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))


def in_scope(obj, user) -> bool:
    return scoped(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


# Directories anyone picks from county-wide, though reading them is scoped: an enterprise founded by a
# returnee or organising a training may sit in another township, or in none (east-region partners).
PICKED_COUNTY_WIDE = frozenset({"industries.enterprise"})


def related_choices(queryset: QuerySet, user, *, county_wide_for=frozenset()) -> QuerySet:
    """What `user` may pick for a relation to `queryset.model`: the rows they may see, exactly as when
    reading that model. Page forms (industries.forms.ScopedModelForm) and API serializers
    (industries.api.base.ServiceSerializer) both ask this, so a page never offers what the API refuses.
    `county_wide_for`: roles that pick from the whole county for this relation (brokers place workers
    in any township's workshop). Models declaring no SCOPE (users, brands) are not limited here."""
    if (getattr(user, "role", None) in county_wide_for or not hasattr(queryset.model, "SCOPE")
            or queryset.model._meta.label_lower in PICKED_COUNTY_WIDE):
        return queryset
    return scoped(queryset, user)
