"""API building blocks shared by industries and workshops: serializers save through services,
viewsets read through selectors (so an object outside the caller's scope is a 404)."""

from rest_framework import mixins, serializers, viewsets


class ServiceSerializer(serializers.ModelSerializer):
    """`create_service(*, actor, **fields)` and `update_service(*, actor, <instance_arg>=obj, **fields)`."""

    create_service = None
    update_service = None
    instance_arg = ""

    def _actor(self):
        return self.context["request"].user

    def create(self, validated_data):
        return type(self).create_service(actor=self._actor(), **validated_data)

    def update(self, instance, validated_data):
        return type(self).update_service(actor=self._actor(), **{self.instance_arg: instance}, **validated_data)


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """List, read, create, update; no delete (rows are referenced by history and subsidies)."""

    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


