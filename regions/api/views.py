from rest_framework import viewsets

from core.api import SIGNED_IN

from .. import selectors
from ..filtersets import TownshipFilterSet, VillageFilterSet
from .serializers import TownshipSerializer, VillageSerializer


class TownshipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TownshipSerializer
    filterset_class = TownshipFilterSet
    ordering_fields = ["code", "name"]
    lookup_field = "code"
    permission_by_action = {"read": SIGNED_IN}

    def get_queryset(self):
        return selectors.township_list(user=self.request.user)


class VillageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VillageSerializer
    filterset_class = VillageFilterSet
    ordering_fields = ["code", "name"]
    lookup_field = "code"
    permission_by_action = {"read": SIGNED_IN}

    def get_queryset(self):
        return selectors.village_list(user=self.request.user)
