"""One FilterSet per model, used by both the pages and the API."""

import django_filters
from django.db.models import Q
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceKind
from core.filtersets import ChoiceByName, FilterSet, SearchMixin, search_filter, township_filter
from core.months import MonthFilter

from . import resident_id, selectors
from .choices import CertificateLevel, ImportStatus, PlacementSource, ReferralOutcome, TrainingKind, WorkerCategory
from .models import (
    Broker,
    Cooperative,
    FollowUp,
    ImportJob,
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


class WorkerFilterSet(SearchMixin, FilterSet):
    # Never a substring of an ID number: `?search=19800101` would find who was born that day and
    # undo the mask. A whole number is matched exactly (filter_search).
    search_fields = ("name", "phone")
    village = ChoiceByName("village", label=_("village"))
    township = township_filter("village__township")
    category = django_filters.ChoiceFilter(choices=WorkerCategory.choices, label=_("category"))
    returnee = django_filters.BooleanFilter(label=_("returnee"))
    search = search_filter()

    class Meta:
        model = Worker
        fields = ["category", "returnee"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        # An 18-character ID number is matched exactly (upper-case X), not as a substring.
        if len(value) == 18:
            return queryset.filter(Q(id_number=value.upper()) | Q(name__icontains=value))
        return super().filter_search(queryset, name, value)


class CooperativeFilterSet(SearchMixin, FilterSet):
    search_fields = ("name",)
    township = township_filter("township")
    search = search_filter()

    class Meta:
        model = Cooperative
        fields = []


class MembershipFilterSet(FilterSet):
    worker = ChoiceByName("worker", label=_("worker"))
    cooperative = ChoiceByName("cooperative", label=_("cooperative"))
    current = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", label=_("current member"))

    class Meta:
        model = Membership
        fields = []


class BrokerFilterSet(SearchMixin, FilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name")
    village = ChoiceByName("village", label=_("village"))
    township = township_filter("village__township")
    cooperative = ChoiceByName("cooperative", label=_("cooperative"))
    search = search_filter()

    class Meta:
        model = Broker
        fields = []


class PlacementFilterSet(SearchMixin, FilterSet):
    search_fields = ("worker__name", "worker__phone", "workshop__name")
    worker = ChoiceByName("worker", label=_("worker"))
    workshop = ChoiceByName("workshop", label=_("workshop"))
    township = township_filter("workshop__village__township")
    source = django_filters.ChoiceFilter(choices=PlacementSource.choices, label=_("source"))
    job_fair = ChoiceByName("job_fair", label=_("job fair"))
    status = django_filters.ChoiceFilter(choices=[("open", _("Open")), ("ended", _("Ended"))],
                                         method="filter_status", label=_("status"))
    is_open = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("open"))
    started_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("started from"))
    started_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("started to"))
    search = search_filter()
    # The to-do's "payroll not entered": open in that month, no payroll row for it (issue 14).
    payroll_missing = MonthFilter(method="filter_payroll_missing", label=_("no payroll for month (YYYY-MM)"))

    class Meta:
        model = Placement
        fields = ["source"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        still_open = Q(end_date__isnull=True) | Q(end_date__gte=today)
        return queryset.filter(still_open) if value == "open" else queryset.exclude(still_open)

    def filter_payroll_missing(self, queryset, name, value):
        return selectors.without_payroll(queryset, value)


class PayrollFilterSet(FilterSet):
    placement = ChoiceByName("placement", label=_("placement"))
    workshop = ChoiceByName("workshop", field_name="placement__workshop", label=_("workshop"))
    worker = ChoiceByName("worker", field_name="placement__worker", label=_("worker"))
    township = township_filter("placement__workshop__village__township")
    month = MonthFilter(field_name="month", label=_("month (YYYY-MM)"))

    class Meta:
        model = Payroll
        fields = []


class ReferralFilterSet(SearchMixin, FilterSet):
    search_fields = ("worker__name", "post__title", "post__workshop__name")
    outcome = django_filters.ChoiceFilter(choices=ReferralOutcome.choices, label=_("outcome"))
    worker = ChoiceByName("worker", label=_("worker"))
    workshop = ChoiceByName("workshop", field_name="post__workshop", label=_("workshop"))
    broker = ChoiceByName("broker", label=_("broker"))
    job_fair = ChoiceByName("job_fair", label=_("job fair"))
    search = search_filter()
    # A broker's own referrals ("我的全部推荐"), whatever else their village's brokers proposed (issue 14).
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("only mine"))

    class Meta:
        model = Referral
        fields = ["outcome"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        mine = Q(broker__user=user.pk)
        return queryset.filter(mine) if value else queryset.exclude(mine)


class FollowUpFilterSet(FilterSet):
    placement = ChoiceByName("placement", label=_("placement"))
    still_employed = django_filters.BooleanFilter(label=_("still employed"))
    visited_from = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("visited from"))
    visited_to = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("visited to"))

    class Meta:
        model = FollowUp
        fields = ["still_employed"]


class JobFairFilterSet(SearchMixin, FilterSet):
    search_fields = ("title",)
    township = township_filter("township")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from date"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to date"))
    search = search_filter()

    class Meta:
        model = JobFair
        fields = []


class TrainingFilterSet(SearchMixin, FilterSet):
    search_fields = ("name",)
    kind = django_filters.ChoiceFilter(choices=TrainingKind.choices, label=_("kind"))
    organizer_workshop = ChoiceByName("workshop", field_name="organizer_workshop", label=_("organizer workshop"))
    search = search_filter()

    class Meta:
        model = Training
        fields = ["kind"]


class TrainingCompletionFilterSet(FilterSet):
    training = ChoiceByName("training", label=_("training"))
    worker = ChoiceByName("worker", label=_("worker"))
    certificate_level = django_filters.ChoiceFilter(choices=CertificateLevel.choices, label=_("certificate level"))
    kind = django_filters.ChoiceFilter(field_name="training__kind", choices=TrainingKind.choices, label=_("kind"))

    class Meta:
        model = TrainingCompletion
        fields = ["certificate_level"]


class ReturneeFilterSet(FilterSet):
    township = township_filter("worker__village__township")
    founded = django_filters.BooleanFilter(field_name="enterprise", lookup_expr="isnull", exclude=True,
                                           label=_("founded an enterprise"))

    class Meta:
        model = Returnee
        fields = []


class ImportJobFilterSet(FilterSet):
    """The import page's "my recent imports" (the to-do's imports awaiting confirmation, issue 14)."""

    status = django_filters.ChoiceFilter(choices=ImportStatus.choices, label=_("status"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("only mine"))

    class Meta:
        model = ImportJob
        fields = ["status"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(created_by=user.pk) if value else queryset.exclude(created_by=user.pk)


def _worker_detail(worker):
    return f"{resident_id.mask(worker.id_number)} {worker.village.name}"


def _placement_detail(placement):
    return f"{placement.workshop.name} {placement.start_date:%Y-%m-%d}"


# Workers, cooperatives, brokers, placements, job fairs and trainings chosen by name in every list's filters
# (core.choices), within the user's scope. A worker's ID number is matched whole only and shown masked.
CHOICE_KINDS = [
    ChoiceKind("worker", _("worker"), lambda user: selectors.worker_list(user=user), keys=("pk", "id_number"),
               detail=_worker_detail, related=("village",)),
    ChoiceKind("cooperative", _("cooperative"), lambda user: selectors.cooperative_list(user=user),
               detail=lambda cooperative: cooperative.township.name if cooperative.township_id else "",
               related=("township",)),
    ChoiceKind("broker", _("broker"), lambda user: selectors.broker_list(user=user),
               name=Concat("user__last_name", "user__first_name"),
               detail=lambda broker: broker.village.name, related=("village", "user")),
    ChoiceKind("placement", _("placement"), lambda user: selectors.placement_list(user=user), name="worker__name",
               detail=_placement_detail, related=("workshop",)),
    ChoiceKind("job_fair", _("job fair"), lambda user: selectors.job_fair_list(user=user), name="title",
               detail=lambda fair: f"{fair.date:%Y-%m-%d}"),
    ChoiceKind("training", _("training"), lambda user: selectors.training_list(user=user)),
]
