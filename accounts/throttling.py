"""API throttles that keep answering when their cache (Redis) is down: a throttle that cannot
count lets the request through and logs a warning, instead of turning every call into a 500."""

import logging

from rest_framework import throttling

logger = logging.getLogger(__name__)


class _Tolerant:
    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("API throttle cache unavailable; request allowed without throttling", exc_info=True)
            return True


class AnonRateThrottle(_Tolerant, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_Tolerant, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_Tolerant, throttling.ScopedRateThrottle):
    pass
