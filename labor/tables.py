from functools import cache

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_paths
from core.money import MoneyColumn

from . import resident_id, selectors
from .models import (
    Cooperative,
    EastPost,
    JobFair,
    Membership,
    OutboundPlacement,
    OutboundReferral,
    OutboundVisit,
    Payroll,
    Placement,
    Referral,
    Returnee,
    Training,
    TrainingCompletion,
    Worker,
)


def detail_link(url_name, accessor="pk"):
    return tables.Column(linkify=(url_name, [tables.A(accessor)]))


def page_records(table):
    """The records of the table's current page (already fetched while it renders), else all of its data."""
    page = getattr(table, "page", None)
    return page.object_list.data if page is not None else table.data


def openable_ids(table, model, selector, id_accessor) -> set:
    """Ids (read from the page's rows through `id_accessor`) of the `model` records the table's viewer may
    open: one query per page and kind through the model's selector, none for viewers who see the county."""
    cache = table.__dict__.setdefault("_openable_ids", {})
    key = (model, id_accessor)
    if key not in cache:
        user = getattr(getattr(table, "request", None), "user", None)
        ids = {tables.A(id_accessor).resolve(record) for record in page_records(table)} - {None}
        if user is None or not ids:
            cache[key] = set()
        elif scope_paths(model, user) is None:
            cache[key] = ids
        else:
            cache[key] = set(selector(user=user).filter(pk__in=ids).values_list("pk", flat=True))
    return cache[key]


def scoped_link(url_name, model, selector, id_accessor, **kwargs):
    """A column linking to `url_name` (the record `id_accessor` names) only on rows whose record the
    viewer may open; elsewhere the value reads as plain text (e.g. a worker of another township placed in
    the township's workshop), so no list leads to a 404."""

    def url(record, table):
        pk = tables.A(id_accessor).resolve(record)
        return reverse(url_name, args=[pk]) if pk in openable_ids(table, model, selector, id_accessor) else None

    return tables.Column(linkify=url, **kwargs)


def worker_link(id_accessor="worker_id", **kwargs):
    return scoped_link("labor-worker-detail", Worker, selectors.worker_list, id_accessor, **kwargs)


class MaskedIdColumn(tables.Column):
    """The ID number, masked unless the table was made for county staff (pages and exports alike)."""

    def render(self, value, table):
        return value if getattr(table, "full_id_numbers", False) else resident_id.mask(value)

    def value(self, value, table, **kwargs):
        return self.render(value, table)

    def export_format(self, table):
        """core.exports: the raw ID number to the cell's text, masked as on the page."""
        return str if getattr(table, "full_id_numbers", False) else resident_id.mask


class AgeColumn(tables.Column):
    """The age reached this year in place of the birth date, for everyone but county staff."""

    def render(self, value):
        return resident_id.age_this_year(value)

    def value(self, value, **kwargs):
        return self.render(value)

    def export_format(self, table):
        return resident_id.age_this_year


def for_user(table_class, user):
    """The table class as `user` may see it (a subclass, so the list view and its export share it).
    Outside the county roles: ID numbers masked and not sortable (their order is the birth dates'
    order), birth dates replaced by the age, not sortable either."""
    return _table_for(table_class, selectors.shows_full_id_number(user))


@cache
def _table_for(table_class, full: bool):
    # One subclass per table and kind of viewer, made once: building a table class reads the model's
    # fields into columns (a few milliseconds a request); tables are instances of it, made per request.
    attrs = {"full_id_numbers": full}
    if not full:
        for name, column in table_class.base_columns.items():
            if isinstance(column, MaskedIdColumn):
                attrs[name] = MaskedIdColumn(accessor=column.accessor, verbose_name=column.verbose_name,
                                             orderable=False)
            elif name == "birth_date":
                attrs[name] = AgeColumn(accessor="birth_date", verbose_name=_("age"), orderable=False)
    return type(table_class.__name__, (table_class,), attrs)


class WorkerTable(tables.Table):
    name = tables.Column(linkify=("labor-worker-detail", [tables.A("pk")]), verbose_name=_("Full name"))
    id_number = MaskedIdColumn(verbose_name=_("ID number"))
    township = tables.Column(accessor="village__township", verbose_name=_("township"), order_by="village__township")

    class Meta:
        model = Worker
        fields = ["name", "id_number", "sex", "birth_date", "phone", "township", "village", "category", "returnee"]

    card_fields = ("name", "village", "category")  # a phone card (core.tables)


class PlacementTable(tables.Table):
    worker = worker_link()
    worker__id_number = MaskedIdColumn(verbose_name=_("ID number"))

    monthly_wage = MoneyColumn()

    class Meta:
        model = Placement
        fields = ["worker", "worker__id_number", "workshop", "post", "source", "start_date", "end_date",
                  "end_reason", "monthly_wage"]


class PayrollTable(tables.Table):
    month = tables.DateColumn(format="Y-m")
    worker = tables.Column(accessor="placement__worker__name", verbose_name=_("worker"))
    worker_id_number = MaskedIdColumn(accessor="placement__worker__id_number", verbose_name=_("ID number"))
    workshop = tables.Column(accessor="placement__workshop__name", verbose_name=_("workshop"))
    wage_paid = MoneyColumn()
    employer_social_insurance = MoneyColumn()

    class Meta:
        model = Payroll
        fields = ["month", "worker", "worker_id_number", "workshop", "days_worked", "wage_paid",
                  "employer_social_insurance"]


def decide_column(url_name):
    """Hire/decline buttons on a pending referral, for a user the page says may decide (`can_decide`)."""
    return tables.TemplateColumn(template_name="labor/includes/decide_cell.html", verbose_name="", orderable=False,
                                 exclude_from_export=True, extra_context={"decide_url": url_name})


class ReferralTable(tables.Table):
    worker = worker_link()
    workshop = tables.Column(accessor="post__workshop__name", verbose_name=_("workshop"))
    decide = decide_column("labor-referral-decide")

    class Meta:
        model = Referral
        fields = ["proposed_on", "worker", "workshop", "post", "outcome", "decided_on", "reason"]


class CooperativeTable(tables.Table):
    name = detail_link("cooperative-detail")
    member_count = tables.Column(verbose_name=_("members"))

    class Meta:
        model = Cooperative
        fields = ["name", "township", "member_count"]


class JobFairTable(tables.Table):
    title = detail_link("job-fair-detail")
    placement_count = tables.Column(verbose_name=_("placements"))

    class Meta:
        model = JobFair
        fields = ["date", "title", "township", "attendees", "placement_count"]


class TrainingTable(tables.Table):
    name = detail_link("training-detail")

    class Meta:
        model = Training
        fields = ["name", "kind", "organizer_workshop", "organizer_enterprise", "start_date", "end_date"]


class WorkerRecordTable(tables.Table):
    """A record about a worker: the worker linked, their ID number masked as the viewer requires; the
    record's date links to the record."""

    worker = worker_link()
    worker__id_number = MaskedIdColumn(verbose_name=_("ID number"))


class MembershipTable(WorkerRecordTable):
    joined_on = detail_link("membership-detail")

    class Meta:
        model = Membership
        fields = ["worker", "worker__id_number", "joined_on", "cooperative", "left_on"]


class TrainingCompletionTable(WorkerRecordTable):
    completed_on = detail_link("training-completion-detail")

    class Meta:
        model = TrainingCompletion
        fields = ["worker", "worker__id_number", "completed_on", "training", "training__kind", "certificate_level"]


class ReturneeTable(WorkerRecordTable):
    returned_on = detail_link("returnee-detail")
    township = tables.Column(accessor="worker__village__township", verbose_name=_("township"),
                             order_by="worker__village__township")

    class Meta:
        model = Returnee
        fields = ["worker", "worker__id_number", "returned_on", "township", "enterprise"]


# East labour cooperation ---------------------------------------------------------------------------------

class EastPostTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("east employer"))
    placement_count = tables.Column(verbose_name=_("placed"), orderable=False)
    actions = tables.TemplateColumn(template_name="labor/outbound/east_post_cell.html", verbose_name="",
                                    orderable=False, exclude_from_export=True)

    class Meta:
        model = EastPost
        fields = ["title", "enterprise", "province", "city", "monthly_wage", "vacancies", "is_open",
                  "placement_count"]


class OutboundReferralTable(tables.Table):
    worker = worker_link()
    township = tables.Column(accessor="worker__village__township__name", verbose_name=_("township"))
    employer = tables.Column(accessor="east_post__enterprise__name", verbose_name=_("east employer"))
    decide = decide_column("outbound-referral-decide")

    class Meta:
        model = OutboundReferral
        fields = ["worker", "township", "east_post", "employer", "broker", "proposed_on", "outcome", "decided_on",
                  "reason"]


class OutboundPlacementTable(tables.Table):
    worker = tables.Column(linkify=("outbound-placement-detail", [tables.A("pk")]), verbose_name=_("worker"))
    worker__id_number = MaskedIdColumn(verbose_name=_("ID number"))
    township = tables.Column(accessor="worker__village__township__name", verbose_name=_("township"))
    worker__category = tables.Column(verbose_name=_("category"))

    class Meta:
        model = OutboundPlacement
        fields = ["worker", "worker__id_number", "township", "worker__category", "enterprise", "province", "city",
                  "post_title", "start_date", "monthly_wage", "status", "return_date", "return_reason"]


class OutboundVisitTable(tables.Table):
    worker = tables.Column(accessor="placement__worker__name", verbose_name=_("worker"),
                           linkify=lambda record: reverse("outbound-placement-detail", args=[record.placement_id]))
    employer = tables.Column(accessor="placement__enterprise__name", verbose_name=_("east employer"))

    class Meta:
        model = OutboundVisit
        fields = ["worker", "employer", "milestone", "visited_on", "visited_by", "note"]


class OverdueVisitTable(tables.Table):
    worker = tables.Column(linkify=("outbound-placement-detail", [tables.A("pk")]), verbose_name=_("worker"))
    phone = tables.Column(accessor="worker__phone", verbose_name=_("phone"))
    township = tables.Column(accessor="worker__village__township__name", verbose_name=_("township"))
    overdue_1 = tables.BooleanColumn(verbose_name=_("1-month visit overdue"), orderable=False)
    overdue_3 = tables.BooleanColumn(verbose_name=_("3-month visit overdue"), orderable=False)
    overdue_6 = tables.BooleanColumn(verbose_name=_("6-month visit overdue"), orderable=False)

    class Meta:
        model = OutboundPlacement
        fields = ["worker", "phone", "township", "enterprise", "city", "start_date", "overdue_1", "overdue_3",
                  "overdue_6"]
