"""One way to turn a service's refusal into what the user reads: field errors on a form, or a page
message. Services raise ValidationError (bad input), Conflict (not now, in this state),
PermissionDenied (not you) or BackgroundUnavailable (the queue is down); pages catch `REFUSALS`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.exceptions import Conflict
from core.queue import BackgroundUnavailable

# A page message joining several reasons uses one separator, the Chinese semicolon.
SEPARATOR = "；"
REFUSALS = (ValidationError, Conflict, PermissionDenied, BackgroundUnavailable)


def reasons(exc) -> list[str]:
    """The user-facing reasons a refusal carries, in order."""
    if isinstance(exc, ValidationError):
        return [str(message) for message in exc.messages]
    message = getattr(exc, "message", None) or (exc.args[0] if exc.args else "")
    return [str(message)] if message else []


def message_text(exc) -> str:
    return SEPARATOR.join(reasons(exc))


def add_form_errors(form, exc, field=None) -> None:
    """Show a refusal on `form`: a ValidationError's field errors on those fields when the form has
    them (the rest above the form); anything else on `field` if given, else above the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(field if field in form.fields else None, exc)
    else:
        form.add_error(field if field in form.fields else None, message_text(exc))


def add_page_message(request, exc) -> None:
    """Show a refusal as an error message on the next page."""
    messages.error(request, message_text(exc))
