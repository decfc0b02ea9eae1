"""The one read-only mixin of the Django admin. Domain data (regions, industries, workshops, labor,
subsidies) changes only through its services, which check permissions and scope and write the audit
log: the admin shows it for inspection and offers no add, change or delete (nor the bulk delete)."""


class ReadOnlyAdminMixin:
    """For a ModelAdmin or an inline: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
