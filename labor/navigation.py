from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.navigation import NavItem

FIELD = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.BROKER})
EMPLOYERS = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.WORKSHOP_OPERATOR})
PEOPLE = FIELD | EMPLOYERS

MENU = [
    NavItem(_("My village"), "labor-home", roles=frozenset({Role.BROKER}), order=1),
    NavItem(_("Workers"), "labor-worker-list", roles=PEOPLE, order=20),
    NavItem(_("Referrals"), "labor-referral-list", roles=PEOPLE, order=21),
    NavItem(_("Placements"), "labor-placement-list", roles=PEOPLE, order=22),
    NavItem(_("Payroll"), "labor-payroll-list", roles=EMPLOYERS, order=23),
    NavItem(_("Imports"), "labor-import-upload", roles=PEOPLE, order=24),
    NavItem(_("Cooperatives"), "cooperative-list", roles=FIELD, order=25),
    NavItem(_("Job fairs"), "job-fair-list", roles=PEOPLE, order=26),
    NavItem(_("Trainings"), "training-list", roles=EMPLOYERS, order=27),
    NavItem(_("Returnees"), "returnee-list", roles=FIELD, order=28),
]
