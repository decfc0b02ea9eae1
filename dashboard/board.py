"""The county dashboard's figures for one period and scope: headline figures with the change against the
previous period, monthly trends, the township table and the five-colour industries.

Single figures are single SQL aggregates (dashboard.figures); the township x column and month x series
tables are pandas frames built from grouped aggregates, so the number of queries is fixed whatever the
data size. Wages and subsidies paid come from pre-aggregated monthly facts (dashboard.facts, kept in step
by database triggers and refreshed at the start of a build), not from the 300,000-row payroll. Money stays
Decimal (pandas holds it as objects); rates are exact Decimal percentages.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pandas as pd
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from industries.choices import Industry
from regions.models import Township
from subsidies.choices import Component

from . import facts
from .figures import Scope
from .figures import industries as industry_figures
from .figures import labor as labour_figures
from .figures import subsidies as subsidy_figures
from .figures import workshops as workshop_figures
from .periods import Period, month_end

COUNT, MONEY, PERCENT = "count", "money", "percent"
CENT = Decimal("0.01")

# The five colours, as the programme paints them (fruit and vegetables cyan, grain and oil gold).
FIVE_COLOURS = [
    (Industry.TEA, "#2e8b3d"),
    (Industry.HERBS, "#8b5a2b"),
    (Industry.BLACK_CHICKEN, "#111111"),
    (Industry.FRUIT_VEG, "#17a2b8"),
    (Industry.GRAIN_OIL, "#d4a017"),
]

# The township table's columns: key, heading, kind.
TOWNSHIP_COLUMNS = [
    ("workshops", _("Certified workshops"), COUNT),
    ("posts", _("Posts (places)"), COUNT),
    ("people_employed", _("People in work"), COUNT),
    ("reserved_filled", _("Reserved places filled (people)"), COUNT),
    ("average_wage", _("Average monthly wage (yuan)"), MONEY),
    ("subsidies_paid", _("Subsidies paid (yuan)"), MONEY),
    ("open_difficulties", _("Open difficulties"), COUNT),
]
TOWNSHIP_SORTS = {key for key, _label, _kind in TOWNSHIP_COLUMNS} | {"township"}
DEFAULT_CHART_COLUMN = "people_employed"


def money(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT)


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT)


def change(current, previous):
    if current is None or previous is None:
        return None
    return current - previous


@dataclass
class Dashboard:
    period: Period
    previous: Period
    as_of: date
    township: Township | None
    headlines: list[dict]
    trend: pd.DataFrame  # one row per month: people_paid, payroll_total, paid_<component>..., placements_made
    townships: pd.DataFrame  # one row per township (code, name + TOWNSHIP_COLUMNS)
    industries: pd.DataFrame  # one row per colour: industry, label, colour, enterprises, bases, ...
    computed_at: datetime
    sort: str = "township"
    descending: bool = False
    chart_column: str = DEFAULT_CHART_COLUMN


def _link(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def _headlines(scope: Scope, period: Period, previous: Period, as_of: date, previous_as_of: date,
               today: date, flows: "Flows", stocks: dict) -> list[dict]:
    code = scope.township.code if scope.township else None
    certified = stocks["certified"]
    certified_before = workshop_figures.certified_by_kind(scope, previous_as_of)
    posts = stocks["posts"]
    labour = labour_figures.period_figures(scope, period, previous, as_of, previous_as_of)
    now, before = labour["current"], labour["previous"]
    paid = {"current": flows.paid_in(period), "previous": flows.paid_in(previous)}
    single_month = period.kind == "month"

    def card(key, label, value, previous_value, kind=COUNT, url="", note=""):
        return {"key": key, "label": label, "value": value, "previous": previous_value,
                "change": change(value, previous_value), "kind": kind, "url": url, "note": note}

    on = as_of.isoformat()
    return [
        card("certified_workshops", _("Certified workshops"), certified["total"], certified_before["total"],
             url=_link("workshop-list", certified_on=on, township=code),
             note=_("on %(day)s") % {"day": on}),
        card("assistance_workshops", _("of which employment-assistance workshops"), certified["assistance"],
             certified_before["assistance"],
             url=_link("workshop-list", certified_on=on, kind="assistance", township=code)),
        card("processing_workshops", _("of which processing workshops"), certified["processing"],
             certified_before["processing"],
             url=_link("workshop-list", certified_on=on, kind="processing", township=code)),
        card("posts", _("Posts offered (places)"), posts["places"], None,
             url=_link("post-list", township=code), note=_("today (posts keep no history)")),
        card("reserved_posts", _("Places reserved for poverty-alleviated and monitored people"),
             posts["reserved"], None, url=_link("post-list", reserved="true", township=code),
             note=_("today (posts keep no history)")),
        card("people_employed", _("People in work"), now["people_employed"], before["people_employed"],
             url=_link("labor-placement-list", status="open", township=code) if as_of == today
             else _link("labor-placement-list", started_to=on, township=code),
             note=_("on %(day)s") % {"day": on}),
        card("average_wage", _("Average monthly wage"), flows.average_wage(period), flows.average_wage(previous),
             MONEY, url=_link("labor-payroll-list", month=f"{period.last:%Y-%m}" if single_month else None,
                              township=code),
             note=_("payroll of the period")),
        card("match_rate", _("Referral match rate"), percent(now["referrals_hired"], now["referrals_decided"]),
             percent(before["referrals_hired"], before["referrals_decided"]), PERCENT,
             url=_link("labor-referral-list", outcome="hired"),
             note=_("%(hired)s hired of %(decided)s decided in the period") % {
                 "hired": now["referrals_hired"], "decided": now["referrals_decided"]}),
        card("placements_made", _("Placements made"), now["placements_made"], before["placements_made"],
             url=_link("labor-placement-list", started_from=period.start.isoformat(),
                       started_to=period.end.isoformat(), township=code)),
        card("trainings", _("Training completions"), now["trainings"], before["trainings"],
             url=_link("training-completion-list")),
        card("returnees", _("Returnees"), now["returnees"], before["returnees"],
             url=_link("returnee-list", township=code)),
        card("subsidies_paid", _("Subsidies paid"), paid["current"], paid["previous"], MONEY,
             url=_link("subsidy-run-list", status="paid", month=f"{period.last:%Y-%m}" if single_month else None),
             note=_("for the period's months")),
        *_loan_and_east_cards(scope, period, previous, as_of, previous_as_of, today, flows, card),
    ]


def _loan_and_east_cards(scope: Scope, period: Period, previous: Period, as_of: date, previous_as_of: date,
                         today: date, flows: "Flows", card) -> list[dict]:
    """Issue 16's headline figures: loans outstanding (one aggregate per day), start-up awards paid (the
    paid facts) and workers in the east (one count per day), each against the previous period."""
    from labor.selectors import outbound_placement_list, outbound_working_condition
    from loans.selectors import outstanding

    code = scope.township.code if scope.township else None
    township = scope.township if getattr(scope.user, "is_county", False) else None

    def lent(on):
        return outstanding(user=scope.user, on=None if on == today else on, township=township)

    # labor.selectors.outbound_working's rule on both days, in one aggregate.
    placements = outbound_placement_list(user=scope.user).order_by()
    if township is not None:
        placements = placements.filter(worker__village__township=township)
    east = placements.aggregate(now=Count("pk", filter=outbound_working_condition(as_of)),
                                before=Count("pk", filter=outbound_working_condition(previous_as_of)))
    loans_now, loans_before = lent(as_of), lent(previous_as_of)
    on = as_of.isoformat()
    single_month = period.kind == "month"
    return [
        card("loans_outstanding", _("Guarantee loans outstanding"), loans_now["principal"], loans_before["principal"],
             MONEY, url=_link("loan-list", township=code),
             note=_("%(count)s loans on %(day)s") % {"count": loans_now["count"], "day": on}),
        card("startup_awards_paid", _("Returnee start-up awards paid"),
             flows.paid_in(period, Component.STARTUP_AWARD), flows.paid_in(previous, Component.STARTUP_AWARD),
             MONEY, url=_link("subsidy-run-list", status="paid",
                              month=f"{period.last:%Y-%m}" if single_month else None),
             note=_("for the period's months")),
        card("workers_in_east", _("Workers in the east"), east["now"], east["before"],
             url=_link("outbound-placement-list", status="working", township=code) if as_of == today
             else _link("outbound-placement-list", started_to=on, township=code),
             note=_("on %(day)s") % {"day": on}),
    ]


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


class Flows:
    """The payroll (month x workshop: payslips, wages) and the subsidies paid (month x component x
    workshop) from the first month any table needs to the period's end, read once each and added up once
    by month and township (a few hundred fact rows: plain dictionaries, not a frame filtered per figure);
    every period, township and month figure of wages and subsidies is added up from them."""

    def __init__(self, scope: Scope, first: date, last_day: date, townships_of: dict[int, int]):
        self.payroll = {}  # {(month, township_id): [payslips, wages]}
        for month, workshop, n, total in labour_figures.payroll_by_month_and_workshop(scope, first, last_day):
            entry = self.payroll.setdefault((month, townships_of.get(workshop)), [0, Decimal("0")])
            entry[0] += n
            entry[1] += total
        self.paid = {}  # {(month, component, township_id): amount}
        for month, component, _workshop, township, amount in (
                subsidy_figures.paid_by_month_component_and_workshop(scope, first, last_day)):
            key = (month, component, township)
            self.paid[key] = self.paid.get(key, Decimal("0")) + amount

    def average_wage(self, period: Period) -> Decimal | None:
        start, end = period.start, period.end
        payslips, wages = 0, Decimal("0")
        for (month, _township), (n, total) in self.payroll.items():
            if start <= month <= end:
                payslips += n
                wages += total
        return money(wages / payslips) if payslips else None

    def paid_in(self, period: Period, component: str | None = None) -> Decimal:
        start, end = period.start, period.end
        return money(sum((amount for (month, kind, _township), amount in self.paid.items()
                          if start <= month <= end and (component is None or kind == component)), Decimal("0")))

    def by_township(self, period: Period) -> dict[str, dict]:
        """{"average_wage", "subsidies_paid"}: each {township_id: value} for the townships with payslips or
        paid lines in the period."""
        start, end = period.start, period.end
        payroll, paid = {}, {}
        for (month, township), (n, total) in self.payroll.items():
            if township is not None and start <= month <= end:
                entry = payroll.setdefault(township, [0, Decimal("0")])
                entry[0] += n
                entry[1] += total
        for (month, _component, township), amount in self.paid.items():
            if township is not None and start <= month <= end:
                paid[township] = paid.get(township, Decimal("0")) + amount
        return {"average_wage": {township: money(total / n) for township, (n, total) in payroll.items() if n},
                "subsidies_paid": {township: money(amount) for township, amount in paid.items()}}

    def by_month(self) -> tuple[dict, dict]:
        """({month: wages}, {(month, component): paid})."""
        wages, paid = {}, {}
        for (month, _township), (_n, total) in self.payroll.items():
            wages[month] = wages.get(month, Decimal("0")) + total
        for (month, component, _township), amount in self.paid.items():
            paid[month, component] = paid.get((month, component), Decimal("0")) + amount
        return wages, paid


def _trend(scope: Scope, months: list[date], flows: Flows) -> pd.DataFrame:
    """One row per month of the trend: people paid, payroll total, paid by component and in all,
    placements made (the frame is built once from its columns)."""
    first, last_day = months[0], month_end(months[-1])
    people = labour_figures.people_paid_by_month(scope, first, last_day)  # distinct people, not payslips
    placements = {m.date() if isinstance(m, datetime) else m: n
                  for m, n in labour_figures.placements_by_month(scope, first, last_day)}
    wages, paid = flows.by_month()
    zero = Decimal("0.00")
    components = [c.value for c in Component]
    columns = {"payroll_total": [money(wages[m]) if m in wages else zero for m in months],
               "people_paid": [int(people.get(m, 0)) if m in wages else 0 for m in months],
               "placements_made": [int(placements.get(m, 0)) for m in months]}
    for component in components:
        columns[f"paid_{component}"] = [money(paid[m, component]) if (m, component) in paid else zero
                                        for m in months]
    columns["paid_total"] = [sum(values, zero) for values in zip(*(columns[f"paid_{c}"] for c in components),
                                                                  strict=True)]
    return pd.DataFrame(columns, index=pd.Index(months, name="month"))


def _townships(scope: Scope, period: Period, as_of: date, flows: Flows, stocks: dict) -> pd.DataFrame:
    """One row per township (index: its id): code, name and TOWNSHIP_COLUMNS (the frame is built once)."""
    townships = scoped(Township.objects.all(), scope.user).order_by("code")
    if scope.township is not None:
        townships = townships.filter(pk=scope.township.pk)
    rows = list(townships.values_list("pk", "code", "name"))
    ids = [pk for pk, _code, _name in rows]
    values = {"workshops": stocks["certified"]["by_township"], "posts": stocks["posts"]["by_township"],
              "open_difficulties": workshop_figures.open_difficulties_by_township(scope),
              **labour_figures.by_township(scope, period, as_of), **flows.by_township(period)}
    columns = {"code": [code for _pk, code, _name in rows], "name": [name for _pk, _code, name in rows]}
    for key, _label, kind in TOWNSHIP_COLUMNS:
        found = values[key]
        if kind == MONEY:
            default = None if key == "average_wage" else Decimal("0.00")
            columns[key] = [money(found[pk]) if found.get(pk) is not None else default for pk in ids]
        else:
            columns[key] = [int(found.get(pk) or 0) for pk in ids]
    return pd.DataFrame(columns, index=pd.Index(ids, name="id"))


def _industries(scope: Scope, period: Period, as_of: date, stocks: dict) -> pd.DataFrame:
    counts = industry_figures.by_industry(scope, period)
    workshops = stocks["certified"]["by_industry"]
    people = labour_figures.in_work_by_industry(scope, as_of)
    rows = [{"industry": industry.value, "label": industry.label, "colour": colour,
             "enterprises": counts["enterprises"].get(industry.value, 0),
             "bases": counts["bases"].get(industry.value, 0),
             "workshops": workshops.get(industry.value, 0),
             "people_employed": people.get(industry.value, 0),
             "sales": money(counts["sales"].get(industry.value) or 0)}
            for industry, colour in FIVE_COLOURS]
    return pd.DataFrame(rows)


def sort_townships(frame: pd.DataFrame, sort: str, descending: bool) -> pd.DataFrame:
    if sort not in TOWNSHIP_SORTS or sort == "township":
        return frame.sort_values("code", ascending=not descending, kind="stable")
    # Blanks (no payroll: no average wage) go last whichever way.
    key = frame[sort].map(lambda v: None if v is None else float(v))
    order = key.sort_values(ascending=not descending, kind="stable", na_position="last").index
    return frame.loc[order]


def in_plain_text(data: Dashboard) -> Dashboard:
    """The same board with its lazy translations as the strings they are now: what is cached (a lazy
    string rebuilds its proxy class when unpickled, about 0.15 ms each, 20 a board)."""
    def plain(value):
        return str(value) if isinstance(value, Promise) else value

    def frame(df):
        df = df.copy()
        for column in df.columns:
            if df[column].dtype == object:  # where a lazy string can be
                df[column] = df[column].map(plain)
        return df

    return replace(data, headlines=[{key: plain(value) for key, value in card.items()} for card in data.headlines],
                   industries=frame(data.industries), townships=frame(data.townships), trend=frame(data.trend))


def sorted_by(data: Dashboard, sort: str = "township", descending: bool = False) -> Dashboard:
    """The same figures with the township table sorted by `sort` (a column key or "township"); the bar
    chart shows that column (people in work while sorted by township)."""
    sort = sort if sort in TOWNSHIP_SORTS else "township"
    chart_column = sort if sort != "township" else DEFAULT_CHART_COLUMN
    return replace(data, townships=sort_townships(data.townships, sort, descending), sort=sort,
                   descending=descending if sort in TOWNSHIP_SORTS else False, chart_column=chart_column)


def build(*, user, period: Period, township: Township | None = None, sort: str = "township",
          descending: bool = False, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard for `user`'s scope (and `township`, for county staff) in `period`."""
    from django.utils import timezone

    today = today or _today()
    # The payroll months written, the runs paid and the workers whose placements changed since the last
    # build (usually none: one query) into the facts.
    facts.refresh_all()
    if not getattr(user, "is_county", False):
        township = getattr(user, "township", None)  # their own, whatever was asked
    scope = Scope(user=user, township=township)
    previous = period.previous()
    as_of, previous_as_of = period.as_of(today), previous.as_of(today)
    months = period.trend_months
    flows = Flows(scope, min(months[0], previous.start), period.end, workshop_figures.townships_of_workshops())
    # Read once, shown by the headline figures, the township table and the industries alike.
    stocks = {"certified": workshop_figures.certified_on(scope, as_of), "posts": workshop_figures.posts(scope)}
    data = Dashboard(period=period, previous=previous, as_of=as_of, township=township,
                     headlines=_headlines(scope, period, previous, as_of, previous_as_of, today, flows, stocks),
                     trend=_trend(scope, months, flows), townships=_townships(scope, period, as_of, flows, stocks),
                     industries=_industries(scope, period, as_of, stocks), computed_at=timezone.now())
    return sorted_by(data, sort, descending)


