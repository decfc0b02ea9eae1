"""Trainings and completions."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict
from industries.writes import create, update

from ..models import Training, TrainingCompletion


def _check_organizer(fields):
    if not fields.get("organizer_workshop") and not fields.get("organizer_enterprise"):
        raise ValidationError({"organizer_workshop": [_("Name the organizing workshop or enterprise.")]})


def training_create(*, actor, **fields) -> Training:
    _check_organizer(fields)
    return create(Training, actor=actor, action="training.create", scope_field="organizer_workshop", **fields)


def training_update(*, actor, training: Training, **fields) -> Training:
    return update(training, actor=actor, action="training.update", scope_field="organizer_workshop", **fields)


def training_completion_create(*, actor, training, worker, completed_on, certificate_level="none"):
    if TrainingCompletion.objects.filter(training=training, worker=worker).exists():
        raise Conflict(_("This worker has already completed this training."), code="completion_exists")
    if completed_on < training.start_date:
        raise ValidationError({"completed_on": [_("A training cannot be completed before it starts.")]})
    return create(TrainingCompletion, actor=actor, action="training_completion.create", scope_field="worker",
                  training=training, worker=worker, completed_on=completed_on, certificate_level=certificate_level)
