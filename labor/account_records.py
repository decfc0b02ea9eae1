"""What labor adds when a person is given an account on the user pages (accounts.signals.account_created):
a broker's record (labor.Broker) for a village broker, so the new broker can register and propose people at
once instead of waiting for an official to make it."""

from accounts.choices import Role

from .services import broker_create


def make_broker_record(sender, *, actor, user, **kwargs):
    if user.role == Role.BROKER and user.village_id:
        broker_create(actor=actor, user=user, village=user.village, cooperative=user.cooperative)
