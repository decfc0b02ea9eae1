"""Shared factory_boy factories, one module per app; import them from here."""

from .accounts import *  # noqa: F403
from .industries import *  # noqa: F403
from .labor import *  # noqa: F403
from .regions import *  # noqa: F403
from .subsidies import *  # noqa: F403
from .workshops import *  # noqa: F403
