"""What apps declare in a module of a known name (menus in `<app>.navigation`, searches in `<app>.search`):
found at run time, so a lower app never imports the higher apps that add entries."""

from importlib import import_module

from django.apps import apps


def declared(module_name: str, attribute: str) -> list:
    """The entries every installed app lists in `<app>.<module_name>.<attribute>`, in app order. An app
    without that module is skipped; an import error inside one that exists is raised."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{module_name}":
                raise
            continue
        found.extend(getattr(module, attribute, ()))
    return found
