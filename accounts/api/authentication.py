from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from ..models import ApiToken


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, checked against the stored digest; revoked or expired keys,
    inactive users and deactivated API clients are refused (401)."""

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user", "user__api_client")
            .filter(digest=ApiToken.digest_of(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired; request a new one."))
        client = getattr(token.user, "api_client", None)
        if client is not None and not client.is_active:
            raise exceptions.AuthenticationFailed(_("This API client has been deactivated."))
        # Write the last-use time at most once a minute, not on every request.
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
