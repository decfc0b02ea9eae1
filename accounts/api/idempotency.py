"""`Idempotency-Key` for API writes a client may retry: the same key and body return the first
response and change nothing; the same key with another body is a 409."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from ..exceptions import Conflict
from ..models import IdempotencyRecord

HEADER = "Idempotency-Key"


def _body_digest(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str) if request.data is not None else ""
    return hashlib.sha256(body.encode()).hexdigest()


def idempotent(handler):
    """Wrap a viewset method (create or a POST action) so a repeated key replays its response."""

    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return handler(self, request, *args, **kwargs)
        digest = _body_digest(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=request.user, key=key[:200], method=request.method,
                    path=request.path[:300], body_digest=digest,
                )
        except IntegrityError:
            first = IdempotencyRecord.objects.get(user=request.user, key=key[:200])
            if first.body_digest != digest or first.path != request.path[:300]:
                raise Conflict(
                    _("This Idempotency-Key was already used for a different request."),
                    code="idempotency_key_reused",
                ) from None
            if first.status_code is None:
                raise Conflict(_("The first request with this Idempotency-Key is still being processed."),
                               code="idempotency_in_progress") from None
            return Response(first.response, status=first.status_code)
        try:
            response = handler(self, request, *args, **kwargs)
        except Exception:
            record.delete()
            raise
        if 200 <= response.status_code < 300:
            record.status_code = response.status_code
            record.response = json.loads(json.dumps(response.data, default=str))
            record.save(update_fields=["status_code", "response"])
        else:
            # A refused request did nothing, so the client may correct it and retry with this key.
            record.delete()
        return response

    wrapper.__name__ = handler.__name__
    wrapper.__doc__ = handler.__doc__
    return wrapper
