from django.utils.translation import gettext_lazy as _

from accounts.choices import COUNTY_ROLES, Role
from accounts.navigation import NavItem

MENU = [
    NavItem(_("Subsidies"), "subsidy-run-list", roles=frozenset(Role.values) - {Role.BROKER}, order=50),
    NavItem(_("Subsidy policies"), "subsidy-policy-list", roles=COUNTY_ROLES, order=51),
]
