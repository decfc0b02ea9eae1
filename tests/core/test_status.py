"""系统状态: county administrators see the beat, the queues, the jobs running and failed, and the
last backup; nobody else sees the page."""

import json
from datetime import timedelta

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from accounts.choices import Role
from labor.models import ImportJob
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_only_a_county_admin_sees_the_system_status(client, county_admin, county_officer):
    client.force_login(county_officer)
    assert client.get("/system/status/").status_code == 403
    client.force_login(county_admin)
    page = client.get("/system/status/")
    assert page.status_code == 200 and "系统状态" in page.content.decode()


def test_the_status_shows_jobs_running_and_failed_and_the_newest_backup(client, county_admin, tmp_path):
    ImportJob.objects.create(kind="workers", file="x.csv", filename="x.csv", created_by=county_admin,
                             status="failed", error="后台任务中断")
    ImportJob.objects.create(kind="workers", file="y.csv", filename="y.csv", created_by=county_admin,
                             status="importing", lease_token="t", lease_expires_at=timezone.now() - timedelta(1))
    for name, finished in (("2026-11-29", "2026-11-29T02:00:05+08:00"), ("2026-11-30", "2026-11-30T02:00:07+08:00")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text(json.dumps({"finished_at": finished}))
    client.force_login(county_admin)
    with override_settings(BACKUP_DIR=tmp_path):
        page = client.get("/system/status/").content.decode()
    assert "2026-11-30 02:00:07" in page and "2026-11-30" in page
    jobs = page[page.index('id="status-jobs"'):page.index('id="status-backup"')]
    imports = jobs[jobs.index("表格导入"):]
    imports = imports[:imports.index("</tr>")]
    assert 'data-running="1"' in imports and 'data-failed="1"' in imports
    assert "奖补批次" in jobs and "奖补报表" in jobs


def test_the_menu_offers_the_status_to_county_admins_only(client, county_admin):
    client.force_login(county_admin)
    assert 'href="/system/status/"' in client.get("/").content.decode()
    client.force_login(make_user("officer", Role.COUNTY_OFFICER))
    assert 'href="/system/status/"' not in client.get("/").content.decode()
