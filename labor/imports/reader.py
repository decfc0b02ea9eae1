"""Reading .xlsx and .csv uploads row by row within fixed limits; cells holding formulas are read as
their last computed values (openpyxl data_only).

A hostile file must cost little: every row read counts against the row limit (empty rows too, and
the rows openpyxl fills in for gaps), reading stops at it; a workbook whose declared dimension, unpacked
size or XML element count is too large is refused before openpyxl parses anything (xlsx_guard); at
most MAX_COLUMNS columns are read. A cell holding
a NUL byte or more than IMPORT_MAX_CELL_CHARS characters becomes a BadCell: a problem on its row,
not a crash (PostgreSQL refuses NUL in text)."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import xlsx_guard


class ImportRefused(ValueError):
    """The whole file is refused (too big, too many rows, not a spreadsheet)."""


@dataclass(frozen=True)
class BadCell:
    """A cell whose value cannot be used; the row gets this message as its problem."""

    message: str


SUPPORTED = (".xlsx", ".csv")
MAX_COLUMNS = 64  # the widest template has 6; a sheet declaring 16,384 columns is read as 64
# The csv module refuses fields over 131,072 characters with an error; the file size limit is the
# real bound, and an over-long field becomes a row problem below.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


def check_upload(name: str, size: int):
    if Path(name).suffix.lower() not in SUPPORTED:
        raise ImportRefused(_("Upload an .xlsx or .csv file."))
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(_("The file is larger than %(mb)s MB; split it into smaller files.")
                            % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})


def _too_many_rows() -> ImportRefused:
    return ImportRefused(str(xlsx_guard.too_many_rows()))


def _clean(value):
    if isinstance(value, str):
        if "\x00" in value:
            return BadCell(_("The cell holds an invisible NUL character; retype the value."))
        if len(value) > settings.IMPORT_MAX_CELL_CHARS:
            return BadCell(_("The cell holds %(n)s characters; at most %(max)s are accepted.")
                           % {"n": len(value), "max": settings.IMPORT_MAX_CELL_CHARS})
        value = value.strip()
        return value or None
    return value


def _xlsx_rows(handle):
    try:
        xlsx_guard.scan(handle)
    except xlsx_guard.Refused as exc:
        raise ImportRefused(str(exc)) from None
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        declared = sheet.max_row  # from the sheet's <dimension>; None when the file declares none
    except Exception:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise ImportRefused(_("This file cannot be read as an .xlsx workbook.")) from None
    try:
        if declared is not None and declared > settings.IMPORT_MAX_ROWS + 1:
            raise _too_many_rows()
        for row in sheet.iter_rows(values_only=True, max_col=min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)):
            values = [_clean(v) for v in row]
            while values and values[-1] is None:  # openpyxl pads rows to the widest
                values.pop()
            yield values
    except ImportRefused:
        raise
    except Exception:  # a part that is damaged further in
        raise ImportRefused(_("This file cannot be read as an .xlsx workbook.")) from None
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
    del raw
    try:
        for row in csv.reader(io.StringIO(text)):
            yield [_clean(v) for v in row[:MAX_COLUMNS]]
    except csv.Error:
        raise ImportRefused(_("This CSV file is damaged (for example an unclosed quote).")) from None


def read_table(handle, name: str, on_progress=None) -> tuple[list, list[tuple[int, list]]]:
    """(header row, [(spreadsheet row number, values)]) without empty rows. Every row read counts,
    the header and empty rows too: more than IMPORT_MAX_ROWS + 1 refuses the file, and reading
    stops there."""
    rows = _csv_rows(handle) if name.lower().endswith(".csv") else _xlsx_rows(handle)
    header = None
    data = []
    limit = settings.IMPORT_MAX_ROWS + 1  # the header row
    for number, values in enumerate(rows, start=1):
        if number > limit:
            rows.close()
            raise _too_many_rows()
        if on_progress is not None and number % 5000 == 0:
            on_progress(len(data))
        if not any(v is not None for v in values):
            continue
        if header is None:
            header = ["" if isinstance(v, BadCell) else v for v in values]
            continue
        data.append((number, values))
    if header is None:
        raise ImportRefused(_("The file is empty."))
    return header, data
