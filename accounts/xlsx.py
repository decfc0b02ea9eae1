"""Writing .xlsx files the same way everywhere: write-only (memory stays flat), Chinese headers,
frozen header row, auto-filter, yuan format, and text that Excel would run as a formula written
as text."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

YUAN_FORMAT = '#,##0.00" 元"'
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14
    money: bool = False


def plain_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Excel has no time zones: the local wall-clock time, as the pages show it
        return (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None)
    if isinstance(value, str | Decimal | int | float | date | bool):
        return value
    return str(value)


class XlsxWriter:
    """`with XlsxWriter(path) as book: book.sheet(name, columns, rows)`."""

    def __init__(self, target):
        self.target = target
        self.workbook = Workbook(write_only=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.workbook.save(self.target)

    def sheet(self, title: str, columns: list[Column], rows: Iterable[Iterable], on_row=None) -> int:
        sheet = self.workbook.create_sheet(title=title[:31])
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        count = 0
        for row in rows:
            cells = []
            for column, value in zip(columns, row, strict=True):
                value = plain_value(value)
                if column.money:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = YUAN_FORMAT
                    value = cell
                elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # shown as the text it is, never run as a formula
                    value = cell
                cells.append(value)
            sheet.append(cells)
            count += 1
            if on_row is not None:
                on_row(count)
        last = get_column_letter(max(len(columns), 1))
        sheet.auto_filter.ref = f"A1:{last}{count + 1}"
        return count
