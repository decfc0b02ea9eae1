from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.navigation import NavItem

GROUP = pgettext_lazy("menu", "Loans")
MENU = [
    NavItem(_("Guarantee loans"), "loan-list", "loans.loan.menu", order=60, group=GROUP),
    NavItem(_("Repayments"), "repayment-list", "loans.loan.menu", order=61, group=GROUP),
    NavItem(_("Loan limits"), "loan-policy-list", "loans.policy.menu", order=62, group=GROUP),
]
