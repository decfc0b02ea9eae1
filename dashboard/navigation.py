from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

MENU = [NavItem(_("Home"), "home", "dashboard.home.menu", order=0)]
