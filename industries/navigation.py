from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import Role
from accounts.navigation import NavItem

NOT_OPERATORS = frozenset(Role.values) - {Role.WORKSHOP_OPERATOR}

GROUP = pgettext_lazy("menu", "Industries")
MENU = [
    NavItem(_("Enterprises"), "enterprise-list", roles=NOT_OPERATORS, order=30, group=GROUP),
    NavItem(_("Production bases"), "production-base-list", roles=NOT_OPERATORS, order=31, group=GROUP),
    NavItem(_("Brands"), "brand-list", order=32, group=GROUP),
    NavItem(_("Industry outputs"), "industry-output-list", order=33, group=GROUP),
    NavItem(_("Livestreams"), "livestream-list", roles=NOT_OPERATORS, order=34, group=GROUP),
    NavItem(_("East-market sales"), "east-market-sale-list", roles=NOT_OPERATORS, order=35, group=GROUP),
    NavItem(_("Cooperation funds"), "cooperation-fund-list", roles=NOT_OPERATORS, order=36, group=GROUP),
]
