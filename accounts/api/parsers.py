"""The API's JSON parser: refuses JSON nested deeper than MAX_DEPTH (Python's parser recurses and would
raise RecursionError, a 500) and any string or key holding a NUL byte (PostgreSQL cannot store one;
the database error used to surface as a 500), both as a 400 in the API's error format."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

MAX_DEPTH = 32  # our deepest body (bulk payroll rows) is 3 deep


def _too_deep() -> ParseError:
    return ParseError(_("JSON nested more than %(depth)s levels deep is not accepted.") % {"depth": MAX_DEPTH})


def check_json(data) -> None:
    """Walks the parsed body without recursion; a NUL is reported on the top-level field holding it."""
    stack = [(data, 1, None)]
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if isinstance(value, dict):
            for key, item in value.items():
                where = field if field is not None else key
                if "\x00" in key:
                    _nul(where)
                stack.append((item, depth + 1, where))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str) and "\x00" in value:
            _nul(field)


def _nul(field):
    message = _("This value contains a NUL character.")
    raise ValidationError({field if field is not None else "non_field_errors": [message]})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        check_json(data)
        return data
