"""The county's figures across apps (read only).

Every figure comes from the owning app's selectors, which scope it to the user: a township officer
sees their township's figures, county staff the whole county. A fixed number of aggregate queries
whatever the data size.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.scoping import scoped
from industries.selectors import industry_figures
from labor.choices import PlacementSource
from labor.selectors import labour_figures
from regions.models import Township, Village
from subsidies.choices import Component
from subsidies.selectors import subsidy_figures
from workshops.selectors import workshop_figures

# How a card's value is shown: a count, money in yuan to the fen, or a percentage.
COUNT, MONEY, PERCENT = "count", "money", "percent"
HUNDREDTH = Decimal("0.01")


def county_counts(*, user) -> list[dict]:
    """Headline counts, each limited to what the user may see."""
    figures = [
        ("townships", _("Township units"), scoped(Township.objects.all(), user)),
        ("villages", _("Villages and communities"), scoped(Village.objects.all(), user)),
    ]
    return [{"key": key, "label": label, "value": qs.count()} for key, label, qs in figures]


def _card(key, label, value, kind=COUNT, note="") -> dict:
    return {"key": key, "label": label, "value": value, "kind": kind, "note": note}


def percent(part, whole) -> Decimal | None:
    """`part` of `whole` as a percentage to two decimals (exact, no float); None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(HUNDREDTH)


def _rate_percent(rate) -> Decimal | None:
    """A ratio already rounded by its selector (e.g. 0.9567) as a percentage (95.67)."""
    return None if rate is None else (Decimal(str(rate)) * 100).quantize(HUNDREDTH)


def _workshops_section(user) -> dict:
    w = workshop_figures(user=user)
    return {"key": "workshops", "title": pgettext_lazy("dashboard section", "Workshops"), "cards": [
        _card("certified_workshops", _("Certified workshops"), w["certified_workshops"]),
        _card("assistance_workshops", _("of which employment-assistance workshops"), w["assistance_workshops"]),
        _card("processing_workshops", _("of which processing workshops"), w["processing_workshops"]),
        _card("posts", _("Posts offered (places)"), w["posts"]),
        _card("reserved_posts", _("Places reserved for poverty-alleviated and monitored people"),
              w["reserved_posts"]),
        _card("reserved_share", _("Share of places reserved"), percent(w["reserved_posts"], w["posts"]), PERCENT),
        _card("open_difficulties", _("Workshop difficulties open"), w["open_difficulties"]),
        _card("resolved_difficulties", _("Workshop difficulties resolved through 1+N"), w["resolved_difficulties"]),
    ]}


def _labour_section(user) -> dict:
    f = labour_figures(user=user)
    month = f["payroll_month"]
    return {"key": "labour", "title": pgettext_lazy("dashboard section", "Labour"), "cards": [
        _card("workers", _("Registered workers"), f["workers"]),
        _card("workers_in_work", _("Workers in work today"), f["workers_in_work"]),
        _card("placements", _("Placements (all time)"), f["placements"],
              note=_("%(open)s open today") % {"open": f["open_placements"]}),
        _card("job_fair_placements", _("Placements through job fairs"),
              f["placements_by_source"].get(PlacementSource.JOB_FAIR, 0)),
        _card("match_rate", _("Referral match rate"), _rate_percent(f["match_rate"]), PERCENT,
              note=_("%(hired)s hired of %(decided)s decided, %(pending)s pending") % {
                  "hired": f["referrals_hired"], "decided": f["referrals_decided"],
                  "pending": f["referrals_pending"]}),
        _card("average_monthly_wage", _("Average monthly wage"), f["average_monthly_wage"], MONEY,
              note=_("payroll of %(month)s") % {"month": f"{month:%Y-%m}"} if month else ""),
        _card("reserved_posts_filled", _("Reserved places filled today"), f["reserved_posts_filled"]),
        _card("reserved_fill_rate", _("Reserved places filled"), _rate_percent(f["reserved_fill_rate"]), PERCENT),
        _card("job_fairs", _("Job fairs"), f["job_fairs"]),
        _card("training_completions", _("Training completions"), f["training_completions"]),
        _card("returnees", _("Returnees"), f["returnees"]),
        _card("returnee_enterprises", _("Businesses founded by returnees"), f["returnee_enterprises"]),
    ]}


def _subsidies_section(user) -> dict:
    s = subsidy_figures(user=user)
    return {
        "key": "subsidies", "title": pgettext_lazy("dashboard section", "Subsidies paid"),
        "cards": [_card("subsidies_paid", _("Subsidies paid in all"), s["paid_total"], MONEY)] + [
            _card(f"paid_{component.value}", component.label, s["paid_by_component"][component.value], MONEY)
            for component in Component],
        "by_year": [{"year": year, "amount": amount} for year, amount in s["paid_by_year"].items()],
    }


def _industries_section(user) -> dict:
    i = industry_figures(user=user)
    return {"key": "industries", "title": pgettext_lazy("dashboard section", "Industries"), "cards": [
        _card("enterprises", _("Enterprises"), i["enterprises"]),
        _card("east_enterprises", _("of which brought from the east (Putuo)"), i["east_enterprises"]),
        _card("local_enterprises", _("of which local"), i["local_enterprises"]),
        _card("cooperation_funds", _("East-west cooperation funds"), i["cooperation_funds_total"], MONEY,
              note=_("%(n)s projects") % {"n": i["cooperation_fund_projects"]}),
        _card("livestream_sessions", _("Village livestream sessions"), i["livestream_sessions"]),
        _card("livestream_sales", _("Livestream sales"), i["livestream_sales_total"], MONEY),
    ]}


def county_figures(*, user) -> list[dict]:
    """The home page's sections, each {key, title, cards: [{key, label, value, kind, note}]}; the
    subsidies section also carries `by_year` [{year, amount}]. Every figure is in the user's scope."""
    overview = {"key": "county", "title": pgettext_lazy("dashboard section", "Coverage"),
                "cards": [_card(c["key"], c["label"], c["value"]) for c in county_counts(user=user)]}
    return [overview, _workshops_section(user), _labour_section(user), _subsidies_section(user),
            _industries_section(user)]
