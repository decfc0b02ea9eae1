"""Test helpers for the background exports (core.exports): a list's "下载Excel" redirects to the
download's page; in tests the task runs in-process once the request's transaction commits."""

import io
from html.parser import HTMLParser

from django.http import HttpResponse
from django.test import TestCase
from django.urls import resolve
from openpyxl import load_workbook

from core.models import Download


def export(client, path, params=None) -> Download:
    """Press 下载Excel on `path` (with `params`) and let the export task run (eagerly, on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(path, params)
    assert response.status_code == 302, response
    download = Download.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
    return download


def exported(client, path, params=None) -> HttpResponse:
    """The file of the export of `path`, as the owner downloads it from 我的下载."""
    download = export(client, path, params)
    download.refresh_from_db()
    assert download.status == "done", (download.status, download.error)
    response = client.get(f"/downloads/{download.pk}/file/")
    assert response.status_code == 200
    return HttpResponse(b"".join(response.streaming_content), status=response.status_code,
                        content_type=response["Content-Type"])


def sheet_rows(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


class TableText(HTMLParser):
    """The header and body cell texts of the first <table> of a page."""

    def __init__(self):
        super().__init__()
        self.headers, self.rows, self._cell, self._in_table, self._done = [], [], None, False, False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag == "table":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self._row = []
        elif self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if not self._in_table or self._done:
            return
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            # a sortable header's arrow (aria-hidden, templates/includes/table.html) is not its name
            self._row.append(text.rstrip("▲▼↕").rstrip() if tag == "th" else text)
            self._cell = None
        elif tag == "tr":
            if self.headers:
                self.rows.append(self._row)
            else:
                self.headers = self._row
        elif tag == "table":
            self._done = True

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_table(html: str) -> tuple[list[str], list[list[str]]]:
    parser = TableText()
    parser.feed(html)
    return parser.headers, parser.rows
