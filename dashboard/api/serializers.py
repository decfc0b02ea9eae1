from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TodoItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_(
        "stable identifier of the item, e.g. referrals_awaiting_decision, workshops_awaiting_certification"))
    label = serializers.CharField(help_text=_("what waits, in the user's language (Chinese by default)"))
    count = serializers.IntegerField(min_value=0, help_text=_("how many rows wait, counted now"))
    url = serializers.CharField(help_text=_(
        "the portal page listing exactly those rows (a path with its filter query, e.g. "
        "/labor/referrals/?outcome=pending)"))


class TodoSerializer(serializers.Serializer):
    items = TodoItemSerializer(many=True, help_text=_(
        "every item that concerns the caller's role, zero counts included, in a fixed order"))
