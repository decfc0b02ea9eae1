from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

MENU = [
    NavItem(_("Workshops"), "workshop-list", order=10),
    NavItem(_("Posts"), "post-list", order=11),
    NavItem(_("1+N liaisons"), "liaison-list", order=12),
    NavItem(_("Difficulties"), "difficulty-list", order=13),
]
