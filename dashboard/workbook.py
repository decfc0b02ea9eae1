"""The dashboard as one Excel workbook (pandas + openpyxl): the headline figures, the monthly trend, the
township table and the five-colour industries, each on its own sheet with Chinese headings. Money is
written as numbers with two decimals (from Decimal, never through float)."""

from io import BytesIO

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from subsidies.choices import Component

from .board import TOWNSHIP_COLUMNS, Dashboard


def _headlines(data: Dashboard) -> pd.DataFrame:
    return pd.DataFrame([{
        pgettext("dashboard", "Figure"): str(card["label"]),
        _("This period"): card["value"],
        _("Previous period"): card["previous"],
        pgettext("dashboard", "Change"): card["change"],
    } for card in data.headlines])


def _trend(data: Dashboard) -> pd.DataFrame:
    frame = pd.DataFrame({pgettext("dashboard", "Month"): [f"{month:%Y-%m}" for month in data.trend.index]})
    frame[_("People paid wages")] = list(data.trend["people_paid"])
    frame[_("Payroll total (yuan)")] = list(data.trend["payroll_total"])
    for component in Component:
        frame[_("%(component)s paid (yuan)") % {"component": component.label}] = list(
            data.trend[f"paid_{component.value}"])
    frame[_("Subsidies paid (yuan)")] = list(data.trend["paid_total"])
    frame[_("Placements made")] = list(data.trend["placements_made"])
    return frame


def _townships(data: Dashboard) -> pd.DataFrame:
    frame = pd.DataFrame({_("Township code"): list(data.townships["code"]),
                          pgettext("dashboard", "Township"): list(data.townships["name"])})
    for key, label, _kind in TOWNSHIP_COLUMNS:
        frame[str(label)] = list(data.townships[key])
    return frame


def _industries(data: Dashboard) -> pd.DataFrame:
    rows = data.industries
    return pd.DataFrame({
        pgettext("dashboard", "Industry"): [str(v) for v in rows["label"]],
        _("Enterprises"): list(rows["enterprises"]),
        _("Production bases"): list(rows["bases"]),
        _("Certified workshops"): list(rows["workshops"]),
        _("People in work"): list(rows["people_employed"]),
        _("East-market sales (yuan)"): list(rows["sales"]),
    })


def _title(data: Dashboard) -> str:
    where = data.township.name if data.township is not None else _("Wanyuan county")
    return _("%(where)s, %(period)s (compared with %(previous)s)") % {
        "where": where, "period": data.period.label, "previous": data.previous.label}


def render(data: Dashboard) -> bytes:
    buffer = BytesIO()
    sheets = [(_("Headline figures"), _headlines(data)), (_("Monthly trend"), _trend(data)),
              (pgettext("dashboard", "Townships"), _townships(data)), (_("Five-colour industries"), _industries(data))]
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets:
            frame.to_excel(writer, sheet_name=name, index=False, startrow=1)
            sheet = writer.sheets[name]
            sheet.cell(row=1, column=1, value=_title(data))
            for column_cells in sheet.iter_cols(min_row=2):
                header = str(column_cells[0].value or "")
                sheet.column_dimensions[column_cells[0].column_letter].width = max(10, min(40, 2 * len(header) + 2))
                for cell in column_cells[1:]:
                    if hasattr(cell.value, "as_tuple") or isinstance(cell.value, float):
                        cell.number_format = "#,##0.00"
    return buffer.getvalue()
