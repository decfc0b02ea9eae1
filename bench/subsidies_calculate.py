"""Time one month's subsidy calculation at a given scale, against PostgreSQL.

    DATABASE_URL=postgres://wanyuan@127.0.0.1:25432/wanyuan_subsidies_bench \
        .venv/bin/python bench/subsidies_calculate.py --scale 1

Scale 1 = 26,400 placements with 12 months of payroll (2025); 10 = 264,000. Synthetic data is
written directly (COPY) into a database whose name must contain "bench" (it is wiped). By default
January to October are then calculated and approved (untimed), so the limits read a year's approved
lines as they would in steady use (`--history 0` skips that). Prints the time of November (regular
run), of December after November was approved, the peak memory of the measuring process, and the
ratio to a straightforward per-worker ORM loop timed on a sample and extrapolated.
"""

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

BASE_PLACEMENTS = 26_400
BASE_WORKSHOPS = 47
MONTHS = [date(2025, m, 1) for m in range(1, 13)]


def rss_mb() -> float:
    """Peak resident memory of this process image. Not getrusage's ru_maxrss: Linux carries that
    across fork and exec, so a child would report the parent's peak from building the data."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


def copy_rows(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build(scale: float, seed: int = 7) -> None:
    from labor import resident_id
    from regions.models import Township, Village
    from tests.factories.industries import make_credit_code
    from workshops.models import Workshop

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE subsidies_subsidyreport, subsidies_subsidyline, subsidies_subsidyrun, labor_payroll, "
                       "labor_placement, labor_trainingcompletion, labor_training, labor_membership, labor_worker, "
                       "workshops_certificationevent, workshops_post, workshops_workshop, industries_enterprise, "
                       "regions_village CASCADE")
    townships = list(Township.objects.all())
    villages = Village.objects.bulk_create([Village(township=t, code=f"{t.code}{n:03d}", name=f"{t.name}{n}村")
                                            for t in townships for n in range(1, 11)])
    from industries.models import Enterprise

    enterprise = Enterprise.objects.create(name="基准企业", credit_code=make_credit_code(1), origin="local",
                                           industry="tea")
    shops = Workshop.objects.bulk_create([
        Workshop(name=f"基准车间{i}", kind="assistance", form="centralized", industry="tea", enterprise=enterprise,
                 village=villages[i % len(villages)]) for i in range(max(1, round(BASE_WORKSHOPS * scale)))
    ])
    copy_rows("workshops_certificationevent",
              ["workshop_id", "action", "effective_date", "reason", "override", "workers", "assisted_workers",
               "created_at"],
              ((w.pk, "certified", date(2024, 1, 1), "bench", True, 0, 0, "2024-01-01T00:00:00Z") for w in shops))
    # one workshop revoked mid-year, so certification changes across months
    copy_rows("workshops_certificationevent",
              ["workshop_id", "action", "effective_date", "reason", "override", "workers", "assisted_workers",
               "created_at"], [(shops[0].pk, "revoked", date(2025, 9, 15), "bench", False, 0, 0,
                                "2025-09-15T00:00:00Z")])
    count = round(BASE_PLACEMENTS * scale)
    categories = ["poverty_alleviated"] * 40 + ["monitored"] * 11 + ["hard_to_employ"] * 5 + ["general"] * 44

    def workers():
        for n in range(count):
            born = date(rng.randint(1958, 2006), rng.randint(1, 12), rng.randint(1, 28))
            # unique numbers: region code + n // 1000, sequence n % 1000 (the pair is unique per n)
            first17 = f"{511781 + n // 1000:06d}{born:%Y%m%d}{n % 1000:03d}"
            number = first17 + resident_id.check_character(first17)
            phone = "13900000000" if n % 5000 == 0 else f"13{n:09d}"
            yield (number, f"工人{n}", phone, villages[n % len(villages)].pk, rng.choice(categories), False,
                   "male" if int(number[16]) % 2 else "female", born, "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z")

    copy_rows("labor_worker", ["id_number", "name", "phone", "village_id", "category", "returnee", "sex", "birth_date",
                               "created_at", "updated_at"], workers())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM labor_worker ORDER BY id")
        worker_ids = [r[0] for r in cursor.fetchall()]
    shop_ids = [w.pk for w in shops]
    copy_rows("labor_placement", ["worker_id", "workshop_id", "source", "start_date", "end_reason", "monthly_wage",
                                  "created_at", "updated_at"],
              ((wid, shop_ids[i % len(shop_ids)], "direct", date(2025, 1, 1), "", Decimal("3200"),
                "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z") for i, wid in enumerate(worker_ids)))
    # a few workers also placed at a second workshop (duplicate employment)
    copy_rows("labor_placement", ["worker_id", "workshop_id", "source", "start_date", "end_reason", "monthly_wage",
                                  "created_at", "updated_at"],
              ((wid, shop_ids[(i + 1) % len(shop_ids)], "direct", date(2025, 1, 1), "", Decimal("3200"),
                "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
               for i, wid in enumerate(worker_ids[: max(1, count // 1000)])))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM labor_placement ORDER BY id")
        placement_ids = [r[0] for r in cursor.fetchall()]

    def payroll():
        for pid in placement_ids:
            for month in MONTHS:
                days = rng.choice((22, 22, 22, 20, 18, 14))
                wage = Decimal(rng.choice((3200, 3200, 2800, 2500, 1999)))
                insurance = Decimal(rng.choice((0, 450, 520, 650)))
                yield (pid, month, days, wage, insurance, "2025-12-31T00:00:00Z")

    copy_rows("labor_payroll", ["placement_id", "month", "days_worked", "wage_paid", "employer_social_insurance",
                                "updated_at"], payroll())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _Rollback(Exception):
    pass


def naive_loop(month: date, sample: int) -> tuple[float, int]:
    """The straightforward version of the same calculation: per payroll row, ask the ORM for everything
    it needs and save each line. It reads the month's policy, judges certification and the earlier
    qualifying months month by month, applies the amounts, the month limits (net paid months over
    approved runs), the caps per worker-month and per workshop-year and the three misuse flags, and
    writes the lines into the month's run (rolled back afterwards)."""
    from django.db import transaction
    from django.db.models import Sum

    from labor.models import Payroll, Worker
    from labor.resident_id import age_on
    from subsidies import rules
    from subsidies.choices import LOCKED_STATUSES
    from subsidies.models import SubsidyLine, SubsidyRun
    from subsidies.services.policies import policy_for, terms_of
    from workshops.models import CertificationEvent

    run = SubsidyRun.objects.get(month=month, kind="regular")
    ids = list(Payroll.objects.filter(month=month).order_by("id").values_list("id", flat=True))

    def certified(workshop, day):
        latest = CertificationEvent.objects.filter(workshop=workshop, effective_date__lte=day).order_by(
            "-effective_date", "-id").first()
        return latest is not None and latest.action == "certified"

    def qualifies(row, terms, m):
        worker = row.placement.worker
        return (row.days_worked >= terms.min_days and row.wage_paid >= terms.min_wage
                and terms.min_age <= age_on(worker.birth_date, rules.month_end(m)) <= terms.max_age
                and certified(row.placement.workshop, rules.month_end(m)))

    def paid_lines(worker, component):
        return SubsidyLine.objects.filter(worker=worker, component=component, run__status__in=LOCKED_STATUSES,
                                          status="payable").exclude(run__month=month)

    def months_paid(worker, component):
        return (paid_lines(worker, component).values("run__month").annotate(net=Sum("amount"))
                .filter(net__gt=0).count())

    started = time.perf_counter()
    try:
        with transaction.atomic():
            # the real calculation replaces the draft's lines; so does this loop (the key is unique per run)
            run.lines.all().delete()
            for pk in ids[:sample]:
                terms = terms_of(policy_for(month))
                row = Payroll.objects.select_related("placement__worker", "placement__workshop").get(pk=pk)
                worker, workshop, placement = row.placement.worker, row.placement.workshop, row.placement
                if not qualifies(row, terms, month):
                    continue
                others = list(Payroll.objects.filter(placement__worker=worker, month=month).exclude(pk=pk)
                              .select_related("placement"))
                flags = []
                if any(o.placement.workshop_id != workshop.pk and qualifies(o, terms, month) for o in others):
                    flags.append("duplicate_employment")
                if worker.phone and Worker.objects.filter(phone=worker.phone).count() > 3:
                    flags.append("shared_phone")
                previous = (Payroll.objects.filter(placement__workshop=workshop, month__lt=month)
                            .order_by("-month").values_list("month", flat=True).first())
                if previous is not None:
                    before = Payroll.objects.filter(placement__workshop=workshop, month=previous).values(
                        "placement__worker").distinct().count()
                    now = Payroll.objects.filter(placement__workshop=workshop, month=month).values(
                        "placement__worker").distinct().count()
                    known = Payroll.objects.filter(placement__workshop=workshop, month=previous,
                                                   placement__worker=worker).exists()
                    if rules.headcount_jumped(before, now) and not known:
                        flags.append("headcount_jump")
                first = all((placement.start_date, placement.pk) <= (o.placement.start_date, o.placement_id)
                            for o in others if qualifies(o, terms, month))
                status = "withheld" if flags else "payable"
                lines = []
                insurance = terms.rules.get("social_insurance")
                if insurance and insurance.covers(worker.category) and row.employer_social_insurance > 0 \
                        and rules.within_month_limit(months_paid(worker, "social_insurance"),
                                                     insurance.month_limit):
                    taken = sum(rules.capped(o.employer_social_insurance, insurance.monthly_cap) for o in others
                                if (o.placement.start_date, o.placement_id) < (placement.start_date, placement.pk)
                                and qualifies(o, terms, month))
                    room = max(insurance.monthly_cap - taken, 0)
                    lines.append(("social_insurance", min(rules.capped(row.employer_social_insurance,
                                                                       insurance.monthly_cap), room)))
                job = terms.rules.get("job_subsidy")
                if job and job.covers(worker.category) and rules.within_month_limit(
                        months_paid(worker, "job_subsidy"), job.month_limit):
                    lines.append(("job_subsidy", job.amount if first else rules.ZERO))
                award = terms.rules.get("hiring_award")
                if award and award.covers(worker.category):
                    earlier = Payroll.objects.filter(placement__worker=worker, placement__workshop=workshop,
                                                     month__lte=month).select_related("placement__worker",
                                                                                      "placement__workshop")
                    qualifying = {p.month for p in earlier if qualifies(p, terms_of(policy_for(p.month)), p.month)}
                    already = paid_lines(worker, "hiring_award").filter(workshop=workshop).aggregate(
                        s=Sum("amount"))["s"] or 0
                    if len(qualifying) == award.qualifying_month and already <= 0:
                        year = SubsidyLine.objects.filter(
                            workshop=workshop, component="hiring_award", run__status__in=LOCKED_STATUSES,
                            status="payable", run__month__year=month.year).aggregate(s=Sum("amount"))["s"] or 0
                        lines.append(("hiring_award", rules.apply_yearly_cap([award.amount], year,
                                                                             award.yearly_workshop_cap)[0]))
                for component, amount in lines:
                    SubsidyLine(run=run, worker=worker, workshop=workshop, placement=placement,
                                component=component, amount=amount, status=status, flags=flags,
                                reason="naive").save()
            raise _Rollback
    except _Rollback:
        pass
    per_row = (time.perf_counter() - started) / max(1, min(sample, len(ids)))
    return per_row * len(ids), len(ids)


def users():
    from accounts.choices import Role
    from accounts.models import User

    maker, _ = User.objects.get_or_create(username="bench-maker", defaults={"role": Role.COUNTY_OFFICER})
    checker, _ = User.objects.get_or_create(username="bench-checker", defaults={"role": Role.COUNTY_ADMIN})
    return maker, checker


def approve_history(months: int) -> None:
    """Calculate and approve January.. of 2025 (untimed), so limits read approved lines."""
    from accounts.permissions import SYSTEM
    from subsidies import services

    maker, checker = users()
    for month in MONTHS[:months]:
        started = time.perf_counter()
        run, _ = services.run_request(actor=maker, month=month, enqueue=False)
        run = services.run_calculate(actor=SYSTEM, run_id=run.pk)
        assert run.status == "draft", run.error
        services.run_submit(actor=maker, run=run)
        services.run_approve(actor=checker, run=run)
        print(f"history {month:%Y-%m} approved: {run.line_count:,} lines ({time.perf_counter() - started:.0f} s)",
              flush=True)


def reset_measured_months() -> None:
    """Drop the runs of November and December, so a measurement starts from the same state."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM subsidies_subsidyline WHERE run_id IN "
                       "(SELECT id FROM subsidies_subsidyrun WHERE month >= %s)", [date(2025, 11, 1)])
        cursor.execute("DELETE FROM subsidies_subsidyreport WHERE run_id IN "
                       "(SELECT id FROM subsidies_subsidyrun WHERE month >= %s)", [date(2025, 11, 1)])
        cursor.execute("DELETE FROM subsidies_subsidyrun WHERE month >= %s", [date(2025, 11, 1)])
        cursor.execute("SELECT count(*), count(DISTINCT month) FROM subsidies_subsidyrun WHERE status = 'approved'")
        runs, months = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM subsidies_subsidyline l JOIN subsidies_subsidyrun r ON r.id = l.run_id "
                       "WHERE r.status = 'approved'")
        print(f"approved before November: {runs} runs over {months} months, {cursor.fetchone()[0]:,} lines",
              flush=True)


def measure(scale: float, sample: int) -> None:
    from accounts.permissions import SYSTEM
    from subsidies import services

    reset_measured_months()
    maker, checker = users()
    results = {}
    for month in (date(2025, 11, 1), date(2025, 12, 1)):
        run, _ = services.run_request(actor=maker, month=month, enqueue=False)
        started = time.perf_counter()
        run = services.run_calculate(actor=SYSTEM, run_id=run.pk)
        elapsed = time.perf_counter() - started
        assert run.status == "draft", run.error
        results[month] = (elapsed, run)
        print(f"{month:%Y-%m}: {elapsed:6.2f} s  {run.line_count:>8,} lines  payable {run.payable_total:>14,}  "
              f"withheld {run.withheld_total:>12,}  peak RSS so far {rss_mb():,.0f} MB", flush=True)
        if month.month == 11:
            services.run_submit(actor=maker, run=run)
            services.run_approve(actor=checker, run=run)
    started = time.perf_counter()
    run, _ = services.run_request(actor=maker, month=date(2025, 12, 1), enqueue=False)
    again = services.run_calculate(actor=SYSTEM, run_id=run.pk)
    print(f"2025-12 recalculated (draft replaced): {time.perf_counter() - started:6.2f} s, "
          f"same totals: {again.payable_total == results[date(2025, 12, 1)][1].payable_total}")
    naive, rows = naive_loop(date(2025, 12, 1), sample)
    december = results[date(2025, 12, 1)][0]
    print(f"per-worker ORM loop: ~{naive:,.0f} s for {rows:,} payroll rows (timed on {sample}, extrapolated); "
          f"set-based is {naive / december:,.0f}x faster")
    print(f"peak memory of the measuring process: {rss_mb():,.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sample", type=int, default=500, help="rows timed in the per-worker loop")
    parser.add_argument("--history", type=int, default=10, choices=range(0, 11),
                        help="months from January calculated and approved before November (default 10)")
    parser.add_argument("--skip-build", action="store_true", help="reuse the data (and history) already there")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    db = connection.settings_dict
    if connection.vendor != "postgresql" or "bench" not in db["NAME"]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench' (it is wiped).")
    if args.measure:
        measure(args.scale, args.sample)
        return
    if not args.skip_build:
        started = time.perf_counter()
        build(args.scale)
        print(f"built scale {args.scale}: {round(BASE_PLACEMENTS * args.scale):,} placements, 12 months of payroll "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        approve_history(args.history)
    # Measure in a fresh process so the peak memory is the calculation's, not the data build's.
    subprocess.run([sys.executable, __file__, "--measure", "--scale", str(args.scale), "--sample",
                    str(args.sample)], check=True)


if __name__ == "__main__":
    main()
