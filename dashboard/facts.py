"""Keeping the dashboard's monthly facts (dashboard.models) in step with the payroll and the paid runs.

`refresh()` runs at the start of every dashboard build: one query finds the months the payroll triggers
logged since the last refresh (usually none) and recomputes only those (three grouped queries over those
months' payroll); `fill_paid()` adds up, once, each run that has become paid (one query finds them);
`refresh_work()` recomputes the work spells (the people in work on a day) of the workers the placement
triggers logged (usually none). A refresh takes a transaction-scoped advisory lock on PostgreSQL, so two
requests never compute the same months or workers at once; a change committed while a refresh runs stays
logged and is taken by the next one."""

from datetime import date

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum

from labor.choices import ASSISTED_CATEGORIES
from labor.models import Payroll
from subsidies.choices import LineStatus, RunStatus
from subsidies.models import SubsidyLine, SubsidyRun

from .models import PaidFact, PaidRun, PayrollChange, PayrollFact, PeopleFact, WorkChange, WorkSpell

LOCK_KEY = 0x7761_6E79  # "wany": the advisory lock of the payroll facts
WORK_LOCK_KEY = LOCK_KEY + 1  # the work spells'
DELETE_CHUNK = 5000
# From this many workers logged at once, and a third of those in work or more (the migration's first log of
# everyone, a county-wide import), every spell is recomputed in one statement rather than in chunks of
# workers: at scale 10 the chunks take about 0.55 ms a worker, the whole 264,000 workers 56 s (0.21 ms).
ALL_WORKERS_FROM = 10_000
OPEN_END = date(9999, 12, 31)  # an open placement's end, inside the computation only


def refresh() -> list:
    """Recompute the facts of every payroll month changed since the last refresh; returns those months."""
    if not PayrollChange.objects.exists():
        return []
    with transaction.atomic():
        _lock(LOCK_KEY)
        changes = list(PayrollChange.objects.values_list("pk", "month"))  # committed before this statement
        months = sorted({month for _pk, month in changes})
        if months:
            recompute(months)
        pks = [pk for pk, _month in changes]
        for start in range(0, len(pks), DELETE_CHUNK):
            PayrollChange.objects.filter(pk__in=pks[start:start + DELETE_CHUNK]).delete()
    return months


def recompute(months: list) -> None:
    """The facts of `months` from the payroll as it is now (three grouped queries)."""
    PayrollFact.objects.filter(month__in=months).delete()
    PeopleFact.objects.filter(month__in=months).delete()
    payroll = Payroll.objects.filter(month__in=months).order_by()
    PayrollFact.objects.bulk_create([
        PayrollFact(month=month, workshop_id=workshop, payslips=payslips, wages=wages)
        for month, workshop, payslips, wages in payroll.values_list("month", "placement__workshop_id")
        .annotate(n=Count("pk"), w=Sum("wage_paid")).values_list("month", "placement__workshop_id", "n", "w")])
    township = "placement__workshop__village__township"
    by_township = (payroll.values_list("month", township).annotate(p=Count("placement__worker", distinct=True))
                   .values_list("month", township, "p"))
    county = payroll.values_list("month").annotate(p=Count("placement__worker", distinct=True)).values_list(
        "month", "p")
    PeopleFact.objects.bulk_create(
        [PeopleFact(month=month, township_id=code, people=people) for month, code, people in by_township]
        + [PeopleFact(month=month, township_id=None, people=people) for month, people in county])


def _lock(key) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


# A worker's placements in each group (the county, a township, an industry, a township's industry) merged
# into spells sharing no day ("gaps and islands": a placement starts a new spell when it starts after
# every earlier one in the group has ended), and the reserved places filled (one row per placement).
# Window functions: PostgreSQL, SQLite 3.25+.
SPELLS = """
INSERT INTO dashboard_workspell (kind, township_id, industry, worker, start_date, end_date)
WITH p AS (
  SELECT pl.worker_id AS worker, v.township_id AS township, w.industry AS industry, pl.start_date AS s,
         COALESCE(pl.end_date, %(open)s) AS e,
         CASE WHEN po.reserved AND wk.category IN %(assisted)s THEN 1 ELSE 0 END AS reserved
  FROM labor_placement pl
  JOIN workshops_workshop w ON w.id = pl.workshop_id
  JOIN regions_village v ON v.id = w.village_id
  JOIN labor_worker wk ON wk.id = pl.worker_id
  LEFT JOIN workshops_post po ON po.id = pl.post_id
  {where}
), k AS (
  SELECT 'county' AS kind, NULL AS township, '' AS industry, worker, s, e FROM p
  UNION ALL SELECT 'township', township, '', worker, s, e FROM p
  UNION ALL SELECT 'industry', NULL, industry, worker, s, e FROM p
  UNION ALL SELECT 'township_industry', township, industry, worker, s, e FROM p
), m AS (
  SELECT kind, township, industry, worker, s, e, MAX(e) OVER (
    PARTITION BY kind, township, industry, worker ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
  ) AS ended FROM k
), g AS (
  SELECT kind, township, industry, worker, s, e, SUM(CASE WHEN ended IS NULL OR s > ended THEN 1 ELSE 0 END) OVER (
    PARTITION BY kind, township, industry, worker ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS spell FROM m
)
SELECT kind, township, industry, worker, MIN(s), NULLIF(MAX(e), %(open)s) FROM g
  GROUP BY kind, township, industry, worker, spell
UNION ALL
SELECT 'reserved', township, '', worker, s, NULLIF(e, %(open)s) FROM p WHERE reserved = 1
"""


def _insert_spells(workers: list | None) -> None:
    """The spells of `workers` (None: everyone) from their placements as they are now (one statement)."""
    params = {"open": OPEN_END}
    assisted = ", ".join(f"%(a{i})s" for i in range(len(ASSISTED_CATEGORIES)))
    params.update({f"a{i}": str(value) for i, value in enumerate(ASSISTED_CATEGORIES)})
    where = ""
    if workers is not None:
        where = "WHERE pl.worker_id IN (" + ", ".join(f"%(w{i})s" for i in range(len(workers))) + ")"
        params.update({f"w{i}": worker for i, worker in enumerate(workers)})
    sql = SPELLS.replace("%(assisted)s", f"({assisted})").replace("{where}", where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def refresh_work() -> int:
    """Recompute the work spells of every worker logged since the last refresh; returns how many workers."""
    if not WorkChange.objects.exists():
        return 0
    with transaction.atomic():
        _lock(WORK_LOCK_KEY)
        changes = list(WorkChange.objects.values_list("pk", "worker"))  # committed before this statement
        workers = sorted({worker for _pk, worker in changes})
        if len(workers) >= ALL_WORKERS_FROM and len(workers) * 3 >= WorkSpell.objects.filter(
                kind=WorkSpell.Kind.COUNTY).count():
            WorkSpell.objects.all().delete()
            _insert_spells(None)
        else:
            chunk = max(1, min(DELETE_CHUNK, connection.features.max_query_params or DELETE_CHUNK) - 10)
            for start in range(0, len(workers), chunk):
                some = workers[start:start + chunk]
                WorkSpell.objects.filter(worker__in=some).delete()
                _insert_spells(some)
        pks = [pk for pk, _worker in changes]
        for start in range(0, len(pks), DELETE_CHUNK):
            WorkChange.objects.filter(pk__in=pks[start:start + DELETE_CHUNK]).delete()
    return len(workers)


def fill_paid() -> list:
    """Add up the payable lines of each paid run not added up yet (paid is final); returns their ids."""
    missing = list(SubsidyRun.objects.filter(status=RunStatus.PAID, dashboard_facts__isnull=True)
                   .values_list("pk", "month"))
    filled = []
    for pk, month in missing:
        try:
            with transaction.atomic():
                marker = PaidRun.objects.create(run_id=pk)
                # By workshop and township: a line without a workshop counts under its township.
                sums = (SubsidyLine.objects.filter(run_id=pk, status=LineStatus.PAYABLE).order_by()
                        .values_list("component", "workshop_id", "township_id").annotate(t=Sum("amount"))
                        .values_list("component", "workshop_id", "township_id", "t"))
                PaidFact.objects.bulk_create([PaidFact(paid_run=marker, month=month, component=component,
                                                       workshop_id=workshop, township_id=township, amount=amount)
                                              for component, workshop, township, amount in sums])
        except IntegrityError:  # another request added it up first
            continue
        filled.append(pk)
    return filled


def refresh_all() -> None:
    """What a dashboard build needs first: the payroll months, paid runs and workers logged since the last
    refresh into the facts. One query when there is nothing to do (the usual case: beat keeps up)."""
    paid = RunStatus.PAID.value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {PayrollChange._meta.db_table}), "
            f"EXISTS (SELECT 1 FROM {WorkChange._meta.db_table}), "
            f"EXISTS (SELECT 1 FROM {SubsidyRun._meta.db_table} r WHERE r.status = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {PaidRun._meta.db_table} p WHERE p.run_id = r.id))", [paid])
        payroll, work, runs = cursor.fetchone()
    if payroll:
        refresh()
    if runs:
        fill_paid()
    if work:
        refresh_work()


# The payroll list's filters (core.counts.exact_filters' lookup paths) the facts answer exactly, and the
# fact's own lookup for each: the month, the workshop, the workshop's township (a township officer's scope
# is that filter too).
PAYROLL_LIST_FILTERS = {"month": "month", "placement__workshop": "workshop_id",
                        "placement__workshop__village__township": "workshop__village__township_id"}


def payroll_count(filters: dict, queryset) -> int | None:
    """The payroll list's exact count (core.counts' counter, registered by dashboard.apps): the payslips of
    the facts for every month the triggers have not logged as changed since, plus COUNT(*) of the list in
    the months they have (so it is never stale and never recomputes facts in a list request); None for a
    filter the facts do not keep. Two small queries, and the pending months' count when there are any."""
    if not set(filters) <= set(PAYROLL_LIST_FILTERS):
        return None
    pending = set(PayrollChange.objects.order_by().values_list("month", flat=True).distinct())
    month = filters.get("month")
    if month is not None and month in pending:
        return None  # that month alone, counted: its index
    facts = PayrollFact.objects.filter(**{PAYROLL_LIST_FILTERS[key]: value for key, value in filters.items()})
    if pending:
        facts = facts.exclude(month__in=pending)
    counted = facts.aggregate(n=Sum("payslips"))["n"] or 0
    if pending and month is None:
        counted += queryset.order_by().filter(month__in=pending).count()
    return counted


def rebuild() -> None:
    """Every fact again from scratch (after restoring a backup made without this app's tables, say)."""
    with transaction.atomic():
        PaidRun.objects.all().delete()
        PayrollChange.objects.all().delete()
        WorkChange.objects.all().delete()
        WorkSpell.objects.all().delete()
        _insert_spells(None)
        months = sorted(set(Payroll.objects.order_by().values_list("month", flat=True).distinct()))
        PayrollFact.objects.all().delete()
        PeopleFact.objects.all().delete()
        recompute(months)
    fill_paid()
