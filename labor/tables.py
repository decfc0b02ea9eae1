import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from . import resident_id, selectors
from .models import (
    Cooperative,
    JobFair,
    Membership,
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
    full = selectors.shows_full_id_number(user)
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
    name = detail_link("labor-worker-detail")
    id_number = MaskedIdColumn(verbose_name=_("ID number"))
    township = tables.Column(accessor="village__township", verbose_name=_("township"), order_by="village__township")

    class Meta:
        model = Worker
        fields = ["name", "id_number", "sex", "birth_date", "phone", "township", "village", "category", "returnee"]


class PlacementTable(tables.Table):
    worker = tables.Column(linkify=("labor-worker-detail", [tables.A("worker_id")]))
    worker__id_number = MaskedIdColumn(verbose_name=_("ID number"))

    class Meta:
        model = Placement
        fields = ["worker", "worker__id_number", "workshop", "post", "source", "start_date", "end_date",
                  "end_reason", "monthly_wage"]


class PayrollTable(tables.Table):
    month = tables.DateColumn(format="Y-m")
    worker = tables.Column(accessor="placement__worker__name", verbose_name=_("worker"))
    worker_id_number = MaskedIdColumn(accessor="placement__worker__id_number", verbose_name=_("ID number"))
    workshop = tables.Column(accessor="placement__workshop__name", verbose_name=_("workshop"))

    class Meta:
        model = Payroll
        fields = ["month", "worker", "worker_id_number", "workshop", "days_worked", "wage_paid",
                  "employer_social_insurance"]


class ReferralTable(tables.Table):
    worker = tables.Column(linkify=("labor-worker-detail", [tables.A("worker_id")]))
    workshop = tables.Column(accessor="post__workshop__name", verbose_name=_("workshop"))
    decide = tables.TemplateColumn(template_name="labor/includes/decide_cell.html", verbose_name="",
                                   orderable=False, exclude_from_export=True)

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

    worker = tables.Column(linkify=("labor-worker-detail", [tables.A("worker_id")]))
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
