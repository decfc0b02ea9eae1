from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.navigation import NavItem

GROUP = pgettext_lazy("menu", "Workshops")
MENU = [
    NavItem(_("Workshops"), "workshop-list", "workshops.workshop.menu", order=10, group=GROUP),
    NavItem(_("Posts"), "post-list", "workshops.post.menu", order=11, group=GROUP),
    NavItem(_("1+N liaisons"), "liaison-list", "workshops.liaison.menu", order=12, group=GROUP),
    NavItem(_("Difficulties"), "difficulty-list", "workshops.difficulty.menu", order=13, group=GROUP),
]
