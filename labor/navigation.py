from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import Role
from accounts.navigation import NavItem

FIELD = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.BROKER})
EMPLOYERS = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.WORKSHOP_OPERATOR})
PEOPLE = FIELD | EMPLOYERS

GROUP = pgettext_lazy("menu", "Labour")
MENU = [
    NavItem(_("My village"), "labor-home", roles=frozenset({Role.BROKER}), order=1),
    NavItem(_("Workers"), "labor-worker-list", roles=PEOPLE, order=20, group=GROUP),
    NavItem(_("Referrals"), "labor-referral-list", roles=PEOPLE, order=21, group=GROUP),
    NavItem(_("Placements"), "labor-placement-list", roles=PEOPLE, order=22, group=GROUP),
    NavItem(_("Payroll"), "labor-payroll-list", roles=EMPLOYERS, order=23, group=GROUP),
    NavItem(_("Imports"), "labor-import-upload", roles=PEOPLE, order=24, group=GROUP),
    NavItem(_("Cooperatives"), "cooperative-list", roles=FIELD, order=25, group=GROUP),
    NavItem(_("Job fairs"), "job-fair-list", roles=PEOPLE, order=26, group=GROUP),
    NavItem(_("Trainings"), "training-list", roles=EMPLOYERS, order=27, group=GROUP),
    NavItem(_("Returnees"), "returnee-list", roles=FIELD, order=28, group=GROUP),
]
