"""One FilterSet per model, used by both the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filtersets import SearchMixin, search_filter, township_filter
from core.months import MonthFilter

from . import selectors
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


class WorkerFilterSet(SearchMixin, django_filters.FilterSet):
    # Never a substring of an ID number: `?search=19800101` would find who was born that day and
    # undo the mask. A whole number is matched exactly (filter_search).
    search_fields = ("name", "phone")
    village = django_filters.CharFilter(field_name="village__code", label=_("village code"))
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


class CooperativeFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("name",)
    township = township_filter("township")
    search = search_filter()

    class Meta:
        model = Cooperative
        fields = []


class MembershipFilterSet(django_filters.FilterSet):
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker id"))
    cooperative = django_filters.NumberFilter(field_name="cooperative_id", label=_("cooperative id"))
    current = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", label=_("current member"))

    class Meta:
        model = Membership
        fields = []


class BrokerFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name")
    village = django_filters.CharFilter(field_name="village__code", label=_("village code"))
    township = township_filter("village__township")
    cooperative = django_filters.NumberFilter(field_name="cooperative_id", label=_("cooperative id"))
    search = search_filter()

    class Meta:
        model = Broker
        fields = []


class PlacementFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("worker__name", "worker__phone", "workshop__name")
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker id"))
    workshop = django_filters.NumberFilter(field_name="workshop_id", label=_("workshop id"))
    township = township_filter("workshop__village__township")
    source = django_filters.ChoiceFilter(choices=PlacementSource.choices, label=_("source"))
    job_fair = django_filters.NumberFilter(field_name="job_fair_id", label=_("job fair id"))
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


class PayrollFilterSet(django_filters.FilterSet):
    placement = django_filters.NumberFilter(field_name="placement_id", label=_("placement id"))
    workshop = django_filters.NumberFilter(field_name="placement__workshop_id", label=_("workshop id"))
    worker = django_filters.NumberFilter(field_name="placement__worker_id", label=_("worker id"))
    township = township_filter("placement__workshop__village__township")
    month = MonthFilter(field_name="month", label=_("month (YYYY-MM)"))

    class Meta:
        model = Payroll
        fields = []


class ReferralFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("worker__name", "post__title", "post__workshop__name")
    outcome = django_filters.ChoiceFilter(choices=ReferralOutcome.choices, label=_("outcome"))
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker id"))
    workshop = django_filters.NumberFilter(field_name="post__workshop_id", label=_("workshop id"))
    broker = django_filters.NumberFilter(field_name="broker_id", label=_("broker id"))
    job_fair = django_filters.NumberFilter(field_name="job_fair_id", label=_("job fair id"))
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


class FollowUpFilterSet(django_filters.FilterSet):
    placement = django_filters.NumberFilter(field_name="placement_id", label=_("placement id"))
    still_employed = django_filters.BooleanFilter(label=_("still employed"))
    visited_from = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("visited from"))
    visited_to = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("visited to"))

    class Meta:
        model = FollowUp
        fields = ["still_employed"]


class JobFairFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("title",)
    township = township_filter("township")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from date"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to date"))
    search = search_filter()

    class Meta:
        model = JobFair
        fields = []


class TrainingFilterSet(SearchMixin, django_filters.FilterSet):
    search_fields = ("name",)
    kind = django_filters.ChoiceFilter(choices=TrainingKind.choices, label=_("kind"))
    organizer_workshop = django_filters.NumberFilter(field_name="organizer_workshop_id", label=_("workshop id"))
    search = search_filter()

    class Meta:
        model = Training
        fields = ["kind"]


class TrainingCompletionFilterSet(django_filters.FilterSet):
    training = django_filters.NumberFilter(field_name="training_id", label=_("training id"))
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("worker id"))
    certificate_level = django_filters.ChoiceFilter(choices=CertificateLevel.choices, label=_("certificate level"))
    kind = django_filters.ChoiceFilter(field_name="training__kind", choices=TrainingKind.choices, label=_("kind"))

    class Meta:
        model = TrainingCompletion
        fields = ["certificate_level"]


class ReturneeFilterSet(django_filters.FilterSet):
    township = township_filter("worker__village__township")
    founded = django_filters.BooleanFilter(field_name="enterprise", lookup_expr="isnull", exclude=True,
                                           label=_("founded an enterprise"))

    class Meta:
        model = Returnee
        fields = []


class ImportJobFilterSet(django_filters.FilterSet):
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
