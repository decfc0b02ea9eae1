import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.exports import Export
from core.money import MoneyColumn, PersonColumn, person_export
from labor import resident_id

from .models import SubsidyLine, SubsidyRun


class SubsidyRunTable(tables.Table):
    id = tables.Column(linkify=("subsidy-run-detail", {"pk": tables.A("pk")}), verbose_name="#")
    month = tables.DateColumn(format="Y-m", verbose_name=_("month"))
    payable_total = MoneyColumn(verbose_name=_("payable"))
    withheld_total = MoneyColumn(verbose_name=_("withheld"))
    stale = tables.BooleanColumn(accessor="is_stale", verbose_name=_("must be recalculated"), orderable=False)
    submitted_by = PersonColumn(verbose_name=_("submitted by"))
    approved_by = PersonColumn(verbose_name=_("approved by"))

    class Meta:
        model = SubsidyRun
        fields = ["id", "month", "kind", "status", "line_count", "payable_total", "withheld_total", "stale",
                  "submitted_by", "approved_by", "paid_on"]
        attrs = {"class": "table table-sm table-striped align-middle", "id": "subsidy-runs"}
        order_by = ("-month", "-id")

    # core.exports: columns whose accessor is a property, as field paths
    export_columns = {"stale": Export("stale_since", lambda since: "✔" if since is not None else "✘",
                                      format_none=True),
                      "submitted_by": person_export("submitted_by"), "approved_by": person_export("approved_by")}


class SubsidyLineTable(tables.Table):
    township = tables.Column(accessor="township__name", verbose_name=_("township"),
                             order_by=("township__code",))
    worker = tables.Column(verbose_name=_("worker"))
    id_number = tables.Column(accessor="worker__masked_id_number", verbose_name=_("ID number"), orderable=False)
    flags = tables.Column(verbose_name=_("flags"), orderable=False)
    amount = MoneyColumn(verbose_name=_("amount"))

    class Meta:
        model = SubsidyLine
        fields = ["id", "township", "workshop", "worker", "id_number", "component", "amount", "status", "flags",
                  "reason"]
        attrs = {"class": "table table-sm table-striped align-middle", "id": "subsidy-lines"}

    export_columns = {"id_number": Export("worker__id_number", resident_id.mask)}  # always masked, as shown

    def render_flags(self, value):
        from .choices import Flag

        return "、".join(str(Flag(f).label) if f in Flag.values else f for f in value)

    def value_flags(self, value):
        return self.render_flags(value)
