"""Trainings and completions."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict
from accounts.permissions import require
from core.writes import UNSET, create, given, update

from ..models import Training, TrainingCompletion


def _check_organizer(fields):
    if not fields.get("organizer_workshop") and not fields.get("organizer_enterprise"):
        raise ValidationError({"organizer_workshop": [_("Name the organizing workshop or enterprise.")]})


def training_create(*, actor, name=UNSET, kind=UNSET, organizer_workshop=UNSET, organizer_enterprise=UNSET,
                    start_date=UNSET, end_date=UNSET) -> Training:
    require(actor, "labor.training.write")
    fields = given(name=name, kind=kind, organizer_workshop=organizer_workshop,
                   organizer_enterprise=organizer_enterprise, start_date=start_date, end_date=end_date)
    _check_organizer(fields)
    return create(Training, actor=actor, action="training.create", scope_field="organizer_workshop", **fields)


def training_update(*, actor, training: Training, name=UNSET, kind=UNSET, organizer_workshop=UNSET,
                    organizer_enterprise=UNSET, start_date=UNSET, end_date=UNSET) -> Training:
    require(actor, "labor.training.write", training)
    return update(training, actor=actor, action="training.update", scope_field="organizer_workshop", **given(
        name=name, kind=kind, organizer_workshop=organizer_workshop, organizer_enterprise=organizer_enterprise,
        start_date=start_date, end_date=end_date))


def training_completion_create(*, actor, training, worker, completed_on, certificate_level="none"):
    require(actor, "labor.training_completion.write")
    if TrainingCompletion.objects.filter(training=training, worker=worker).exists():
        raise Conflict(_("This worker has already completed this training."), code="completion_exists")
    if completed_on < training.start_date:
        raise ValidationError({"completed_on": [_("A training cannot be completed before it starts.")]})
    return create(TrainingCompletion, actor=actor, action="training_completion.create", scope_field="worker",
                  training=training, worker=worker, completed_on=completed_on, certificate_level=certificate_level)
