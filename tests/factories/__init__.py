"""Shared factory_boy factories, one module per app; import them from here."""

from .accounts import *  # noqa: F403
from .regions import *  # noqa: F403
