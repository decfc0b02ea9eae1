"""Demo-data helpers shared by every app's `demo.py` (used only by `manage.py seed_demo`)."""

import random
from dataclasses import dataclass, field

from .models import User
from .permissions import SYSTEM
from .services import user_create

DEMO_PASSWORD = "wanyuan-demo-2026"


@dataclass
class DemoContext:
    """What one seed_demo run passes from app to app: the random source, the scale, and what
    earlier apps created that later ones build on."""

    rng: random.Random
    scale: float
    log: callable = print
    data: dict = field(default_factory=dict)
    users: list = field(default_factory=list)

    def scaled(self, count: int, minimum: int = 1) -> int:
        return max(minimum, round(count * self.scale))


def demo_user(ctx: DemoContext, username: str, role: str, **scope) -> User:
    user = user_create(actor=SYSTEM, username=username, role=role, password=DEMO_PASSWORD, **scope)
    ctx.users.append(user)
    return user

