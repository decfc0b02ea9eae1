import logging
from urllib.parse import urlencode

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.choices import Role
from accounts.permissions import can
from accounts.scoping import scoped
from core.pages import SIGNED_IN, public, requires
from regions.models import Township

from . import board, homes, periods, selectors, todo, workbook
from .templatetags.dashboard_tags import figure, signed, tenthousand, trend_class

VIEW = "dashboard.county.view"
logger = logging.getLogger(__name__)


@requires(SIGNED_IN)
def home(request):
    """Each role's home (issue 14), every one with the user's to-do (dashboard.todo): county roles and
    township officers get the dashboard under it; a broker their village (我的村), a workshop operator
    their workshop, the liaison station its outbound placements, a partner system the way to the API.
    The figures page is at /dashboard/figures/."""
    user = request.user
    if can(user, VIEW):
        return dashboard(request)
    if user.role == Role.BROKER:
        return render(request, "dashboard/home_broker.html",
                      {"todo": todo.items_for(user), **homes.broker_home(user)})
    if user.role == Role.WORKSHOP_OPERATOR:
        return render(request, "dashboard/home_operator.html",
                      {"todo": todo.items_for(user), **homes.operator_home(user)})
    if user.role == Role.LIAISON_STATION:  # it reads and writes outbound records only
        return redirect("outbound-placement-list")
    return render(request, "dashboard/home_partner.html", {"todo": todo.items_for(user)})


@requires(SIGNED_IN)
def figures(request):
    """The programme's figures as cards, in the user's scope (brokers and operators link here from home)."""
    return _cards(request)


def _cards(request):
    sections = selectors.county_figures(user=request.user)
    by_year = next(section["by_year"] for section in sections if section["key"] == "subsidies")
    # Chart.js draws floats; the exact amounts are in the cards and the table beside the chart.
    chart = {"labels": [str(row["year"]) for row in by_year],
             "datasets": [{"label": _("Subsidies paid (yuan)"), "data": [float(row["amount"]) for row in by_year]}]}
    return render(request, "dashboard/home.html", {"sections": sections, "paid_by_year": by_year, "chart": chart})


def _choice(request) -> dict:
    """What the URL asks for: period, township (county staff only), sort; with what is invalid."""
    today = timezone.localdate()
    period, period_ok = periods.period_from(request.GET, today)
    user = request.user
    township, township_ok = None, True
    if user.is_county:
        code = request.GET.get("township", "").strip()
        if code:
            township = Township.objects.filter(code=code).first()
            township_ok = township is not None
    else:
        township = scoped(Township.objects.all(), user).filter(pk=user.township_id).first()
    raw_sort = request.GET.get("sort", "")
    descending = raw_sort.startswith("-")
    sort = raw_sort.lstrip("-") or "township"
    if sort not in board.TOWNSHIP_SORTS:
        sort, descending = "township", False
    return {"today": today, "period": period, "period_ok": period_ok, "township": township,
            "township_ok": township_ok, "sort": sort, "descending": descending}


def _cache_key(request, choice) -> str:
    """County staff share the county's figures, a township officer their township's: the key names the
    scope, the chosen township, the period and the day (stocks are counted on it)."""
    user = request.user
    who = "county" if user.is_county else f"township-{user.township_id}"
    township = choice["township"].pk if choice["township"] is not None else "all"
    # The board's notes are translated when it is built: one copy per language.
    return (f"dashboard:v2:{get_language()}:{who}:{township}:{choice['period'].value}:"
            f"{choice['today']:%Y%m%d}")


def _build(request, choice):
    """The figures for the choice, computed at most once per DASHBOARD_CACHE_SECONDS (default 300) for the
    same scope: at the county's scale the aggregates take longer than a page should; the page says when
    they were computed. The table's order is applied per request."""
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 300)
    key = _cache_key(request, choice)
    data = _cached(key) if seconds else None
    if data is None:
        data = board.build(user=request.user, period=choice["period"], township=choice["township"],
                           today=choice["today"])
        if seconds:
            _remember(key, board.in_plain_text(data), seconds)
    return board.sorted_by(data, choice["sort"], choice["descending"])


# With the cache (Redis) down the dashboard still answers, computing its figures on every request.

def _cached(key):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("dashboard: cache unavailable, computing the figures", exc_info=True)
        return None


def _remember(key, data, seconds) -> None:
    try:
        cache.set(key, data, seconds)
    except Exception:
        logger.warning("dashboard: cache unavailable, figures not kept", exc_info=True)


def _query(choice, **override) -> str:
    params = {"period": choice["period"].value}
    if choice["township"] is not None and choice.get("county"):
        params["township"] = choice["township"].code
    params.update(override)
    return urlencode({key: value for key, value in params.items() if value})


def _charts(data: board.Dashboard) -> dict:
    """What the charts draw (floats: the exact figures are in the tables beside them)."""
    trend = data.trend
    labels = [f"{month:%Y-%m}" for month in trend.index]
    components = [(f"paid_{c.value}", str(c.label)) for c in board.Component]
    column_label = dict((key, str(label)) for key, label, _kind in board.TOWNSHIP_COLUMNS)
    chart_values = [None if v is None else float(v) for v in data.townships[data.chart_column]]
    return {
        "trend": {
            "labels": labels,
            "people": [int(v) for v in trend["people_paid"]],
            "payroll": [float(v) for v in trend["payroll_total"]],
            "placements": [int(v) for v in trend["placements_made"]],
            "paid": [{"label": label, "data": [float(v) for v in trend[key]]} for key, label in components],
            "titles": {"people": _("People paid wages"), "payroll": _("Payroll total (yuan)"),
                       "placements": _("Placements made")},
        },
        "townships": {"labels": list(data.townships["name"]), "data": chart_values,
                      "label": column_label[data.chart_column]},
        "industries": {"labels": [str(v) for v in data.industries["label"]],
                       "colours": list(data.industries["colour"]),
                       "data": [int(v) for v in data.industries["people_employed"]],
                       "label": _("People in work")},
    }


def _context(request, choice, data: board.Dashboard) -> dict:
    choice = {**choice, "county": request.user.is_county}
    sort_links = {}
    for key in board.TOWNSHIP_SORTS:
        descending = choice["sort"] == key and not choice["descending"]
        sort_links[key] = "?" + _query(choice, sort=("-" if descending else "") + key)
    presets = periods.choices(choice["today"])
    if choice["period"].value not in {value for value, _label in presets}:
        presets = [(choice["period"].value, choice["period"].label)] + presets
    return {
        "board": data,
        "choice": choice,
        "presets": presets,
        "townships": Township.objects.order_by("code") if request.user.is_county else [],
        "query": _query(choice),
        "sort_query": _query(choice, sort=("-" if choice["descending"] else "") + choice["sort"]),
        "sort_links": sort_links,
        "township_columns": board.TOWNSHIP_COLUMNS,
        "township_rows": _township_rows(data),
        "trend_rows": _trend_rows(data),
        "industry_rows": _industry_rows(data),
        "cards": _headline_cards(data),
        "components": [(f"paid_{c.value}", c.label) for c in board.Component],
        "charts": _charts(data),
    }


CELL_END = '<td class="text-end" data-col="{}">{}</td>'
CELL = '<td data-col="{}">{}</td>'


def _with_bodies(context, *, trend: bool, cell: str) -> dict:
    """The context with the tables' rows as HTML, for the page that shows them (the board: the trend and the
    townships, figures right-aligned; the brief: the townships only, plain cells). Written once here (a few
    hundred cells, each a template variable and a loop step otherwise), escaped as autoescape would."""
    bodies = {"township_body": _body(context["township_rows"], "data-township", "code", "name", cell)}
    if trend:
        bodies["trend_body"] = _body(context["trend_rows"], "data-month", "month", "month", cell)
    return {**context, **bodies}


def _body(rows, attribute: str, value: str, heading: str, cell: str):
    """`<tr {attribute}="{row[value]}"><th scope="row">{row[heading]}</th>` and the row's cells, for every row."""
    return mark_safe("".join(
        format_html('<tr {}="{}"><th scope="row">{}</th>', attribute, row[value], row[heading])
        + format_html_join("", cell, row["cells"]) + "</tr>" for row in rows))  # noqa: S308 - escaped above


# The tables' cells are written here, once, rather than through template filters cell by cell: at 31
# townships by 7 columns and a year of months the filters cost more than the figures (cached) do.

def _township_rows(data):
    columns = [(key, kind, list(data.townships[key])) for key, _label, kind in board.TOWNSHIP_COLUMNS]
    return [{"code": code, "name": name,
             "cells": [(key, figure(values[i], kind)) for key, kind, values in columns]}
            for i, (code, name) in enumerate(zip(data.townships["code"], data.townships["name"], strict=True))]


TREND_COLUMNS = [("people_paid", "count"), ("payroll_total", "money")] + [
    (f"paid_{c.value}", "money") for c in board.Component] + [("paid_total", "money"), ("placements_made", "count")]


def _trend_rows(data):
    trend = data.trend
    columns = [(key, kind, list(trend[key])) for key, kind in TREND_COLUMNS]
    values = {key: column for key, _kind, column in columns}  # lists: no frame lookup per cell
    rows = []
    for i, month in enumerate(trend.index):
        cells = [(key, figure(column[i], kind)) for key, kind, column in columns]
        shown = dict(cells)
        rows.append({"month": f"{month:%Y-%m}", "short": f"{month:%y-%m}", "cells": cells,
                     "people_paid": shown["people_paid"],
                     "payroll_total": tenthousand(values["payroll_total"][i]),
                     "paid_total": tenthousand(values["paid_total"][i]),
                     "placements_made": shown["placements_made"]})
    return rows


def _industry_rows(data):
    return [{**row, "cells": [("enterprises", figure(row["enterprises"])), ("bases", figure(row["bases"])),
                              ("workshops", figure(row["workshops"])),
                              ("people_employed", figure(row["people_employed"])),
                              ("sales", figure(row["sales"], "money"))]}
            for row in data.industries.to_dict("records")]


def _headline_cards(data):
    return [{**card, "text": figure(card["value"], card["kind"]), "change_text": signed(card["change"], card["kind"]),
             "change_class": trend_class(card["change"])} for card in data.headlines]


@requires(VIEW)
def dashboard(request):
    """The board (cached figures) with the user's to-do above it (live counts)."""
    choice = _choice(request)
    return render(request, "dashboard/home_county.html", {
        "period": choice["period"], "board_html": _board_html(request, choice), "todo": todo.items_for(request.user)})


def _board_html(request, choice):
    """The board as HTML for the choice and its order, kept beside the figures and expiring with them (so
    it never shows older figures than the cache holds): cells, charts' data and links are the same for
    everyone sharing the figures, and writing them cost two thirds of the page."""
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 300)
    key = (f"{_cache_key(request, choice)}:html:{'-' if choice['descending'] else ''}{choice['sort']}:"
           f"{choice['period_ok']:d}{choice['township_ok']:d}")
    html = _cached(key) if seconds else None
    if html is None:
        data = _build(request, choice)
        html = render_to_string("dashboard/board.html",
                                _with_bodies(_context(request, choice, data), trend=True, cell=CELL_END))
        remaining = seconds - (timezone.now() - data.computed_at).total_seconds()
        if remaining >= 1:
            _remember(key, html, int(remaining))
    return mark_safe(html)  # noqa: S308 - rendered by our own template, autoescaped


@requires(VIEW)
def brief(request):
    """The one-page brief for leaders: headline figures, the trend and the township table, for print."""
    choice = _choice(request)
    data = _build(request, choice)
    context = _with_bodies(_context(request, choice, data), trend=False, cell=CELL)
    return render(request, "dashboard/brief.html", context)


@requires(VIEW)
def export(request):
    """Everything on the dashboard as one Excel workbook, for the same choice."""
    choice = _choice(request)
    data = _build(request, choice)
    content = workbook.render(data)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"dashboard-{data.period.value.replace('..', '_')}"
    if data.township is not None and request.user.is_county:
        name += f"-{data.township.code}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with current_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@public
def healthz(request):
    """200 when the database (and the broker, when one is configured) answers; 503 otherwise."""
    checks = {"database": "ok" if _database_ok() else "down"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if _broker_ok() else "down"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
