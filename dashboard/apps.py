from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from core import counts
        from labor.models import Payroll

        from . import facts

        # The payroll list's "共 N 条" from the monthly facts instead of COUNT(*) over every payslip.
        counts.register(Payroll, facts.payroll_count)
