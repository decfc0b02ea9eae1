"""The one phone rule for workers: a mainland mobile (11 digits, 1[3-9]…) or a landline with its area
code (0 + 2–3 digits, then 7–8 digits; a hyphen or space may separate them). The form, the service
(and so the API) and the import all ask `validate_phone`."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}[- ]?\d{7,8}")
MESSAGE = _("Enter a mobile number (11 digits starting with 13–19) or a landline with its area code, "
            "e.g. 0818-8621234.")


def normalise_phone(value) -> str:
    return (value or "").strip()


def validate_phone(value) -> None:
    """Raise ValidationError unless `value` is empty, a mainland mobile or a landline with area code."""
    value = normalise_phone(value)
    if value and not (MOBILE.fullmatch(value) or LANDLINE.fullmatch(value)):
        raise ValidationError(MESSAGE, code="invalid_phone")
