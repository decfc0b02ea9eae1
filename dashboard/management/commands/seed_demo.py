"""Load the deterministic demo county. Each app adds its part in `<app>/demo.py`."""

import random
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DemoContext
from regions.models import Village

# Lowest app first: each step builds on what the earlier ones created.
STEPS = ["regions", "industries", "workshops", "labor", "loans", "subsidies"]


class Command(BaseCommand):
    help = "Load the demo county (deterministic for a given --seed). Refused in production."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 reproduces the article's figures")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when demo data is already there")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is refused when DJANGO_ENV=production: its users have a known password.")
        if not 0 < options["scale"] <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        if Village.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demo data is already loaded; nothing to do.")
                return
            raise CommandError("The database already holds villages; seed_demo loads into an empty database.")
        ctx = DemoContext(rng=random.Random(options["seed"]), scale=options["scale"], log=self.stdout.write)
        with transaction.atomic():
            for app in STEPS:
                module = import_module(f"{app}.demo")
                if hasattr(module, "seed"):
                    self.stdout.write(f"{app}:")
                    module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo county loaded. Demo logins (password {DEMO_PASSWORD}):"))
        for user in ctx.users:
            self.stdout.write(f"  {user.username:<12} {user.get_role_display()}")
