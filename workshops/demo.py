"""Demo workshops at scale 1 (DOMAIN.md): 17 assistance + 30 processing workshops over the 31
townships, 27 on reused idle assets, posts totalling 32,000 of which 16,400 reserved, 1+N liaisons,
42 resolved difficulties (and a few open). Labour placements are seeded later, so the workshops are
certified by history written directly, dated early 2024; the last two processing workshops stay
applied so the certification workflow can be tried."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.demo import demo_user
from industries.choices import Industry

from .choices import (
    CertificationAction,
    DifficultyCategory,
    DifficultyStatus,
    WorkshopForm,
    WorkshopKind,
    WorkshopStatus,
)
from .models import CertificationEvent, Difficulty, Liaison, Post, Workshop

ASSISTANCE, PROCESSING = 17, 30
IDLE_ASSETS = 27
POSTS_TOTAL, POSTS_RESERVED = 32_000, 16_400
POSTS_PER_WORKSHOP = 4
RESOLVED_DIFFICULTIES, OPEN_DIFFICULTIES = 42, 5
DEPARTMENTS = ["县人社局", "县农业农村局", "县乡村振兴局", "县经信局", "县供电公司", "县自然资源局", "县商务局",
               "县金融工作局"]
TITLES = {
    Industry.TEA: ["采茶工", "制茶工", "包装工", "茶园管护员"],
    Industry.HERBS: ["药材种植工", "药材初加工工", "分拣工", "仓管员"],
    Industry.BLACK_CHICKEN: ["黑鸡饲养员", "鸡苗孵化工", "屠宰分割工", "冷链包装工"],
    Industry.FRUIT_VEG: ["果蔬采摘工", "分拣包装工", "大棚管护员", "果酒酿造工"],
    Industry.GRAIN_OIL: ["粮油加工工", "榨油工", "包装工", "仓管员"],
    Industry.OTHER: ["玩具组装工", "质检员", "手工编织工", "电子元件装配工"],
}
SHORT = {Industry.TEA: "茶叶", Industry.HERBS: "药材", Industry.BLACK_CHICKEN: "黑鸡", Industry.FRUIT_VEG: "果蔬",
         Industry.GRAIN_OIL: "粮油", Industry.OTHER: "玩具"}
CERTIFIED_SINCE = date(2024, 1, 15)
DEMO_REASON = "demo: certified before the portal"


def split_count(ctx, total: int, parts: int) -> list[int]:
    """`parts` positive integers adding up to `total` (total >= parts)."""
    weights = [ctx.rng.uniform(0.5, 1.5) for _ in range(parts)]
    counts = [max(1, int(total * w / sum(weights))) for w in weights]
    counts[-1] = max(1, counts[-1] + total - sum(counts))
    return counts


def seed(ctx):
    workshops = seed_workshops(ctx)
    seed_posts(ctx, workshops)
    seed_liaisons_and_difficulties(ctx, workshops)
    seed_certification(ctx, workshops)
    township = ctx.data.get("demo_township")
    mine = next((w for w in workshops if township and w.village.township_id == township.pk), workshops[0])
    demo_user(ctx, "operator", "workshop_operator", workshop=mine)


def seed_workshops(ctx):
    villages_by_township = {}
    for village in ctx.data["villages"]:
        villages_by_township.setdefault(village.township_id, []).append(village)
    township_ids = sorted(villages_by_township)
    # The demo township (旧院, black chicken) comes first so its officer and operator have work.
    demo = ctx.data.get("demo_township")
    if demo and demo.pk in villages_by_township:
        township_ids.remove(demo.pk)
        township_ids.insert(0, demo.pk)
    enterprises = ctx.data["enterprises"]
    kinds = [WorkshopKind.ASSISTANCE] * ctx.scaled(ASSISTANCE) + [WorkshopKind.PROCESSING] * ctx.scaled(PROCESSING)
    idle = ctx.scaled(IDLE_ASSETS)
    rows = []
    for n, kind in enumerate(kinds):
        village = ctx.rng.choice(villages_by_township[township_ids[n % len(township_ids)]])
        if n == 0:
            industry = Industry.BLACK_CHICKEN
        elif kind == WorkshopKind.PROCESSING and n % 3 == 0:
            industry = Industry.OTHER
        else:
            industry = ctx.rng.choice([i for i in Industry.values if i != Industry.OTHER])
        enterprise = next((e for e in enterprises if e.industry == industry and ctx.rng.random() < 0.5),
                          ctx.rng.choice(enterprises))
        form = WorkshopForm.HOME_BASED if industry == Industry.OTHER and n % 2 else (
            WorkshopForm.CENTRALIZED if kind == WorkshopKind.ASSISTANCE and n % 3 == 0 else WorkshopForm.VILLAGE_SITE)
        label = "帮扶车间" if kind == WorkshopKind.ASSISTANCE else "加工车间"
        rows.append(Workshop(
            name=f"{village.name}{SHORT[industry]}{label}", kind=kind, form=form, industry=industry,
            enterprise=enterprise, village=village, address=f"{village.name}{n % 9 + 1}组",
            opened_on=date(2019 + n % 5, 1 + n % 12, 1), reuses_idle_asset=n < idle,
        ))
    names = set()
    for row in rows:  # names stay unique and readable
        base, suffix = row.name, 2
        while row.name in names:
            row.name, suffix = f"{base}{suffix}", suffix + 1
        names.add(row.name)
    Workshop.objects.bulk_create(rows)
    ctx.data["workshops"] = rows
    ctx.log(f"  {len(rows)} workshops ({ctx.scaled(ASSISTANCE)} assistance), {min(idle, len(rows))} on idle assets")
    return rows


def seed_posts(ctx, workshops):
    slots = len(workshops) * POSTS_PER_WORKSHOP
    reserved_posts = slots // 2
    reserved = split_count(ctx, max(ctx.scaled(POSTS_RESERVED), reserved_posts), reserved_posts)
    others = split_count(ctx, max(ctx.scaled(POSTS_TOTAL) - sum(reserved), slots - reserved_posts),
                         slots - reserved_posts)
    rows = []
    for workshop in workshops:
        titles = TITLES[workshop.industry]
        for k in range(POSTS_PER_WORKSHOP):
            is_reserved = k < POSTS_PER_WORKSHOP // 2
            headcount = reserved.pop() if is_reserved else others.pop()
            rows.append(Post(workshop=workshop, title=titles[k], headcount=headcount, reserved=is_reserved,
                             monthly_wage=Decimal(2600 + 100 * ctx.rng.randrange(0, 13))))
    Post.objects.bulk_create(rows)
    ctx.data["posts"] = rows
    ctx.log(f"  {len(rows)} posts, {sum(p.headcount for p in rows)} places "
            f"({sum(p.headcount for p in rows if p.reserved)} reserved)")


def seed_liaisons_and_difficulties(ctx, workshops):
    liaisons = []
    for workshop in workshops:
        for department in ctx.rng.sample(DEPARTMENTS, ctx.rng.randrange(2, 5)):
            liaisons.append(Liaison(workshop=workshop, department=department,
                                    contact_person=f"{department[1:3]}联络员{ctx.rng.randrange(1, 50)}",
                                    phone=f"0818-86{ctx.rng.randrange(10000, 99999)}"))
    Liaison.objects.bulk_create(liaisons)
    categories = DifficultyCategory.values
    texts = {
        "labour": ("农忙季节用工短缺", "劳务经纪人定向输送工人"),
        "electricity": ("生产用电容量不足", "供电公司增容改造"),
        "land": ("扩建用地指标不足", "盘活闲置村小作为厂房"),
        "credit": ("流动资金周转困难", "发放创业担保贷款"),
        "other": ("产品销路不畅", "对接东部市场直播带货"),
    }
    rows = []
    for n in range(ctx.scaled(RESOLVED_DIFFICULTIES) + ctx.scaled(OPEN_DIFFICULTIES)):
        category = categories[n % len(categories)]
        raised = date(2024, 1, 10) + timedelta(days=ctx.rng.randrange(0, 600))
        resolved = n < ctx.scaled(RESOLVED_DIFFICULTIES)
        rows.append(Difficulty(
            workshop=workshops[n % len(workshops)], category=category, description=texts[category][0],
            raised_on=raised, status=DifficultyStatus.RESOLVED if resolved else DifficultyStatus.OPEN,
            resolved_on=raised + timedelta(days=ctx.rng.randrange(5, 60)) if resolved else None,
            resolution=texts[category][1] if resolved else "", responsible_department=ctx.rng.choice(DEPARTMENTS),
        ))
    Difficulty.objects.bulk_create(rows)
    ctx.log(f"  {len(liaisons)} liaisons, {len(rows)} difficulties ({ctx.scaled(RESOLVED_DIFFICULTIES)} resolved)")


def seed_certification(ctx, workshops):
    applied = [w for w in workshops if w.kind == WorkshopKind.PROCESSING][-2:] if len(workshops) > 10 else []
    certified = [w for w in workshops if w not in applied]
    CertificationEvent.objects.bulk_create([
        CertificationEvent(workshop=w, action=CertificationAction.CERTIFIED,
                           effective_date=CERTIFIED_SINCE + timedelta(days=n % 30), override=True, reason=DEMO_REASON)
        for n, w in enumerate(certified)
    ])
    Workshop.objects.filter(pk__in=[w.pk for w in certified]).update(status=WorkshopStatus.CERTIFIED)
    for workshop in certified:
        workshop.status = WorkshopStatus.CERTIFIED
    ctx.log(f"  {len(certified)} workshops certified since early 2024, {len(applied)} applied")
