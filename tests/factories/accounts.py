from accounts import services
from accounts.choices import Role
from accounts.permissions import SYSTEM

__all__ = ["make_user", "PASSWORD"]

PASSWORD = "test-pass-4821"


def make_user(username: str, role: str = Role.COUNTY_ADMIN, **scope):
    """A user made through the same service the portal uses, so scope rules apply."""
    return services.user_create(actor=SYSTEM, username=username, role=role, password=PASSWORD, **scope)
