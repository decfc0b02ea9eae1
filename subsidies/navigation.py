from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.navigation import NavItem

MENU = [NavItem(_("Subsidies"), "subsidy-run-list", roles=frozenset(Role.values) - {Role.BROKER}, order=50)]
