import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.money import MoneyColumn
from industries.tables import IndustryColumn

from .models import Difficulty, Liaison, Post, Workshop


def detail_link(url_name, accessor="pk"):
    return tables.Column(linkify=(url_name, [tables.A(accessor)]))


class WorkshopTable(tables.Table):
    name = detail_link("workshop-detail")
    industry = IndustryColumn()
    township = tables.Column(accessor="village__township", verbose_name=_("township"), order_by="village__township")
    headcount = tables.Column(verbose_name=_("headcount"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Workshop
        fields = ["name", "kind", "form", "industry", "township", "village", "enterprise", "status", "headcount",
                  "reuses_idle_asset", "opened_on"]
        order_by = "name"


class PostTable(tables.Table):
    title = detail_link("post-detail")
    workshop = detail_link("workshop-detail", "workshop_id")
    monthly_wage = MoneyColumn()

    class Meta:
        model = Post
        fields = ["title", "workshop", "headcount", "monthly_wage", "reserved"]


class LiaisonTable(tables.Table):
    department = detail_link("liaison-detail")
    workshop = detail_link("workshop-detail", "workshop_id")

    class Meta:
        model = Liaison
        fields = ["department", "workshop", "contact_person", "phone"]


class DifficultyTable(tables.Table):
    category = detail_link("difficulty-detail")
    workshop = detail_link("workshop-detail", "workshop_id")

    class Meta:
        model = Difficulty
        fields = ["raised_on", "category", "workshop", "description", "status", "resolved_on",
                  "responsible_department"]
