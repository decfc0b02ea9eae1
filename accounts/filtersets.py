"""The audit log's filters, shared by the audit page, its export and GET /api/v1/audit-events/."""

import django_filters
from django.apps import apps
from django.db.models import Q
from django.db.models.functions import Concat
from django.forms import DateInput
from django.utils.translation import gettext_lazy as _

from .audit_display import LOGIN_ACTIONS, SYSTEM_LABEL, object_type_label
from .models import AuditEvent

PROJECT_APPS = ("accounts", "core", "regions", "industries", "workshops", "labor", "subsidies", "dashboard")


def object_types():
    """Every model an event can be about ("workshops.workshop"), by its name in the reader's language."""
    models = [model for model in apps.get_models() if model._meta.app_label in PROJECT_APPS]
    return sorted(((m._meta.label_lower, object_type_label(m._meta.label_lower)) for m in models),
                  key=lambda choice: choice[0])


class AuditEventFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        method="filter_actor", label=_("actor"),
        help_text=_("Part of the actor's username or name; “system” (or 系统) for background jobs."))
    action = django_filters.CharFilter(
        method="filter_action", label=_("action"),
        help_text=_("An action code (e.g. workshop.certify), or its prefix (e.g. login) for all of its kind."))
    object_type = django_filters.ChoiceFilter(
        field_name="object_type", choices=object_types, label=_("object type"), empty_label=_("All"),
        help_text=_("e.g. workshops.workshop"))
    object_id = django_filters.CharFilter(field_name="object_id", label=_("object id"))
    date_from = django_filters.DateFilter(field_name="created_at__date", lookup_expr="gte", label=_("from"),
                                          widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = django_filters.DateFilter(field_name="created_at__date", lookup_expr="lte", label=_("to"),
                                        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    search = django_filters.CharFilter(
        method="filter_search", label=_("search"), help_text=_("Text in the object's name or id."))

    class Meta:
        model = AuditEvent
        fields: list = []

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if value.casefold() in {"system", str(SYSTEM_LABEL).casefold()}:
            return queryset.filter(actor__isnull=True).exclude(action__in=LOGIN_ACTIONS)
        # Chinese names are written family name first: 张三 is last_name 张 + first_name 三.
        return queryset.alias(
            actor_name=Concat("actor__last_name", "actor__first_name"),
            actor_name_western=Concat("actor__first_name", "actor__last_name"),
        ).filter(Q(actor__username__icontains=value) | Q(actor_name__icontains=value)
                 | Q(actor_name_western__icontains=value))

    def filter_action(self, queryset, name, value):
        value = value.strip().rstrip(".")
        return queryset.filter(Q(action=value) | Q(action__startswith=f"{value}."))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(object_repr__icontains=value) | Q(object_id=value))
