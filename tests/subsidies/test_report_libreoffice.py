"""The run's Excel report opened by LibreOffice Calc (headless), as a county clerk would open it."""

import csv
import os
import shutil
import subprocess
from decimal import Decimal

import pytest

from accounts.permissions import SYSTEM
from subsidies import selectors, services

from .test_views import data  # noqa: F401  (the fixture: a run with a duplicate worker named "=HYPERLINK(1)")

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice")
# CI installs LibreOffice (.ci/run); only a developer machine without it may skip this test.
needs_libreoffice = pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"),
                                       reason="LibreOffice (soffice) is not installed here; .ci/run installs it")
# Every sheet to its own UTF-8 CSV, cells as shown (so a formula would show its result, not its text).
ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def sheets_as_libreoffice_reads_them(xlsx, tmp_path) -> dict[str, list[list[str]]]:
    result = subprocess.run(
        [SOFFICE or "soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", ALL_SHEETS_CSV, "--outdir", str(tmp_path / "csv"), str(xlsx)],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    sheets = {}
    for path in (tmp_path / "csv").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem.removeprefix(xlsx.stem + "-")] = list(csv.reader(handle))
    return sheets


def yuan(shown: str) -> Decimal:
    """A money cell as Calc shows it with the report's yuan format, e.g. "1,300.00 元"."""
    assert shown.endswith(" 元"), shown
    return Decimal(shown.removesuffix(" 元").replace(",", ""))


@needs_libreoffice
def test_libreoffice_opens_the_report_and_its_totals_equal_the_runs(data, county_admin, tmp_path,  # noqa: F811
                                                                      settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    run = data["run"]
    report = services.report_build(actor=SYSTEM, report_id=services.report_request(actor=county_admin, run=run,
                                                                      enqueue=False).pk)
    xlsx = tmp_path / "report.xlsx"
    xlsx.write_bytes(report.file.open("rb").read())

    sheets = sheets_as_libreoffice_reads_them(xlsx, tmp_path)

    assert set(sheets) == {"汇总", "明细", "预警"}
    header, *lines = sheets["明细"]
    assert header[:7] == ["编号", "乡镇", "车间", "工人", "身份证号", "项目", "金额"]
    assert len(lines) == run.line_count
    totals = selectors.run_totals(run=run, user=county_admin)
    payable = sum(yuan(row[6]) for row in lines if row[7] == "应发")
    withheld = sum(yuan(row[6]) for row in lines if row[7] == "暂缓发放")
    assert (payable, withheld) == (totals["payable"], totals["withheld"])
    summary = [row for row in sheets["汇总"][1:] if row[0] == "合计"]  # one total row per component
    assert sum(yuan(row[4]) for row in summary) == totals["payable"]
    assert sum(yuan(row[5]) for row in summary) == totals["withheld"]
    assert "=HYPERLINK(1)" in {row[3] for row in lines}  # shown as the text typed, never run as a formula
    assert len(sheets["预警"]) - 1 == sum(1 for row in lines if row[8])
