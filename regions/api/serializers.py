from rest_framework import serializers

from ..models import Township, Village


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["id", "code", "name", "kind"]


class VillageSerializer(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = Village
        fields = ["id", "code", "name", "kind", "township", "township_name"]
