"""The one bound on dates people type: none before 1950 or more than a year ahead (0001-01-01 and
9999-12-31 are typing slips or probes, never facts), and payroll only for months that have begun.

`install()` (from AccountsConfig.ready) adds the bound to every user-entered DateField of the apps in
BOUNDED_APPS, so model validation — services' full_clean, ModelForms, DRF ModelSerializers, payroll's
clean_fields — refuses such a date with a field error. It is added to the field's validator list at
start-up, not declared on the field, so the other apps need no migration; fields that are not entered
(editable=False, e.g. a birth date read from the ID number) are left alone."""

from datetime import date, timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1950, 1, 1)
BOUNDED_APPS = ("industries", "workshops", "labor")
# Fields that hold a month (its first day) whose figures can only exist once the month has begun.
BEGUN_MONTH_FIELDS = {("labor", "payroll", "month")}


def latest() -> date:
    return timezone.localdate() + timedelta(days=366)


def plausible_date(value) -> None:
    if value is None:
        return
    if isinstance(value, date) and not EARLIEST <= value <= latest():
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST.isoformat(), "latest": latest().isoformat()},
        )


def month_has_begun(value) -> None:
    if value is not None and value > timezone.localdate().replace(day=1):
        raise ValidationError(_("The month %(month)s has not begun yet."), code="future_month",
                              params={"month": f"{value:%Y-%m}"})


def install() -> None:
    for label in BOUNDED_APPS:
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if type(field) is not models.DateField or not field.editable:
                    continue
                extra = [plausible_date]
                if (label, model._meta.model_name, field.name) in BEGUN_MONTH_FIELDS:
                    extra.append(month_has_begun)
                # `validators` is cached per field; `_validators` (what migrations see) stays as declared.
                field.validators.extend(v for v in extra if v not in field.validators)
