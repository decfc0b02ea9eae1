"""People in work on a day, as the dashboard counts them from the work spells (dashboard.facts keeps them by
database triggers): the same figure as counting the distinct workers of the placements open that day, and it
follows every write at once — a placement started, ended, moved, imported in bulk, deleted; a workshop moved
or changing industry; a post no longer reserved; a worker's category. A worker may hold two placements open at
once (the rule is one open placement per worker *and workshop*), so those cases are here too."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from dashboard import board, facts
from dashboard.figures import Scope
from dashboard.figures import labor as labour_figures
from dashboard.models import WorkChange, WorkSpell
from dashboard.periods import parse_period
from labor.choices import ASSISTED_CATEGORIES
from labor.models import Placement, Worker
from labor.services.placements import placement_end
from tests.factories import PlacementFactory, PostFactory, VillageFactory, WorkerFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def build(user, period, township=None):
    return board.build(user=user, period=parse_period(period), township=township, today=TODAY)


def people(data) -> int:
    return next(card["value"] for card in data.headlines if card["key"] == "people_employed")


def township_row(data, township) -> tuple:
    row = data.townships.loc[township.pk]
    return row["people_employed"], row["reserved_filled"]


def industry(data, key) -> int:
    return int(data.industries.set_index("industry").loc[key, "people_employed"])


def by_hand(on: date, **where) -> dict:
    """Counted from the placements themselves: distinct workers in work on `on` per township, per industry,
    per township's industry and in the county; reserved places filled per township (placements)."""
    open_on = [p for p in Placement.objects.filter(**where).select_related("workshop__village", "post", "worker")
               if p.start_date <= on and (p.end_date is None or p.end_date >= on)]
    figures = {"county": {p.worker_id for p in open_on}, "township": {}, "industry": {}, "township_industry": {},
               "reserved": {}}
    for p in open_on:
        township, kind = p.workshop.village.township_id, p.workshop.industry
        figures["township"].setdefault(township, set()).add(p.worker_id)
        figures["industry"].setdefault(kind, set()).add(p.worker_id)
        figures["township_industry"].setdefault((township, kind), set()).add(p.worker_id)
        if p.post is not None and p.post.reserved and p.worker.category in ASSISTED_CATEGORIES:
            figures["reserved"][township] = figures["reserved"].get(township, 0) + 1
    return {"county": len(figures["county"]),
            **{key: {k: len(v) for k, v in figures[key].items()} for key in ("township", "industry",
                                                                             "township_industry")},
            "reserved": figures["reserved"]}


def from_spells(user, on: date, township=None) -> dict:
    facts.refresh_all()
    scope = Scope(user=user, township=township)
    period = parse_period(f"{on:%Y-%m}")
    rows = labour_figures.by_township(scope, period, on)
    return {"people": labour_figures.period_figures(scope, period, period.previous(), on, on)["current"][
                "people_employed"],
            "township": rows["people_employed"], "reserved": rows["reserved_filled"],
            "industry": labour_figures.in_work_by_industry(scope, on)}


@pytest.fixture
def overlapping(jiuyuan, taiping):
    """旧院镇 has a tea workshop (a reserved post) and a herbs one, 太平镇 a tea one. Worker a works at both
    旧院 workshops at once for a while, b holds back-to-back placements (one ends the day before the next
    starts), c has one placement nested inside a longer one at two workshops, d works in both townships
    at once, e (general, on the reserved post) only for a day."""
    jy, tp = VillageFactory(township=jiuyuan), VillageFactory(township=taiping)
    tea, herbs = WorkshopFactory(village=jy, industry="tea"), WorkshopFactory(village=jy, industry="herbs")
    tp_tea = WorkshopFactory(village=tp, industry="tea")
    reserved = PostFactory(workshop=tea, reserved=True)
    a, b, c, d = (WorkerFactory(category="poverty_alleviated") for _ in range(4))
    e = WorkerFactory(category="general")
    for worker, workshop, start, end, post in [
        (a, tea, date(2025, 1, 1), None, reserved), (a, herbs, date(2025, 3, 1), date(2025, 5, 31), None),
        (b, tea, date(2025, 1, 1), date(2025, 2, 28), None), (b, tea, date(2025, 3, 1), None, reserved),
        (c, herbs, date(2025, 1, 15), date(2025, 12, 31), None), (c, tea, date(2025, 2, 1), date(2025, 2, 10), None),
        (d, tea, date(2025, 2, 1), None, None), (d, tp_tea, date(2025, 2, 15), date(2025, 4, 30), None),
        (e, tea, date(2025, 3, 3), date(2025, 3, 3), reserved),
    ]:
        PlacementFactory(worker=worker, workshop=workshop, post=post, start_date=start, end_date=end)
    return {"tea": tea, "herbs": herbs, "tp_tea": tp_tea, "reserved": reserved, "workers": (a, b, c, d, e)}


DAYS = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 1, 15), date(2025, 2, 1), date(2025, 2, 10),
        date(2025, 2, 11), date(2025, 2, 15), date(2025, 2, 28), date(2025, 3, 1), date(2025, 3, 3),
        date(2025, 3, 4), date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 31), date(2025, 6, 1),
        date(2025, 12, 31), date(2026, 1, 1)]


def test_people_in_work_on_any_day_are_the_distinct_workers_of_the_open_placements(
        overlapping, county_officer, township_officer, jiuyuan, taiping):
    for on in DAYS:
        hand = by_hand(on)
        county = from_spells(county_officer, on)
        assert county["people"] == hand["county"], on
        assert county["township"] == hand["township"], on
        assert county["industry"] == hand["industry"], on
        assert county["reserved"] == hand["reserved"], on
        for user, township in ((township_officer, None), (county_officer, jiuyuan), (county_officer, taiping)):
            one = township or jiuyuan
            mine = from_spells(user, on, township)
            assert mine["people"] == hand["township"].get(one.pk, 0), (on, one)
            assert mine["township"] == {k: v for k, v in hand["township"].items() if k == one.pk}, (on, one)
            assert mine["industry"] == {kind: n for (t, kind), n in hand["township_industry"].items() if t == one.pk}
    # The same spelled out for one day, 2025-03-03: a (two workshops), b, c, d (two townships) and e in work.
    assert by_hand(date(2025, 3, 3)) == {
        "county": 5, "township": {jiuyuan.pk: 5, taiping.pk: 1}, "industry": {"tea": 4, "herbs": 2},
        "township_industry": {(jiuyuan.pk, "tea"): 4, (jiuyuan.pk, "herbs"): 2, (taiping.pk, "tea"): 1},
        "reserved": {jiuyuan.pk: 2}}  # a and b; e is general


def test_the_dashboard_follows_every_placement_write_at_once(overlapping, county_officer, jiuyuan, taiping,
                                                             county_admin):
    """On 2025-03-31 (the month's figures' day) a, b, c, d are in work (e's day is over): 旧院镇 4 (a and b on
    the reserved post), 太平镇 1 (d, until April); tea a, b, d; herbs a, c."""
    a, b, c, d, e = overlapping["workers"]

    def figures():
        data = build(county_officer, "2025-03")
        return (people(data), township_row(data, jiuyuan), township_row(data, taiping), industry(data, "tea"),
                industry(data, "herbs"))

    assert figures() == (4, (4, 2), (1, 0), 3, 2)
    # Started: a new worker at 太平's workshop.
    f = WorkerFactory(category="monitored")
    started = PlacementFactory(worker=f, workshop=overlapping["tp_tea"], start_date=date(2025, 3, 20))
    assert figures() == (5, (4, 2), (2, 0), 4, 2)
    # A second placement of f, open at the same time in 旧院: one more person there, none in the county.
    PlacementFactory(worker=f, workshop=overlapping["herbs"], start_date=date(2025, 3, 25))
    assert figures() == (5, (5, 2), (2, 0), 4, 3)
    # Ended through the service (before the month's end): f is still in work at herbs.
    placement_end(actor=county_admin, placement=started, end_date=date(2025, 3, 28))
    assert figures() == (5, (5, 2), (1, 0), 3, 3)
    # Moved to another workshop (and township): c's herbs placement to 太平's tea workshop.
    Placement.objects.filter(worker=c, workshop=overlapping["herbs"]).update(workshop=overlapping["tp_tea"])
    assert figures() == (5, (4, 2), (2, 0), 4, 2)
    # Imported in bulk (one statement, no signal): two new workers on 旧院's reserved post.
    g, h = WorkerFactory(category="poverty_alleviated"), WorkerFactory(category="general")
    Placement.objects.bulk_create([
        Placement(worker=worker, workshop=overlapping["tea"], post=overlapping["reserved"],
                  start_date=date(2025, 3, 1), monthly_wage=Decimal("3000.00")) for worker in (g, h)])
    assert figures() == (7, (6, 3), (2, 0), 6, 2)  # h is general: in work, not on a reserved place "filled"
    # Updated in bulk (the import's bulk_update): g's placement ends mid-March, before the figures' day.
    imported = Placement.objects.get(worker=g)
    imported.end_date = date(2025, 3, 15)
    Placement.objects.bulk_update([imported], ["end_date"])
    assert figures() == (6, (5, 2), (2, 0), 5, 2)
    # Deleted (raw SQL in a repair, say).
    Placement.objects.filter(worker=h).delete()
    assert figures() == (5, (4, 2), (2, 0), 4, 2)
    assert WorkChange.objects.count() == 0  # every build took what was logged


def test_what_the_figures_are_counted_by_follows_too(overlapping, county_officer, jiuyuan, taiping):
    """A workshop's village (its township) and industry, a post's "reserved", a worker's category."""
    a, b, c, d, e = overlapping["workers"]

    def figures():
        data = build(county_officer, "2025-03")
        return township_row(data, jiuyuan), township_row(data, taiping), industry(data, "tea"), industry(data, "herbs")

    assert figures() == ((4, 2), (1, 0), 3, 2)
    herbs = overlapping["herbs"]
    herbs.industry = "black_chicken"
    herbs.save()  # a and c work there
    data = build(county_officer, "2025-03")
    assert (industry(data, "herbs"), industry(data, "black_chicken")) == (0, 2)
    herbs.village = VillageFactory(township=taiping)
    herbs.save()  # a and c in 太平 now too (a is at 旧院's tea workshop as well)
    assert figures() == ((3, 2), (3, 0), 3, 0)
    Worker.objects.filter(pk=b.pk).update(category="general")
    assert figures() == ((3, 1), (3, 0), 3, 0)
    reserved = overlapping["reserved"]
    reserved.reserved = False
    reserved.save()
    assert figures() == ((3, 0), (3, 0), 3, 0)


def test_the_spells_rebuild_from_scratch_to_the_same_figures(overlapping, county_officer):
    facts.refresh_all()
    before = sorted(WorkSpell.objects.values_list("kind", "township", "industry", "worker", "start_date", "end_date"))
    assert before
    facts.rebuild()
    assert sorted(WorkSpell.objects.values_list("kind", "township", "industry", "worker", "start_date",
                                                "end_date")) == before
    # Logging more workers than ALL_WORKERS_FROM recomputes everyone in one statement: the same spells.
    WorkChange.objects.bulk_create([WorkChange(worker=worker) for worker in range(1, facts.ALL_WORKERS_FROM + 2)])
    assert facts.refresh_work() == facts.ALL_WORKERS_FROM + 1
    assert sorted(WorkSpell.objects.values_list("kind", "township", "industry", "worker", "start_date",
                                                "end_date")) == before


def test_a_days_count_is_one_query_however_many_placements(overlapping, county_officer, django_assert_num_queries):
    facts.refresh_all()
    scope = Scope(user=county_officer)
    for day in range(40):
        PlacementFactory(workshop=overlapping["tea"], start_date=date(2025, 1, 1) + timedelta(days=day))
    facts.refresh_all()
    with django_assert_num_queries(1):
        labour_figures.in_work_by_industry(scope, date(2025, 3, 3))
    with django_assert_num_queries(1):
        labour_figures.by_township(scope, parse_period("2025-03"), date(2025, 3, 3))
