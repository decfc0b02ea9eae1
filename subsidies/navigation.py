from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.navigation import NavItem

GROUP = pgettext_lazy("menu", "Subsidies")
MENU = [
    NavItem(_("Subsidy runs"), "subsidy-run-list", "subsidies.run.view", order=50, group=GROUP),
    NavItem(_("Subsidy policies"), "subsidy-policy-list", "subsidies.policy.view", order=51, group=GROUP),
]
