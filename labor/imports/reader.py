"""Reading .xlsx and .csv uploads row by row with the size and row limits; cells holding formulas
are read as their last computed values (openpyxl data_only)."""

import csv
import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook


class ImportRefused(ValueError):
    """The whole file is refused (too big, too many rows, not a spreadsheet)."""


SUPPORTED = (".xlsx", ".csv")


def check_upload(name: str, size: int):
    if Path(name).suffix.lower() not in SUPPORTED:
        raise ImportRefused(_("Upload an .xlsx or .csv file."))
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(_("The file is larger than %(mb)s MB; split it into smaller files.")
                            % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _xlsx_rows(handle):
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise ImportRefused(_("This file cannot be read as an .xlsx workbook.")) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_clean(v) for v in row]
    finally:
        book.close()


def _csv_rows(handle):
    raw = handle.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(_("This CSV file is neither UTF-8 nor GBK text."))
    for row in csv.reader(io.StringIO(text)):
        yield [_clean(v) for v in row]


def read_table(handle, name: str, on_progress=None) -> tuple[list, list[tuple[int, list]]]:
    """(header row, [(spreadsheet row number, values)]) without empty rows; refuses more than
    IMPORT_MAX_ROWS data rows."""
    rows = _csv_rows(handle) if name.lower().endswith(".csv") else _xlsx_rows(handle)
    header = None
    data = []
    limit = settings.IMPORT_MAX_ROWS
    for number, values in enumerate(rows, start=1):
        if not any(v is not None for v in values):
            continue
        if header is None:
            header = values
            continue
        data.append((number, values))
        if len(data) > limit:
            raise ImportRefused(_("The file has more than %(n)s rows; split it into smaller files.") % {"n": limit})
        if on_progress is not None and len(data) % 5000 == 0:
            on_progress(len(data))
    if header is None:
        raise ImportRefused(_("The file is empty."))
    return header, data
