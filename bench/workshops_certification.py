"""Figures for the workshop registry at county scale and beyond: `certified_workshop_ids(on)` (what
the monthly subsidy run calls), the scoped workshop list with today's headcount, and the
certification criteria check. Builds its own data in a throwaway test database and drops it.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25432/wanyuan_bench .venv/bin/python bench/workshops_certification.py \
        --workshops 2000 --placements 100000
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


def timed(label, fn, repeat=5):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label:<55} {best * 1000:9.1f} ms (best of {repeat})")
    return result


def build(workshops: int, placements: int):
    import random

    from industries.credit_code import check_character
    from industries.models import Enterprise
    from labor.models import Placement, Worker
    from labor.resident_id import check_character as id_check
    from regions.models import Township, Village
    from workshops.models import CertificationEvent, Workshop

    rng = random.Random(1)
    township = Township.objects.order_by("code").first()
    villages = Village.objects.bulk_create([
        Village(code=f"{township.code}{n:03d}", name=f"村{n}", township=township) for n in range(1, 200)])
    enterprise = Enterprise.objects.create(name="bench", credit_code="91511781000000001" + check_character(
        "91511781000000001"), industry="tea")
    rows = Workshop.objects.bulk_create([
        Workshop(name=f"车间{n}", kind="assistance", form="centralized", industry="tea", enterprise=enterprise,
                 village=rng.choice(villages)) for n in range(workshops)])
    events = []
    for w in rows:
        events.append(CertificationEvent(workshop=w, action="certified", effective_date=date(2024, 1, 1)
                                         + timedelta(days=rng.randrange(300)), override=True))
        if rng.random() < 0.2:
            events.append(CertificationEvent(workshop=w, action="revoked", effective_date=date(2025, 1, 1)
                                             + timedelta(days=rng.randrange(300))))
    CertificationEvent.objects.bulk_create(events, batch_size=5000)
    workers = []
    for n in range(placements):
        first17 = f"511781{date(1980, 1, 1) + timedelta(days=n // 900):%Y%m%d}{n % 900 + 100:03d}"
        w = Worker(id_number=first17 + id_check(first17), name=f"工人{n}", village=rng.choice(villages),
                   category=rng.choice(["poverty_alleviated", "general", "monitored", "general"]))
        w.derive_from_id_number()
        workers.append(w)
    Worker.objects.bulk_create(workers, batch_size=5000)
    Placement.objects.bulk_create([
        Placement(worker=worker, workshop=rng.choice(rows), start_date=date(2024, 1, 1)
                  + timedelta(days=rng.randrange(500)), monthly_wage=Decimal("3200"))
        for worker in workers], batch_size=5000)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workshops", type=int, default=2000)
    parser.add_argument("--placements", type=int, default=50000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from accounts.choices import Role
    from accounts.permissions import SYSTEM
    from accounts.services import user_create
    from workshops import selectors

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        start = time.perf_counter()
        rows = build(args.workshops, args.placements)
        print(f"built {args.workshops} workshops, {args.placements} placements in {time.perf_counter() - start:.1f} s")
        on = date(2025, 6, 30)
        ids = timed("certified_workshop_ids(2025-06-30)", lambda: selectors.certified_workshop_ids(on))
        print(f"  -> {len(ids)} certified")
        admin = user_create(actor=SYSTEM, username="bench-admin", role=Role.COUNTY_ADMIN)
        timed("workshop_list(county admin), first page of 50 with headcount",
              lambda: list(selectors.workshop_list(user=admin)[:50]))
        timed("workshop_list ordered by headcount, first 50",
              lambda: list(selectors.workshop_list(user=admin).order_by("-headcount")[:50]))
        timed("workforce_on(one workshop, date)", lambda: selectors.workforce_on(rows[0], on))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
