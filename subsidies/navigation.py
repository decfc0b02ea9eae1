from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import COUNTY_ROLES, Role
from accounts.navigation import NavItem

GROUP = pgettext_lazy("menu", "Subsidies")
MENU = [
    NavItem(_("Subsidy runs"), "subsidy-run-list", roles=frozenset(Role.values) - {Role.BROKER}, order=50,
            group=GROUP),
    NavItem(_("Subsidy policies"), "subsidy-policy-list", roles=COUNTY_ROLES, order=51, group=GROUP),
]
