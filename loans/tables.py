import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Loan, LoanPolicy, Repayment

# Columns a phone leaves out (the page stays readable at 360 px; the Excel download keeps them all).
WIDE = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class LoanTable(tables.Table):
    id = tables.Column(verbose_name=_("loan"), linkify=("loan-detail", [tables.A("pk")]))
    township = tables.Column(attrs=WIDE)
    term_months = tables.Column(attrs=WIDE)
    annual_rate = tables.Column(attrs=WIDE)
    subsidy_share = tables.Column(attrs=WIDE)
    lender_bank = tables.Column(attrs=WIDE)
    applied_on = tables.DateColumn(attrs=WIDE)
    disbursed_on = tables.DateColumn(attrs=WIDE)
    repaid_on = tables.DateColumn(attrs=WIDE)

    class Meta:
        model = Loan
        fields = ["id", "worker", "enterprise", "township", "amount", "term_months", "annual_rate", "subsidy_share",
                  "lender_bank", "status", "applied_on", "disbursed_on", "repaid_on"]
        order_by = "-applied_on"


class RepaymentTable(tables.Table):
    loan = tables.Column(linkify=("loan-detail", [tables.A("loan_id")]))

    class Meta:
        model = Repayment
        fields = ["loan", "paid_on", "principal", "interest", "note"]
        order_by = "-paid_on"


class LoanPolicyTable(tables.Table):
    code = tables.Column(linkify=("loan-policy-detail", [tables.A("pk")]))

    class Meta:
        model = LoanPolicy
        fields = ["code", "name", "document_number", "effective_from", "effective_to", "individual_max", "firm_max",
                  "max_term_months"]
