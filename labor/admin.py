"""Admin for the county's administrators: read through the same scoping as everywhere else, ID
numbers masked for anyone but county staff; read-only here (accounts.admin.ReadOnlyAdminMixin): every
record is written through its service."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin
from accounts.scoping import scoped

from . import selectors
from .models import (
    Broker,
    Cooperative,
    FollowUp,
    ImportJob,
    JobFair,
    Membership,
    Payroll,
    Placement,
    Referral,
    Returnee,
    Training,
    TrainingCompletion,
    Worker,
)


class ScopedAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)


@admin.register(Worker)
class WorkerAdmin(ScopedAdmin):
    list_display = ("name", "id_number", "sex", "birth_date", "village", "category", "returnee")
    list_filter = ("category", "returnee", "village__township")
    search_fields = ("name", "phone", "id_number")
    list_select_related = ("village",)
    raw_id_fields = ("village",)
    readonly_fields = ("sex", "birth_date", "created_at")

    def get_list_display(self, request):
        if selectors.shows_full_id_number(request.user):
            return self.list_display
        # Outside the county roles the mask holds here too: no birth date beside it (README).
        return tuple("masked_id_number" if f == "id_number" else f for f in self.list_display if f != "birth_date")

    def get_search_fields(self, request):
        # A substring of an ID number would find who was born on a day.
        return self.search_fields if selectors.shows_full_id_number(request.user) else ("name", "phone")


@admin.register(Cooperative)
class CooperativeAdmin(ScopedAdmin):
    list_display = ("name", "township")
    list_filter = ("township",)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("worker", "cooperative", "joined_on", "left_on")
    raw_id_fields = ("worker", "cooperative")


@admin.register(Broker)
class BrokerAdmin(ScopedAdmin):
    list_display = ("user", "village", "cooperative")
    raw_id_fields = ("user", "village", "cooperative")


@admin.register(Placement)
class PlacementAdmin(ScopedAdmin):
    list_display = ("worker", "workshop", "source", "start_date", "end_date", "monthly_wage")
    list_filter = ("source",)
    list_select_related = ("worker", "workshop")
    raw_id_fields = ("worker", "workshop", "post", "broker", "job_fair")


@admin.register(Payroll)
class PayrollAdmin(ScopedAdmin):
    list_display = ("placement", "month", "days_worked", "wage_paid", "employer_social_insurance")
    list_select_related = ("placement__worker", "placement__workshop")
    raw_id_fields = ("placement",)


@admin.register(Referral)
class ReferralAdmin(ScopedAdmin):
    list_display = ("worker", "post", "broker", "proposed_on", "outcome", "decided_on")
    list_filter = ("outcome",)
    raw_id_fields = ("worker", "post", "broker", "job_fair", "placement")


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    list_display = ("placement", "visited_on", "still_employed")
    raw_id_fields = ("placement", "visited_by")


@admin.register(JobFair)
class JobFairAdmin(ScopedAdmin):
    list_display = ("title", "date", "township", "attendees")
    filter_horizontal = ("workshops",)


@admin.register(Training)
class TrainingAdmin(ScopedAdmin):
    list_display = ("name", "kind", "organizer_workshop", "start_date", "end_date")
    list_filter = ("kind",)


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(ScopedAdmin):
    list_display = ("worker", "training", "certificate_level", "completed_on")
    raw_id_fields = ("worker", "training")


@admin.register(Returnee)
class ReturneeAdmin(ScopedAdmin):
    list_display = ("worker", "returned_on", "enterprise")
    raw_id_fields = ("worker", "enterprise")


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("filename", "kind", "status", "created_by", "created_at", "total_rows", "valid_rows")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ImportJob._meta.fields]
