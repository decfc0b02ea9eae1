from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ... import services
from ...models import User
from ...permissions import SYSTEM


class Command(BaseCommand):
    help = ("Reset a user's password to a temporary one (printed once) that they must change at their next "
            "login; their API tokens are revoked.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="the temporary password (default: a generated one)")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        try:
            password = services.user_reset_password(actor=SYSTEM, user=user, password=options["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"Temporary password for {user.username} (they must change it at their next login):")
        self.stdout.write(password)
