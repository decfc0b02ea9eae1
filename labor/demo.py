"""Demo labour data at the article's figures (scale 1): 33 cooperatives with 12,000 members, 340
brokers, 26,400 workers in placements with 12 months of payroll averaging about 3,200 yuan, about
51 % of them poverty-alleviated or monitored, 38 job fairs with 2,195 placements, a match rate of
about 95 %, 3,287 brand-training and 5,024 skills-training completions, 642 returnees who founded
198 enterprises. Everything is written with bulk_create."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.choices import Role
from accounts.demo import demo_user
from accounts.models import User
from core.months import month_end, months_after
from industries.choices import Industry, Origin
from industries.demo import credit_code_for
from industries.models import Enterprise

from . import resident_id
from .choices import CertificateLevel, PlacementSource, ReferralOutcome, TrainingKind, WorkerCategory
from .models import (
    Broker,
    Cooperative,
    EastPost,
    FollowUp,
    JobFair,
    Membership,
    OutboundPlacement,
    OutboundReferral,
    OutboundVisit,
    Payroll,
    Placement,
    Referral,
    Returnee,
    Training,
    TrainingCompletion,
    Worker,
)
from .models.outbound import VISIT_MONTHS, OutboundStatus

COOPERATIVES, MEMBERS, BROKERS = 33, 12_000, 340
PLACED, UNPLACED = 26_400, 2_600
JOB_FAIRS, JOB_FAIR_PLACEMENTS = 38, 2_195
BRAND_COMPLETIONS, SKILLS_COMPLETIONS = 3_287, 5_024
RETURNEES, RETURNEE_ENTERPRISES = 642, 198
PAYROLL_MONTHS = 12
EMPLOYER_INSURANCE = Decimal("534.40")  # the employer's share on a 3,340-yuan contribution base, 16 %
MATCH_RATE = 0.95
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "明华建国秀英桂兰玉梅志强海燕红霞春芳晓东文斌丽娟永福德琴小军光荣凤莲金花家豪思雨子涵"
CATEGORY_WEIGHTS = [(WorkerCategory.POVERTY_ALLEVIATED, 0.40), (WorkerCategory.MONITORED, 0.11),
                    (WorkerCategory.LOW_INCOME, 0.05), (WorkerCategory.HARD_TO_EMPLOY, 0.04),
                    (WorkerCategory.GENERAL, 0.40)]


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def seed(ctx):
    villages, workshops, posts = ctx.data["villages"], ctx.data["workshops"], ctx.data["posts"]
    cooperatives = seed_cooperatives(ctx)
    brokers = seed_brokers(ctx, villages, cooperatives)
    workers = seed_workers(ctx, villages)
    seed_memberships(ctx, workers, cooperatives)
    fairs = seed_job_fairs(ctx, workshops)
    placements = seed_placements(ctx, workers, posts, brokers, fairs)
    seed_referrals(ctx, placements, posts, workers)
    seed_payroll(ctx, placements)
    seed_follow_ups(ctx, placements)
    seed_trainings(ctx, workshops, workers)
    seed_returnees(ctx, workers)
    seed_outbound(ctx, workers, brokers)
    ctx.data["labour_workers"] = len(workers)


def seed_cooperatives(ctx):
    townships = sorted({v.township for v in ctx.data["villages"]}, key=lambda t: t.code)
    count = max(ctx.scaled(COOPERATIVES), min(len(townships), COOPERATIVES))
    rows = []
    for n in range(count):
        township = townships[n % len(townships)]
        rows.append(Cooperative(township=township, name=f"万源市{township.name}劳务专业合作社"
                                                         f"{_nth_society(n // len(townships))}"))
    Cooperative.objects.bulk_create(rows)
    ctx.log(f"  {len(rows)} cooperatives")
    return rows


def _nth_society(round_: int) -> str:
    """A township's first cooperative has no suffix, the next ones 二社, 三社, … (names are unique)."""
    numerals = "二三四五六七八九"
    if round_ == 0:
        return ""
    return f"{numerals[round_ - 1]}社" if round_ <= len(numerals) else f"{round_ + 1}社"


def seed_brokers(ctx, villages, cooperatives):
    first_coop = {}
    for coop in cooperatives:
        first_coop.setdefault(coop.township_id, coop)
    password = make_password(None)  # brokers other than the demo login sign in after an officer sets a password
    count = ctx.scaled(BROKERS)
    users = [User(username=f"broker{n + 1:03d}", role=Role.BROKER, password=password,
                  village=villages[n % len(villages)], township_id=villages[n % len(villages)].township_id,
                  cooperative=first_coop.get(villages[n % len(villages)].township_id))
             for n in range(count - 1)]
    User.objects.bulk_create(users)
    demo = User.objects.get(username="broker")
    demo.cooperative = first_coop.get(demo.village.township_id)
    demo.save(update_fields=["cooperative"])
    users.append(demo)
    rows = [Broker(user=u, village_id=u.village_id, cooperative=u.cooperative) for u in users]
    Broker.objects.bulk_create(rows)
    ctx.log(f"  {len(rows)} brokers (the demo login `broker` among them)")
    return rows


def make_id(n: int, rng, region: str) -> str:
    born = date(1962, 1, 1) + timedelta(days=(n * 7919) % 14600)  # born 1962–2001
    sequence = 100 + (n // 14600) * 2 + rng.randrange(2)  # (birth date, sequence) never repeats
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id.check_character(first17)


def pick_category(rng):
    roll, total = rng.random(), 0.0
    for category, weight in CATEGORY_WEIGHTS:
        total += weight
        if roll < total:
            return category
    return WorkerCategory.GENERAL


def seed_workers(ctx, villages):
    rng = ctx.rng
    count = ctx.scaled(PLACED) + ctx.scaled(UNPLACED)
    demo_village = User.objects.get(username="broker").village
    rows = []
    for n in range(count):
        # The demo broker's village gets a share of workers, so their pages have people on them.
        village = demo_village if n % 97 == 0 else villages[rng.randrange(len(villages))]
        number = make_id(n, rng, village.code[:6])
        parsed = resident_id.parse(number)
        rows.append(Worker(id_number=number, name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                           phone=f"1{rng.choice('3589')}{n:09d}", village=village, category=pick_category(rng),
                           sex=parsed.sex, birth_date=parsed.birth_date))
    Worker.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  {len(rows)} workers")
    return rows


def seed_memberships(ctx, workers, cooperatives):
    by_township = {}
    for coop in cooperatives:
        by_township.setdefault(coop.township_id, coop)
    rows = []
    for worker in workers[: ctx.scaled(MEMBERS)]:
        coop = by_township.get(worker.village.township_id)
        if coop:
            rows.append(Membership(worker=worker, cooperative=coop, joined_on=date(2022, 1, 1)
                                   + timedelta(days=ctx.rng.randrange(900))))
    Membership.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  {len(rows)} cooperative members")


def seed_job_fairs(ctx, workshops):
    townships = sorted({w.village.township for w in workshops}, key=lambda t: t.code)
    rows = [JobFair(township=townships[n % len(townships)], date=date(2024, 2, 1) + timedelta(days=n * 17),
                    title=f"{townships[n % len(townships)].name}春风行动专场招聘会（第{n + 1}场）",
                    attendees=ctx.rng.randrange(120, 400)) for n in range(ctx.scaled(JOB_FAIRS))]
    JobFair.objects.bulk_create(rows)
    through = JobFair.workshops.through
    through.objects.bulk_create([through(jobfair_id=fair.pk, workshop_id=w.pk) for fair in rows
                                 for w in ctx.rng.sample(workshops, min(5, len(workshops)))])
    ctx.log(f"  {len(rows)} job fairs")
    return rows


def seed_placements(ctx, workers, posts, brokers, fairs):
    rng = ctx.rng
    placed = workers[: ctx.scaled(PLACED)]
    reserved = [p for p in posts if p.reserved]
    open_posts = [p for p in posts if not p.reserved]
    window_start = add_months(timezone.localdate().replace(day=1), -PAYROLL_MONTHS)
    fair_quota = ctx.scaled(JOB_FAIR_PLACEMENTS)
    rows = []
    for n, worker in enumerate(placed):
        assisted = worker.category in (WorkerCategory.POVERTY_ALLEVIATED, WorkerCategory.MONITORED)
        post = rng.choice(reserved if assisted and reserved else open_posts or posts)
        if n < fair_quota and fairs:
            fair = fairs[n % len(fairs)]
            source, broker, start = PlacementSource.JOB_FAIR, None, max(fair.date, window_start - timedelta(days=400))
        else:
            fair = None
            roll = rng.random()
            source = (PlacementSource.BROKER if roll < 0.6 else PlacementSource.PARTNER if roll < 0.65
                      else PlacementSource.DIRECT)
            broker = rng.choice(brokers) if source == PlacementSource.BROKER else None
            start = window_start - timedelta(days=rng.randrange(0, 500))
        start = min(start, window_start)
        rows.append(Placement(worker=worker, workshop_id=post.workshop_id, post=post, broker=broker, job_fair=fair,
                              source=source, start_date=start, monthly_wage=post.monthly_wage))
    Placement.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  {len(rows)} placements ({fair_quota} from job fairs)")
    return rows


def seed_referrals(ctx, placements, posts, workers):
    """Every broker and job-fair placement came from a hired referral; about 5 % more were declined."""
    rng = ctx.rng
    rows = []
    for p in placements:
        if p.source in (PlacementSource.BROKER, PlacementSource.JOB_FAIR):
            proposed = p.start_date - timedelta(days=rng.randrange(3, 20))
            rows.append(Referral(broker=p.broker, worker=p.worker, post=p.post, job_fair=p.job_fair,
                                 proposed_on=proposed, outcome=ReferralOutcome.HIRED, decided_on=p.start_date,
                                 placement=p))
    hired = len(rows)
    declined = round(hired * (1 - MATCH_RATE) / MATCH_RATE)
    spare = workers[len(placements):] or workers
    for n in range(declined + ctx.scaled(60)):
        post = rng.choice(posts)
        pending = n >= declined
        proposed = timezone.localdate() - timedelta(days=rng.randrange(5, 300))
        rows.append(Referral(worker=spare[n % len(spare)], post=post, proposed_on=proposed,
                             outcome=ReferralOutcome.PENDING if pending else ReferralOutcome.DECLINED,
                             decided_on=None if pending else proposed + timedelta(days=5),
                             reason="" if pending else "岗位技能不匹配"))
    Referral.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  {len(rows)} referrals: {hired} hired, {declined} declined")


def seed_payroll(ctx, placements):
    rng = ctx.rng
    current = timezone.localdate().replace(day=1)
    months = [add_months(current, -k) for k in range(PAYROLL_MONTHS, 0, -1)]
    batch, total = [], 0
    for index, p in enumerate(placements):
        # A third of the placements carry employer-paid social insurance (the workshops' contract workers;
        # the rest are casual village workers). With the subsidies demo this makes the two oldest months
        # pay the article's 12.68 M yuan at scale 1 (subsidies/demo.py).
        insured = (index + 1) % 3 == 0  # by position, not pk: a database's sequences do not restart
        for month in months:
            if month_end(month) < p.start_date:
                continue
            wage = Decimal(max(2000, round(rng.gauss(3200, 350), -1)))
            batch.append(Payroll(placement=p, month=month, days_worked=rng.randrange(18, 27), wage_paid=wage,
                                 employer_social_insurance=EMPLOYER_INSURANCE if insured else Decimal("0")))
        if len(batch) >= 5000:
            Payroll.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    Payroll.objects.bulk_create(batch)
    total += len(batch)
    ctx.log(f"  {total} payroll rows over {len(months)} months")


def seed_follow_ups(ctx, placements):
    demo_broker = User.objects.get(username="broker")
    rows = [FollowUp(placement=p, visited_on=p.start_date + timedelta(days=30), still_employed=True,
                     note="工作稳定，收入按月发放", visited_by=demo_broker if p.broker_id else None)
            for p in placements[:: max(1, len(placements) // max(1, ctx.scaled(3000)))]]
    FollowUp.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  {len(rows)} follow-up visits")


def seed_trainings(ctx, workshops, workers):
    rng = ctx.rng
    trainings = []
    for kind, count, label in ((TrainingKind.BRAND, ctx.scaled(30), "“万源巧手”劳务品牌培训"),
                               (TrainingKind.SKILLS, ctx.scaled(50), "东西部协作技能培训")):
        for n in range(count):
            start = date(2024, 3, 1) + timedelta(days=rng.randrange(0, 500))
            trainings.append(Training(name=f"{label}第{n + 1}期", kind=kind, organizer_workshop=rng.choice(workshops),
                                      start_date=start, end_date=start + timedelta(days=rng.randrange(5, 30))))
    Training.objects.bulk_create(trainings)
    levels = [CertificateLevel.NONE, CertificateLevel.ENTRY, CertificateLevel.ENTRY, CertificateLevel.INTERMEDIATE,
              CertificateLevel.ADVANCED]
    rows = []
    for kind, total in ((TrainingKind.BRAND, ctx.scaled(BRAND_COMPLETIONS)),
                        (TrainingKind.SKILLS, ctx.scaled(SKILLS_COMPLETIONS))):
        pool = [t for t in trainings if t.kind == kind]
        offset = rng.randrange(len(workers))
        for n in range(total):
            training = pool[n % len(pool)]
            # Worker index stepped by the number of courses: one completion per (worker, course).
            worker = workers[(offset + n) % len(workers)]
            rows.append(TrainingCompletion(training=training, worker=worker, completed_on=training.end_date,
                                           certificate_level=levels[n % len(levels)]))
    TrainingCompletion.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  {len(trainings)} trainings, {len(rows)} completions")


def seed_returnees(ctx, workers):
    rng = ctx.rng
    enterprises = [Enterprise(name=f"返乡创业{Industry.labels[n % 5]}经营部{n + 1}",
                              credit_code=credit_code_for("511781", 800_000 + n), origin=Origin.LOCAL,
                              industry=Industry.values[n % len(Industry.values)])
                   for n in range(ctx.scaled(RETURNEE_ENTERPRISES))]
    Enterprise.objects.bulk_create(enterprises)
    chosen = workers[-ctx.scaled(RETURNEES):]
    rows = [Returnee(worker=w, returned_on=date(2023, 1, 1) + timedelta(days=rng.randrange(0, 900)),
                     enterprise=enterprises[n] if n < len(enterprises) else None) for n, w in enumerate(chosen)]
    Returnee.objects.bulk_create(rows)
    Worker.objects.filter(pk__in=[w.pk for w in chosen]).update(returnee=True)
    ctx.log(f"  {len(rows)} returnees, {len(enterprises)} enterprises founded")


# East labour cooperation: the Putuo liaison station ----------------------------------------------------
# Share of the county's workers who take a job in the east through the station: 3 % (870 at scale 1),
# taken from the workers with no local placement and not returnees. Its own random source, so the rest of
# the demo (and the subsidies it pays) stays as it was.
OUTBOUND_SHARE = 0.03
OUTBOUND_RETURNED = 0.20  # of them back home, after 2 to 10 months
OUTBOUND_VISITED = 0.85  # of the visits due, recorded (the rest show on the station's overdue list)
EAST_CITIES = ("舟山市普陀区", "舟山市定海区", "宁波市北仑区", "杭州市萧山区")
EAST_TITLES = ("水产品加工工", "船舶焊工", "电子装配工", "物流分拣员", "酒店服务员")
RETURN_REASONS = ("家中老人需要照顾", "合同期满", "返乡创业", "身体原因")


def seed_outbound(ctx, workers, brokers):
    rng = random.Random(f"outbound-{ctx.scale}")
    station = demo_user(ctx, "station", Role.LIAISON_STATION)
    today = timezone.localdate()
    east = list(Enterprise.objects.filter(origin=Origin.EAST).order_by("pk"))
    if not east:
        east = [Enterprise.objects.create(name="舟山普陀海洋食品有限公司", credit_code=credit_code_for("330903", 9001),
                                          origin=Origin.EAST, industry=Industry.values[0])]
    posts = [EastPost(enterprise=e, province="浙江省", city=EAST_CITIES[(i + k) % len(EAST_CITIES)],
                      title=EAST_TITLES[(i + k) % len(EAST_TITLES)],
                      monthly_wage=Decimal(4800 + 200 * rng.randrange(0, 11)), vacancies=rng.randrange(10, 60),
                      is_open=(i + k) % 7 != 6)
             for i, e in enumerate(east) for k in range(2)]
    EastPost.objects.bulk_create(posts)
    pool = workers[ctx.scaled(PLACED): len(workers) - ctx.scaled(RETURNEES)]
    count = min(len(pool), max(1, round(OUTBOUND_SHARE * len(workers))))
    chosen = pool[:count]
    by_village = {}
    for b in brokers:
        by_village.setdefault(b.village_id, b)
    rows = []
    for worker in chosen:
        post = posts[rng.randrange(len(posts))]
        start = today - timedelta(days=rng.randrange(20, 540))
        returned = rng.random() < OUTBOUND_RETURNED
        back = start + timedelta(days=rng.randrange(60, 300)) if returned else None
        if back is not None and back >= today:
            back = None
        rows.append(OutboundPlacement(
            worker=worker, enterprise_id=post.enterprise_id, east_post=post, broker=by_village.get(worker.village_id),
            province=post.province, city=post.city, post_title=post.title, start_date=start,
            monthly_wage=post.monthly_wage, return_date=back, return_reason=rng.choice(RETURN_REASONS) if back else "",
            status=OutboundStatus.RETURNED if back else OutboundStatus.WORKING))
    OutboundPlacement.objects.bulk_create(rows, batch_size=2000)
    referrals = [OutboundReferral(worker=p.worker, east_post=p.east_post, broker=p.broker,
                                  proposed_on=p.start_date - timedelta(days=10), outcome=ReferralOutcome.HIRED,
                                  decided_on=p.start_date - timedelta(days=3), placement=p)
                 for p in rows if p.broker is not None]
    pending_pool = pool[count:]
    open_posts = [p for p in posts if p.is_open]
    for worker in pending_pool[: max(1, count // 10)]:
        referrals.append(OutboundReferral(worker=worker, east_post=open_posts[rng.randrange(len(open_posts))],
                                          broker=by_village.get(worker.village_id),
                                          proposed_on=today - timedelta(days=rng.randrange(1, 30))))
    OutboundReferral.objects.bulk_create(referrals, batch_size=2000)
    visits = []
    for p in rows:
        for months in VISIT_MONTHS:
            due = months_after(p.start_date, months)
            if due <= today and (p.return_date is None or due < p.return_date) and rng.random() < OUTBOUND_VISITED:
                visited = min(due + timedelta(days=rng.randrange(0, 10)), today)
                visits.append(OutboundVisit(placement=p, milestone=months, visited_on=visited, visited_by=station,
                                            note="电话回访，工作稳定" if months == 1 else "实地走访，收入按时发放"))
    OutboundVisit.objects.bulk_create(visits, batch_size=2000)
    ctx.log(f"  {len(posts)} east posts, {len(rows)} workers placed in the east through the liaison station "
            f"({sum(1 for p in rows if p.return_date is None)} there today), {len(referrals)} east referrals, "
            f"{len(visits)} follow-up visits (the demo login `station`)")

