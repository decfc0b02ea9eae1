"""Importing a worker roster with full validation (ID checksum, village codes, duplicates, scope):
writes a 30,000-row .xlsx, then times upload+check (preview) and confirm (check again + write), and
the same file a second time (nothing changes). Prints seconds and peak memory (tracemalloc and RSS).
Builds its data in a throwaway test database and drops it.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25432/wanyuan_labor_bench \
        .venv/bin/python bench/labor_import.py --rows 30000
"""

import argparse
import io
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")


def roster(rows: int, villages) -> bytes:
    from openpyxl import Workbook

    from labor.resident_id import check_character

    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(["身份证号", "姓名", "电话", "村代码", "人员类别", "返乡人员"])
    categories = ["脱贫人口", "防返贫监测对象", "一般劳动力", "就业困难人员"]
    for n in range(rows):
        first17 = f"511781{date(1970, 1, 1) + timedelta(days=n // 900):%Y%m%d}{n % 900 + 100:03d}"
        sheet.append([first17 + check_character(first17), f"工人{n}", f"139{n:08d}", villages[n % len(villages)].code,
                      categories[n % 4], "否"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measured(label, fn):
    # Peak memory is the process's maximum resident set (tracemalloc would slow the work several-fold).
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<48} {elapsed:7.2f} s   peak RSS so far {rss:6.0f} MB")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from accounts.choices import Role
    from accounts.permissions import SYSTEM
    from accounts.services import user_create
    from labor.imports import services as imports
    from labor.models import Worker
    from regions.models import Township, Village

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        township = Township.objects.order_by("code").first()
        villages = Village.objects.bulk_create([
            Village(code=f"{township.code}{n:03d}", name=f"村{n}", township=township) for n in range(1, 60)])
        admin = user_create(actor=SYSTEM, username="bench-admin", role=Role.COUNTY_ADMIN)
        content = roster(args.rows, villages)
        print(f"{connection.vendor}; roster of {args.rows} rows, {len(content) / 2**20:.1f} MB .xlsx")

        def upload():
            return imports.import_upload(actor=admin, kind="workers",
                                         upload=SimpleUploadedFile("roster.xlsx", content))

        def run_once(tag):
            job = measured(f"{tag}: upload + check (preview)",
                           lambda: imports.import_check(actor=SYSTEM, job_id=upload().pk))
            job = measured(f"{tag}: confirm (check again + write)",
                           lambda: imports.import_confirm(actor=admin, job=job, import_rows="valid"))
            print(f"  -> status {job.status}, {job.valid_rows} valid, {job.created_count} created, "
                  f"{job.updated_count} updated; workers in database: {Worker.objects.count()}")

        # Without a broker the tasks run in this process at once (autocommit: on_commit fires at once),
        # so the figures are the work itself.
        run_once("first import")
        run_once("same file again")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
