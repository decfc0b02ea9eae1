from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.throttling import AnonRateThrottle

from .. import services
from .serializers import TokenRequestSerializer, TokenResponseSerializer


class TokenView(APIView):
    """Trade a username and password for an API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        key = services.token_issue(user=serializer.validated_data["user"])
        return Response({"token": key}, status=status.HTTP_200_OK)
