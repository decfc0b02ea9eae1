"""The one scoping mechanism: which rows a user may see.

Every model holding people's or workshops' data declares `SCOPE = {level: path}` for all four levels,
"township", "village", "cooperative" and "workshop" (accounts.checks makes a missing one a system check
error). A level's value says what a user scoped at that level sees:

- a lookup from the model to that level's object (`"worker__village"`): the rows about their area;
- `OWN_TOWNSHIP` ("@township"): the rows of the user's township, decided for this model and level (reference
  data such as villages, posts and trainings that a broker or operator needs to work);
- `None`: nothing at all through this level.

County users see everything, and so does a partner system with no area in its scope. A township officer
or a partner with a township sees the model's "township" path. A user with narrower levels (a broker: a
village and maybe a cooperative; an operator: a workshop) sees the union of what those levels grant, and
never a township fallback. A model that declares no SCOPE (listed in `UNSCOPED` with its reason) shows
nothing through `scoped()` below the county; its own selectors decide (e.g. the user's own reports).

`scoped()` filters with a plain WHERE when no path crosses a to-many relation, and with a correlated
`EXISTS` for the paths that do, so rows stay unique without `pk IN (subquery)`.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .choices import STATION_ROLES, Role

LEVELS = ("township", "village", "cooperative", "workshop")
NARROW_LEVELS = ("workshop", "village", "cooperative")
OWN_TOWNSHIP = "@township"
# The object each level's path must lead to (checked by accounts.checks).
LEVEL_MODELS = {
    "township": "regions.township",
    "village": "regions.village",
    "cooperative": "labor.cooperative",
    "workshop": "workshops.workshop",
}

# Models of the project that declare no SCOPE, each with the reason it needs none. A model neither here nor
# declaring a SCOPE is a system check error (accounts.E110).
UNSCOPED = {
    "accounts.user": "county administrators manage users; everyone else sees only themselves",
    "accounts.apiclient": "county administrators only",
    "accounts.apitoken": "a user's own keys (their selector filters by user)",
    "accounts.auditevent": "county administrators only (accounts.audit.view)",
    "accounts.idempotencyrecord": "a user's own retried writes, never listed",
    "core.download": "a user's own exports (the download views keep to the owner)",
    "core.savedfilter": "a user's own saved list filters (core.saved_filters keeps to the owner)",
    "industries.brand": "the county's brand directory, public to every signed-in user",
    "industries.industryoutput": "county-wide statistics, no person or workshop in it",
    "labor.importjob": "a user's own uploads (their selector filters by created_by)",
    "labor.eastpost": "posts of east employers, county-wide reference data with no person in it",
    "subsidies.policy": "the county's subsidy policy, the same for everyone",
    "subsidies.rule": "part of the county's subsidy policy",
    "subsidies.subsidyrun": "county-wide run headers (subsidies.run.view decides who lists them); "
                           "their lines and totals come through SubsidyLine's scope",
    "subsidies.subsidyreport": "a user's own reports (their selector filters by requested_by)",
}

NOTHING = Q(pk__in=[])

# What the liaison station (STATION_ROLES) reads, county-wide: the outbound records and the places they
# name. Through scoping it sees nothing else (it picks a worker by ID number: labor.forms_outbound).
STATION_MODELS = frozenset({"labor.outboundreferral", "labor.outboundplacement", "labor.outboundvisit",
                            "labor.eastpost", "regions.township", "regions.village"})


def _sees_whole_county(user) -> bool:
    if user.is_county:
        return True
    # A partner system with no township in its scope works for the whole county.
    return user.role == Role.PARTNER and not user.township_id and not any(
        getattr(user, f"{level}_id", None) for level in NARROW_LEVELS
    )


def crosses_to_many(model, path: str) -> bool:
    """Whether the lookup `path` from `model` passes a one-to-many or many-to-many relation."""
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def user_levels(user) -> dict[str, int]:
    """{level: id} the user's rows are chosen by: their narrow levels if any, else their township."""
    narrow = {level: getattr(user, f"{level}_id", None) for level in NARROW_LEVELS}
    narrow = {level: value for level, value in narrow.items() if value}
    if narrow:
        return narrow
    return {"township": user.township_id} if user.township_id else {}


def scope_paths(model, user) -> list[tuple[str, int]] | None:
    """The (path, value) pairs whose union is `user`'s part of `model`; None means all rows."""
    if user.role in STATION_ROLES:
        return None if model._meta.label_lower in STATION_MODELS else []
    if _sees_whole_county(user):
        return None
    declared = getattr(model, "SCOPE", None) or {}
    pairs = []
    for level, value in user_levels(user).items():
        path = declared.get(level)
        if path == OWN_TOWNSHIP:
            path, value = declared.get("township"), user.township_id
        if path and value:
            pairs.append((path, value))
    return pairs


def _exists(model, path: str, value) -> Exists:
    """`path` = value for a path with a to-many hop, as an EXISTS on the to-many table itself, correlated
    by its foreign key with the outer row's column: `worker__memberships__cooperative` on subsidy lines is
    `EXISTS (SELECT 1 FROM membership WHERE membership.worker_id = line.worker_id AND cooperative_id = %s)`,
    which PostgreSQL answers from the membership indexes whatever the outer query (no self-join)."""
    names = path.split("__")
    current = model
    for i, name in enumerate(names):
        field = current._meta.get_field(name)
        if field.one_to_many:  # a reverse foreign key: correlate on it
            foreign_key = field.field
            prefix = "__".join(names[:i])
            target = foreign_key.target_field.name
            rest = "__".join(names[i + 1:]) or "pk"
            inner = field.related_model._default_manager.filter(
                **{foreign_key.name: OuterRef(f"{prefix}__{target}" if prefix else target), rest: value})
            return Exists(inner)
        if field.many_to_many:
            break
        current = field.related_model
    return Exists(model._default_manager.filter(pk=OuterRef("pk"), **{path: value}))


def scope_condition(model, user) -> Q | None:
    """The filter that limits `model` to `user`'s scope; None means all rows, and a Q that matches
    nothing is `Q(pk__in=[])`. Paths crossing a to-many relation become a correlated EXISTS."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    pairs = scope_paths(model, user)
    if pairs is None:
        return None
    if not pairs:
        return NOTHING
    condition = Q()
    for path, value in dict.fromkeys(pairs):
        if crosses_to_many(model, path):
            condition |= Q(_exists(model, path, value))
        else:
            condition |= Q(**{path: value})
    return condition


def scoped(queryset: QuerySet, user) -> QuerySet:
    condition = scope_condition(queryset.model, user)
    if condition is None:
        return queryset
    # No join to a to-many relation in the outer query (EXISTS takes those), so rows stay unique.
    return queryset.filter(condition)


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
