from rest_framework import viewsets

from .. import selectors
from ..filtersets import TownshipFilterSet, VillageFilterSet
from .serializers import TownshipSerializer, VillageSerializer


class TownshipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TownshipSerializer
    filterset_class = TownshipFilterSet
    ordering_fields = ["code", "name"]
    lookup_field = "code"

    def get_queryset(self):
        return selectors.township_list(user=self.request.user)


class VillageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VillageSerializer
    filterset_class = VillageFilterSet
    ordering_fields = ["code", "name"]
    lookup_field = "code"

    def get_queryset(self):
        return selectors.village_list(user=self.request.user)
