"""What an .xlsx may cost, checked on its bytes before openpyxl parses anything.

openpyxl keeps one (cleared) element per XML element it reads until a part ends, reads a sheet
whose size is not declared twice, and loads every shared string at once; so what must be bounded is
the number of XML elements, not only the file's size. This scan streams each part once (about a
second for the whole allowed size) and refuses:
- parts that unpack into more than IMPORT_MAX_UNPACKED_BYTES in all (a 500 KB file can hold a
  gigabyte-long string);
- a DTD (entities can multiply the elements a parser sees) or a text encoding other than UTF-8
  (the counts below read the bytes as UTF-8);
- a sheet with more rows than IMPORT_MAX_ROWS + 1, or more than TAGS_PER_ROW tags per
  allowed row in all (tags counted); shared strings beyond STRINGS_PER_ROW per allowed row."""

import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
# A row of the widest template (6 columns of inline strings) has 38 tags (`<` counted).
TAGS_PER_ROW = 40
STRINGS_PER_ROW = 4  # distinct texts per row: ID number, name, phone and one more
ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
STRING = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")
ENCODING = re.compile(rb"""encoding\s*=\s*["']([\w.-]+)["']""")
UTF8 = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


class Refused(ValueError):
    pass


def _unreadable() -> Refused:
    return Refused(_("This file cannot be read as an .xlsx workbook."))


def _segments(part):
    """The part's bytes cut just before a `<`, so no tag is split between two segments."""
    carry = b""
    while True:
        chunk = part.read(CHUNK)
        if not chunk:
            if carry:
                yield carry
            return
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut <= 0 or len(buffer) - cut > CHUNK:
            yield buffer
            carry = b""
        else:
            yield buffer[:cut]
            carry = buffer[cut:]


def _check_start(head: bytes) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise Refused(_("This workbook is not stored as UTF-8 text; save it again from Excel or WPS."))
    declared = ENCODING.search(head[:200].split(b"?>", 1)[0]) if head.startswith(b"<?xml") else None
    if declared and declared.group(1).lower() not in UTF8:
        raise Refused(_("This workbook is not stored as UTF-8 text; save it again from Excel or WPS."))


def scan(handle) -> None:
    max_rows = settings.IMPORT_MAX_ROWS + 1  # the header row
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable() from None
    try:
        infos = archive.infolist()
        limit = settings.IMPORT_MAX_UNPACKED_BYTES
        if sum(info.file_size for info in infos) > limit:
            raise Refused(_("This workbook unpacks into more than %(mb)s MB (for example one huge cell or "
                            "formatting on millions of rows); copy the data into a new workbook or split it.")
                          % {"mb": limit // (1024 * 1024)})
        sheet_tags = 0  # all sheets together: openpyxl sizes every sheet of the workbook when it opens it
        for info in infos:
            name = info.filename.lower()
            if not name.endswith((".xml", ".rels")):
                continue
            sheet, strings = name.startswith("xl/worksheets/"), name.endswith("sharedstrings.xml")
            tags = sheet_tags if sheet else 0
            rows = texts = 0
            first = True
            with archive.open(info) as part:
                for segment in _segments(part):
                    if first:
                        _check_start(segment)
                        first = False
                    if b"<!DOCTYPE" in segment or b"<!ENTITY" in segment:
                        raise Refused(_("This workbook contains a document type declaration, which spreadsheets "
                                        "do not need; save it again from Excel or WPS."))
                    tags += segment.count(b"<")
                    if sheet:
                        rows += len(ROW.findall(segment))
                        if rows > max_rows:
                            raise too_many_rows()
                    if strings:
                        texts += len(STRING.findall(segment))
                    if (sheet or strings) and tags > TAGS_PER_ROW * max_rows:
                        raise too_much_content()
                    if texts > STRINGS_PER_ROW * max_rows:
                        raise too_much_content()
            if sheet:
                sheet_tags = tags
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise _unreadable() from None
    finally:
        archive.close()
        handle.seek(0)


def too_many_rows() -> Refused:
    return Refused(_("The file has more than %(n)s rows (empty rows count too); delete the empty rows or "
                     "split it into smaller files.") % {"n": settings.IMPORT_MAX_ROWS})


def too_much_content() -> Refused:
    return Refused(_("This workbook holds far more cells or texts than %(n)s rows of the template need; copy "
                     "the data into a new workbook or split it.") % {"n": settings.IMPORT_MAX_ROWS})
