from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ... import services
from ...permissions import SYSTEM
from .. import scope_args


class Command(BaseCommand):
    help = "Create a portal user with a role and its scope."

    def add_arguments(self, parser):
        parser.add_argument("username")
        scope_args.add_arguments(parser)
        parser.add_argument("--password", help="without it the user cannot log in until one is set")

    def handle(self, *args, **options):
        try:
            user = services.user_create(
                actor=SYSTEM, username=options["username"], role=options["role"],
                password=options["password"], **scope_args.resolve(options),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Created user {user.username} ({user.get_role_display()})."))
