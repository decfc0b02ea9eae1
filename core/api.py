"""API building blocks shared by every app: serializers save through services, viewsets read
through selectors (so an object outside the caller's scope is a 404) and name the permission of
each action in `permission_by_action`, which core.api_permissions.NamedPermission (the default
permission class; its own module because DRF imports it while `rest_framework.viewsets` loads)
asks accounts.permissions about."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.relations import ManyRelatedField, RelatedField

from accounts.scoping import related_choices

from .pages import SIGNED_IN

__all__ = ["SIGNED_IN", "CreateReadViewSet", "ServiceSerializer", "ServiceViewSet"]


READ_ONLY_ACTIONS = frozenset({"list", "retrieve"})


class ScopedRelationsMixin:
    """Every writable relation accepts only what the caller may pick (accounts.scoping.related_choices, the
    rule page forms follow too): another area's id is a 400 on that field, as if it did not exist.
    `county_wide_relations`: {field name: roles that pick from the whole county there}."""

    county_wide_relations: dict = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields  # schema generation: no caller, nothing to limit
        view = self.context.get("view")
        if request.method in ("GET", "HEAD") and getattr(view, "action", None) in READ_ONLY_ACTIONS:
            # Reading a list or a record writes nothing: no relation is looked up in these querysets (the
            # browsable API's forms and OPTIONS build their serializers as a POST or PUT, and are limited).
            return fields
        for name, field in fields.items():
            relation = field.child_relation if isinstance(field, ManyRelatedField) else field
            if isinstance(relation, RelatedField) and not relation.read_only and relation.queryset is not None:
                relation.queryset = related_choices(
                    relation.queryset, request.user,
                    county_wide_for=self.county_wide_relations.get(name, frozenset()))
        return fields


class ServiceSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
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


class ScopedViewSet(viewsets.GenericViewSet):
    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, ScopedViewSet):
    """List, read, create, update; no delete (rows are referenced by history and subsidies)."""


class CreateReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        ScopedViewSet):
    """Records that change only through workflow actions (or never)."""
