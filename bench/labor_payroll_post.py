"""Posting 5,000 payroll rows in one request (`POST /api/v1/payroll/`, all or nothing), then the same
list again (updates). Goes through the real API stack with a token. Builds its data in a throwaway
test database and drops it.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25432/wanyuan_labor_bench .venv/bin/python bench/labor_payroll_post.py
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    from rest_framework.test import APIClient

    from accounts.choices import Role
    from accounts.permissions import SYSTEM
    from accounts.services import token_issue, user_create
    from industries.credit_code import check_character
    from industries.models import Enterprise
    from labor.models import Payroll, Placement, Worker
    from labor.resident_id import check_character as id_check
    from regions.models import Township, Village
    from workshops.models import Workshop

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        township = Township.objects.order_by("code").first()
        village = Village.objects.create(code=f"{township.code}001", name="村", township=township)
        enterprise = Enterprise.objects.create(name="bench", credit_code="91511781000000001" + check_character(
            "91511781000000001"), industry="tea")
        workshop = Workshop.objects.create(name="车间", kind="assistance", form="centralized", industry="tea",
                                           enterprise=enterprise, village=village)
        workers = []
        for n in range(args.rows):
            first17 = f"511781{date(1975, 1, 1) + timedelta(days=n // 900):%Y%m%d}{n % 900 + 100:03d}"
            w = Worker(id_number=first17 + id_check(first17), name=f"工人{n}", village=village)
            w.derive_from_id_number()
            workers.append(w)
        Worker.objects.bulk_create(workers, batch_size=5000)
        placements = Placement.objects.bulk_create([
            Placement(worker=w, workshop=workshop, start_date=date(2025, 1, 1), monthly_wage=Decimal("3200"))
            for w in workers], batch_size=5000)
        admin = user_create(actor=SYSTEM, username="bench-admin", role=Role.COUNTY_ADMIN)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=admin)}")
        body = [{"placement": p.pk, "month": "2025-06", "days_worked": 22, "wage_paid": "3200.00",
                 "employer_social_insurance": "486.40"} for p in placements]
        print(f"{connection.vendor}; {len(body)} rows per request")
        for tag in ("first post (creates)", "same list again (updates)"):
            start = time.perf_counter()
            response = client.post("/api/v1/payroll/", body, format="json")
            elapsed = time.perf_counter() - start
            print(f"{tag:<30} {elapsed:6.2f} s  status {response.status_code} {response.json()}")
        print(f"payroll rows in database: {Payroll.objects.count()}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
