"""System checks for the scoping declarations (accounts.scoping): every model of the project either
declares its SCOPE for every level or is listed in `UNSCOPED` with its reason, and every declared path
leads to its level's object. A model missing a declaration fails `manage.py check` (and so migrate,
runserver and the test run) instead of quietly showing a broker the whole township."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import FieldDoesNotExist

from .scoping import LEVEL_MODELS, LEVELS, OWN_TOWNSHIP, UNSCOPED


def _project_models():
    root = str(settings.BASE_DIR)
    for model in apps.get_models():
        path = str(model._meta.app_config.path)
        if path.startswith(root) and "site-packages" not in path and not model._meta.proxy:
            yield model


def _target(model, path: str):
    """The model `path` leads to from `model` (a trailing `pk` or primary key stays on the model)."""
    for name in path.split("__"):
        if name == "pk":
            continue
        field = model._meta.get_field(name)
        if field.is_relation:
            model = field.related_model
        elif not field.primary_key:
            raise FieldDoesNotExist(f"{name} is not a relation")
    return model


def check_scope_declarations(app_configs=None, **kwargs):
    errors = []
    for model in _project_models():
        label = model._meta.label_lower
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        scope = getattr(model, "SCOPE", None)
        if scope is None:
            if label not in UNSCOPED:
                errors.append(Error(
                    f"{label} declares no SCOPE.",
                    hint="Declare SCOPE = {level: path or None} for " + ", ".join(LEVELS)
                         + ", or list the model in accounts.scoping.UNSCOPED with the reason it needs none.",
                    obj=model, id="accounts.E110"))
            continue
        if label in UNSCOPED:
            errors.append(Error(f"{label} declares a SCOPE and is listed in UNSCOPED.", obj=model,
                                id="accounts.E111"))
        missing = [level for level in LEVELS if level not in scope]
        if missing:
            errors.append(Error(
                f"{label}.SCOPE declares no path for {', '.join(missing)}.",
                hint="Every level gets a path, OWN_TOWNSHIP (\"@township\") or None (sees nothing); "
                     "there is no township fallback.",
                obj=model, id="accounts.E112"))
        for level in scope:
            if level not in LEVELS:
                errors.append(Error(f"{label}.SCOPE has an unknown level {level!r}.", obj=model,
                                    id="accounts.E113"))
        for level, path in scope.items():
            if level not in LEVELS or path is None:
                continue
            if path == OWN_TOWNSHIP:
                if level == "township" or not scope.get("township"):
                    errors.append(Error(f"{label}.SCOPE[{level!r}] is {OWN_TOWNSHIP!r} without a township path.",
                                        obj=model, id="accounts.E114"))
                continue
            try:
                target = _target(model, path)
            except FieldDoesNotExist as exc:
                errors.append(Error(f"{label}.SCOPE[{level!r}] = {path!r} is not a lookup: {exc}", obj=model,
                                    id="accounts.E115"))
                continue
            if target._meta.label_lower != LEVEL_MODELS[level]:
                errors.append(Error(
                    f"{label}.SCOPE[{level!r}] = {path!r} leads to {target._meta.label_lower}, "
                    f"not {LEVEL_MODELS[level]}.", obj=model, id="accounts.E116"))
    return errors


def register_checks():
    register(check_scope_declarations)
