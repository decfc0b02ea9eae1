"""`manage.py healthcheck beat`: exit 0 when a beat holds the lock and ticked lately, 1 otherwise
(the beat container's healthcheck)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import beat


class Command(BaseCommand):
    help = "Exit 0 when the named background service is alive (beat: its heartbeat in Redis is fresh)."

    def add_arguments(self, parser):
        parser.add_argument("service", choices=["beat"])
        parser.add_argument("--max-age", type=float, default=beat.HEARTBEAT_FRESH_SECONDS,
                            help="seconds a heartbeat stays fresh (default %(default)s)")

    def handle(self, *args, service, max_age, **options):
        heartbeat = beat.read_heartbeat()
        if heartbeat is None:
            raise CommandError("beat: no heartbeat in Redis (never ran, or Redis is unreachable)")
        age = (timezone.now() - heartbeat["at"]).total_seconds()
        if age > max_age:
            raise CommandError(f"beat: last heartbeat {age:.0f} s ago by {heartbeat['holder']} (max {max_age:.0f} s)")
        self.stdout.write(f"beat: ok, heartbeat {age:.0f} s ago by {heartbeat['holder']}")
