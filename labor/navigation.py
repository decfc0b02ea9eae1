from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.navigation import NavItem

GROUP = pgettext_lazy("menu", "Labour")
MENU = [
    NavItem(_("My village"), "labor-home", "labor.home.menu", order=1),
    NavItem(_("Workers"), "labor-worker-list", "labor.worker.menu", order=20, group=GROUP),
    NavItem(_("Referrals"), "labor-referral-list", "labor.referral.menu", order=21, group=GROUP),
    NavItem(_("Placements"), "labor-placement-list", "labor.placement.menu", order=22, group=GROUP),
    NavItem(_("Payroll"), "labor-payroll-list", "labor.payroll.menu", order=23, group=GROUP),
    NavItem(_("Imports"), "labor-import-upload", "labor.import.use", order=24, group=GROUP),
    NavItem(_("Cooperatives"), "cooperative-list", "labor.cooperative.menu", order=25, group=GROUP),
    NavItem(_("Job fairs"), "job-fair-list", "labor.job_fair.menu", order=26, group=GROUP),
    NavItem(_("Trainings"), "training-list", "labor.training.menu", order=27, group=GROUP),
    NavItem(_("Returnees"), "returnee-list", "labor.returnee.menu", order=28, group=GROUP),
    # East labour cooperation: after Returnees, before industries (30+), so the group stays whole
    NavItem(_("Working in the east"), "outbound-placement-list", "labor.outbound.menu", order=28.1, group=GROUP),
    NavItem(_("East referrals"), "outbound-referral-list", "labor.outbound.menu", order=28.2, group=GROUP),
    NavItem(_("East posts"), "east-post-list", "labor.outbound.menu", order=28.3, group=GROUP),
    NavItem(_("East follow-up visits"), "outbound-visit-list", "labor.outbound_visit.menu", order=28.4, group=GROUP),
]
