"""Failed-login counters per account and per client address, kept in the cache (Redis in production)
so every gunicorn worker and every server counts the same attempts.

A counter starts at an account's (or address's) first failure and lasts LOGIN_FAILURE_WINDOW seconds
(a fixed window); once it reaches its limit, every attempt is refused until the window ends, even
with the right password. A successful login clears the account's counter, never the address's (one
valid account must not reset an address that is guessing others). With the cache unreachable the
login is allowed and a warning logged: an outage of Redis must not lock everyone out or answer 500.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

PREFIX = "login-failures"


@dataclass(frozen=True)
class Lockout:
    scope: str  # "account" or "ip"
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.seconds // 60))


def _keys(username: str, ip: str | None) -> dict[str, str]:
    # Usernames are hashed: any text a visitor types becomes a safe, bounded cache key.
    account = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    keys = {"account": f"{PREFIX}:account:{account}"}
    if ip:
        keys["ip"] = f"{PREFIX}:ip:{ip}"
    return keys


def _limits() -> dict[str, int]:
    return {"account": settings.LOGIN_FAILURE_LIMIT_ACCOUNT, "ip": settings.LOGIN_FAILURE_LIMIT_IP}


def lockout(username: str, ip: str | None) -> Lockout | None:
    """The lock that refuses this attempt, if any."""
    keys = _keys(username, ip)
    try:
        values = cache.get_many([*keys.values(), *(f"{key}:until" for key in keys.values())])
    except Exception:
        logger.warning("login throttle: cache unavailable, attempt allowed without a check", exc_info=True)
        return None
    limits = _limits()
    for scope, key in keys.items():
        if values.get(key, 0) >= limits[scope]:
            until = values.get(f"{key}:until")
            left = int(until - time.time()) + 1 if until else settings.LOGIN_FAILURE_WINDOW
            return Lockout(scope, max(1, min(left, settings.LOGIN_FAILURE_WINDOW)))
    return None


def record_failure(username: str, ip: str | None) -> Lockout | None:
    """Count a wrong password; returns the lock this failure started, if it reached a limit."""
    window = settings.LOGIN_FAILURE_WINDOW
    limits = _limits()
    started = None
    for scope, key in _keys(username, ip).items():
        try:
            if cache.add(key, 0, timeout=window):  # starts the window; a running one keeps its expiry
                cache.set(f"{key}:until", time.time() + window, timeout=window)
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(key, 1, timeout=window)
            count = 1
        except Exception:
            logger.warning("login throttle: cache unavailable, failure not counted", exc_info=True)
            return None
        if count == limits[scope]:
            started = started or Lockout(scope, window)
    return started


def first_refusal(username: str, ip: str | None, lock: Lockout) -> bool:
    """True for the first attempt a running lock refuses (the one the audit log records): attempts
    go on while locked, and each must not cost a row. With the cache unreachable: True."""
    key = f"{_keys(username, ip)[lock.scope]}:refused"
    try:
        return bool(cache.add(key, 1, timeout=lock.seconds))
    except Exception:
        logger.warning("login throttle: cache unavailable, refusal not deduplicated", exc_info=True)
        return True


def record_success(username: str) -> None:
    try:
        key = _keys(username, None)["account"]
        cache.delete_many([key, f"{key}:until"])
    except Exception:
        logger.warning("login throttle: cache unavailable, account counter not cleared", exc_info=True)
