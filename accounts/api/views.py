from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import AnonRateThrottle

from .. import services
from ..models import ApiToken
from .permissions import OwnTokens
from .serializers import ApiTokenSerializer, TokenRequestSerializer, TokenResponseSerializer


class TokenView(APIView):
    """Trade a username and password for an API token (one per user and client; see `client`).

    Failed attempts count against the login throttle: after too many, every attempt is answered 429
    until the lock ends, even with the right password."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        # The rotation key: the client's own name, else its User-Agent (one key per browser or tool).
        client = (serializer.validated_data.get("client") or request.headers.get("User-Agent", "")
                  or "unnamed client")
        key = services.token_issue(user=serializer.validated_data["user"], client=client)
        token = ApiToken.objects.get(digest=ApiToken.digest_of(key))
        return Response({"token": key, "expires_at": token.expires_at}, status=status.HTTP_200_OK)


@extend_schema(parameters=[OpenApiParameter("user", int, description="county admins: one user's tokens")])
class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """Your API tokens (county admins: everyone's, or one user's with ?user=); DELETE revokes one."""

    serializer_class = ApiTokenSerializer
    permission_classes = [OwnTokens]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
        if not user.is_county_admin:
            return tokens.filter(user=user)
        wanted = self.request.query_params.get("user")
        return tokens.filter(user_id=wanted) if wanted and wanted.isdigit() else tokens

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def perform_destroy(self, instance):
        services.token_revoke(actor=self.request.user, token=instance)
