from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from ..forms import lockout_message
from ..models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=4096)
    client = serializers.CharField(
        max_length=100, required=False, allow_blank=True,
        help_text=_("A name for the program asking (e.g. “township-sync on pc-12”). A new request from the same "
                    "user and client replaces that client's previous token; without it the User-Agent is used."),
    )

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None:
            lockout = getattr(request, "login_lockout", None)
            if lockout is not None:
                refused = exceptions.Throttled(detail=lockout_message(lockout))
                refused.wait = lockout.seconds  # Retry-After, without DRF's own "expected in N seconds"
                raise refused
            raise serializers.ValidationError(
                {"password": [_("Unable to log in with the username and password given.")]}
            )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "user", "username", "prefix", "client", "created_at", "expires_at", "last_used_at",
                  "revoked_at", "active"]
        read_only_fields = fields
