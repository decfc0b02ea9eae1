from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ... import services
from ...permissions import SYSTEM
from .. import scope_args


class Command(BaseCommand):
    help = "Create an API client for a partner system and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        scope_args.add_arguments(parser)
        parser.add_argument("--read-only", action="store_true", help="the client may only read")

    def handle(self, *args, **options):
        try:
            client, key = services.api_client_create(
                actor=SYSTEM, name=options["name"], role=options["role"],
                read_only=options["read_only"], **scope_args.resolve(options),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        mode = "read-only" if client.read_only else "read-write"
        self.stdout.write(f"Created API client {client.name} ({mode}). Its key, shown only this once:")
        self.stdout.write(key)
