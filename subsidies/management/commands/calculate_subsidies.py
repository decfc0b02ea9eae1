"""`manage.py calculate_subsidies YYYY-MM`: calculate a month now, in this process."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.exceptions import Conflict
from accounts.permissions import SYSTEM
from subsidies import services
from subsidies.choices import RunStatus


class Command(BaseCommand):
    help = "Calculate the subsidies of a month (YYYY-MM); after approval this makes an adjustment run."

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")

    def handle(self, *args, **options):
        try:
            run, created = services.run_request(actor=SYSTEM, month=options["month"], enqueue=False)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except Conflict as exc:
            raise CommandError(exc.message) from None
        run = services.run_calculate(actor=SYSTEM, run_id=run.pk)
        if run.status == RunStatus.FAILED:
            raise CommandError(f"Run {run.pk} failed: {run.error}")
        self.stdout.write(f"run {run.pk} {run.month_label} {run.kind} {run.status}: {run.line_count} lines, "
                          f"payable {run.payable_total}, withheld {run.withheld_total}")
