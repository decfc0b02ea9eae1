"""The scope flags shared by create_user and create_api_client."""

from django.apps import apps
from django.core.management.base import CommandError

from ..choices import Role

FLAGS = {
    "township": ("regions.Township", "code"),
    "village": ("regions.Village", "code"),
    "cooperative": ("labor.Cooperative", "pk"),
    "workshop": ("workshops.Workshop", "pk"),
}


def add_arguments(parser):
    parser.add_argument("--role", required=True, choices=Role.values)
    parser.add_argument("--township", metavar="CODE", help="9-digit township code")
    parser.add_argument("--village", metavar="CODE", help="12-digit village code")
    parser.add_argument("--cooperative", metavar="ID")
    parser.add_argument("--workshop", metavar="ID")


def resolve(options) -> dict:
    scope = {}
    for flag, (label, field) in FLAGS.items():
        value = options.get(flag)
        if not value:
            continue
        model = apps.get_model(label)
        try:
            scope[flag] = model.objects.get(**{field: value})
        except (model.DoesNotExist, ValueError):
            raise CommandError(f"No {flag} with {field} {value!r}.") from None
    return scope
