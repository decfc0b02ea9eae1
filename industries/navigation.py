from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.navigation import NavItem

GROUP = pgettext_lazy("menu", "Industries")
MENU = [
    NavItem(_("Enterprises"), "enterprise-list", "industries.enterprise.menu", order=30, group=GROUP),
    NavItem(_("Production bases"), "production-base-list", "industries.production_base.menu", order=31,
            group=GROUP),
    NavItem(_("Brands"), "brand-list", "industries.brand.menu", order=32, group=GROUP),
    NavItem(_("Industry outputs"), "industry-output-list", "industries.industry_output.menu", order=33,
            group=GROUP),
    NavItem(_("Livestreams"), "livestream-list", "industries.livestream.menu", order=34, group=GROUP),
    NavItem(_("East-market sales"), "east-market-sale-list", "industries.east_market_sale.menu", order=35,
            group=GROUP),
    NavItem(_("Cooperation funds"), "cooperation-fund-list", "industries.cooperation_fund.menu", order=36,
            group=GROUP),
]
