"""The one authentication backend: Django's, behind the login throttle and with every attempt in the
audit log (logins, failures, the lockout a failure starts, the first attempt a lock refuses; sign-outs
are recorded by accounts.signals). Every password login goes through it — the login page, the admin's login and
POST /api/v1/auth/token/ — so none of them can be used to guess around the limit."""

import logging

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import audit, login_throttle
from .models import User

logger = logging.getLogger(__name__)


def _client_ip(request) -> str | None:
    # REMOTE_ADDR as ProxyHeadersMiddleware left it: the proxy's X-Forwarded-For only from a trusted proxy.
    return request.META.get("REMOTE_ADDR") or None


def _record(action: str, username: str, request, user=None, **extra) -> None:
    """The account is the event's object when it exists; its actor only when the password was right
    (whoever typed a wrong one is unknown)."""
    target = user or User.objects.filter(username=username).first()
    path = getattr(request, "path", "") if request is not None else ""
    audit.record(user, action, target, {"username": username[:150], "path": path[:200], **extra})


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None or request is None:
            # No request (a shell, a test client's login()): nothing to count against.
            return super().authenticate(request, username=username, password=password, **kwargs)
        username = str(username)
        ip = _client_ip(request)
        locked = login_throttle.lockout(username, ip)
        if locked is not None:
            # Read by the login form and the token view to say why; the password is not even checked.
            request.login_lockout = locked
            logger.warning("login refused while locked: %s (%s)", username[:150], locked.scope)
            if login_throttle.first_refusal(username, ip, locked):  # once a lock, however many attempts
                _record("login.refused", username, request, scope=locked.scope, seconds=locked.seconds)
            raise PermissionDenied  # authenticate() stops here and tries no other backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            started = login_throttle.record_failure(username, ip)
            _record("login.failed", username, request)
            if started is not None:  # this answer is still "wrong password"; the next attempt is refused
                _record("login.lockout", username, request, scope=started.scope, seconds=started.seconds)
            return None
        login_throttle.record_success(username)
        _record("login.success", username, request, user=user)
        return user

    def get_user(self, user_id):
        # The session's user with their township, which every page's header names (one query, not two).
        try:
            user = User._default_manager.select_related("township").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
