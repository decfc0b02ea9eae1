"""One FilterSet per model, used by both the pages and the API."""

import django_filters
from django.forms import NullBooleanSelect
from django.utils.translation import gettext_lazy as _

from core.filtersets import ChoiceByName, FilterSet, SearchMixin, search_filter, township_filter

from . import selectors
from .choices import ApplicantKind, LoanStatus
from .models import Loan, LoanPolicy, Repayment


class YesNoWidget(NullBooleanSelect):
    """`?overdue=1` (the to-do's link) as well as the select's own true/false."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value in ("1", "yes"):
            return True
        if value in ("0", "no"):
            return False
        return super().value_from_datadict(data, files, name)


class LoanFilterSet(SearchMixin, FilterSet):
    search_fields = ("worker__name", "enterprise__name", "lender_bank", "guarantee_fund")
    status = django_filters.ChoiceFilter(choices=LoanStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=ApplicantKind.choices, method="filter_kind", label=_("borrower"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue today"), widget=YesNoWidget)
    township = township_filter("township")
    worker = ChoiceByName("worker", label=_("worker"))
    enterprise = ChoiceByName("enterprise", label=_("enterprise"))
    applied_from = django_filters.DateFilter(field_name="applied_on", lookup_expr="gte", label=_("applied from"))
    applied_to = django_filters.DateFilter(field_name="applied_on", lookup_expr="lte", label=_("applied to"))
    search = search_filter()

    class Meta:
        model = Loan
        fields = ["status", "township"]

    def filter_kind(self, queryset, name, value):
        return queryset.filter(worker__isnull=value != ApplicantKind.INDIVIDUAL)

    def filter_overdue(self, queryset, name, value):
        """The overdue rule on today's date (Loan's docstring), not the stored status of the last refresh."""
        if value is None:
            return queryset
        overdue = selectors.overdue_loans(Loan.objects.all()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class RepaymentFilterSet(SearchMixin, FilterSet):
    search_fields = ("loan__worker__name", "loan__enterprise__name", "note")
    loan = django_filters.NumberFilter(field_name="loan_id", label=_("loan id"))
    township = township_filter("loan__township")
    paid_from = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("paid from"))
    paid_to = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("paid to"))
    search = search_filter()

    class Meta:
        model = Repayment
        fields = ["loan"]


class LoanPolicyFilterSet(SearchMixin, FilterSet):
    search_fields = ("code", "name", "document_number")
    search = search_filter()

    class Meta:
        model = LoanPolicy
        fields = []
