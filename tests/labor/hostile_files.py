"""Hostile spreadsheets built in the test, byte by byte: a workbook is a zip of XML parts, so a tiny
file can declare millions of rows or unpack into a gigabyte. Streamed into the zip, so building them
costs the test little memory."""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/' \
             'spreadsheetml/2006/main">'
COLUMNS = "ABCDEFGHIJ"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def row_xml(number: int, values) -> str:
    cells = []
    for index, value in enumerate(values):
        ref = f"{COLUMNS[index]}{number}"
        if isinstance(value, int):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif isinstance(value, SharedString):
            cells.append(f'<c r="{ref}" t="s"><v>{value.index}</v></c>')
        elif value:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


class SharedString:
    def __init__(self, index):
        self.index = index


def _listing(extra_sheets: int) -> tuple[str, str, str]:
    """[Content_Types].xml, workbook.xml and its rels naming 1 + extra_sheets sheets."""
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for n in range(2, extra_sheets + 2))
    sheets = "".join(f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n + 1}"/>' for n in range(2, extra_sheets + 2))
    rels = "".join(f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(2, extra_sheets + 2))
    return (CONTENT_TYPES.replace("</Types>", overrides + "</Types>"),
            WORKBOOK.replace("</sheets>", sheets + "</sheets>"),
            WORKBOOK_RELS.replace("</Relationships>", rels + "</Relationships>"))


def workbook(rows, *, dimension=None, empty_rows=0, far_row=None, shared_chars=0, shared_count=0,
             extra_sheets=0, extra_sheet_rows=0) -> bytes:
    """An .xlsx: `rows` (lists of values), then `empty_rows` empty <row/> elements, then optionally
    one row numbered `far_row` (openpyxl yields the gap as empty rows); `dimension` is the declared
    used range; `shared_chars` puts one shared string of that many characters in the file, and
    `shared_count` that many more one-character shared strings; `extra_sheets` more sheets of
    `extra_sheet_rows` empty rows each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        types, book, book_rels = _listing(extra_sheets)
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for n in range(2, extra_sheets + 2):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", SHEET_HEAD + "<sheetData>" + "<row/>" * extra_sheet_rows
                             + "</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                       b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
            chunk = b"a" * (1024 * 1024)
            left = shared_chars
            while left > 0:
                part.write(chunk[:left])
                left -= len(chunk)
            part.write(b"</t></si>")
            for start in range(0, shared_count, 100_000):
                part.write(b"<si><t>b</t></si>" * min(100_000, shared_count - start))
            part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(SHEET_HEAD.encode())
            if dimension:
                part.write(f'<dimension ref="{dimension}"/>'.encode())
            part.write(b"<sheetData>")
            number = 0
            for number, values in enumerate(rows, start=1):
                part.write(row_xml(number, values).encode())
            # Rows without a number follow the previous one (as Excel may write them): 6 bytes each.
            batch = 1_000_000
            for start in range(0, empty_rows, batch):
                part.write(b"<row/>" * min(batch, empty_rows - start))
            if far_row:
                part.write(row_xml(far_row, ["x"]).encode())
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()
