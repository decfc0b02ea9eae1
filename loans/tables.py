import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Loan, LoanPolicy, Repayment


class LoanTable(tables.Table):
    id = tables.Column(verbose_name=_("loan"), linkify=("loan-detail", [tables.A("pk")]))

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
