from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.navigation import NavItem

NOT_OPERATORS = frozenset(Role.values) - {Role.WORKSHOP_OPERATOR}

MENU = [
    NavItem(_("Enterprises"), "enterprise-list", roles=NOT_OPERATORS, order=30),
    NavItem(_("Production bases"), "production-base-list", roles=NOT_OPERATORS, order=31),
    NavItem(_("Brands"), "brand-list", order=32),
    NavItem(_("Industry outputs"), "industry-output-list", order=33),
    NavItem(_("Livestreams"), "livestream-list", roles=NOT_OPERATORS, order=34),
    NavItem(_("East-market sales"), "east-market-sale-list", roles=NOT_OPERATORS, order=35),
    NavItem(_("Cooperation funds"), "cooperation-fund-list", roles=NOT_OPERATORS, order=36),
]
