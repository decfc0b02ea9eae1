"""Demo industries at scale 1 (DOMAIN.md): 16 east enterprises among the rest, 8 production bases,
the 6 brands, yearly outputs (black chicken 50 M, tea 200 M yuan), livestreams adding up to about
29.11 M yuan since 2024, east-market sales of 142 M yuan a year, 359.8 M yuan of cooperation funds.
Sums over generated rows scale with --scale; everything is written with bulk_create."""

from datetime import date, timedelta
from decimal import Decimal

from regions.models import Township

from .choices import BrandKind, Industry, Origin
from .credit_code import check_character
from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase

FEN = Decimal("0.01")
EAST_ENTERPRISES = 16
LOCAL_ENTERPRISES = 44
LIVESTREAM_SESSIONS = 8000
LIVESTREAM_SALES = Decimal("29110000")
EAST_SALES_A_YEAR = Decimal("142000000")
COOPERATION_FUNDS = Decimal("359800000")
COOPERATION_PROJECTS = 40
OUTPUTS_2025 = {  # yuan a year; black chicken and tea are the article's figures
    Industry.TEA: Decimal("200000000"), Industry.BLACK_CHICKEN: Decimal("50000000"),
    Industry.HERBS: Decimal("36000000"), Industry.FRUIT_VEG: Decimal("42000000"),
    Industry.GRAIN_OIL: Decimal("28000000"), Industry.OTHER: Decimal("15000000"),
}
BRANDS = [
    ("百里坡旧院黑鸡", Industry.BLACK_CHICKEN, BrandKind.REGIONAL),
    ("魏李好李子酒", Industry.FRUIT_VEG, BrandKind.PRODUCT),
    ("冻干闪萃绿茶", Industry.TEA, BrandKind.PRODUCT),
    ("巴山青", Industry.TEA, BrandKind.REGIONAL),
    ("富硒茶", Industry.TEA, BrandKind.REGIONAL),
    ("萼贝", Industry.HERBS, BrandKind.PRODUCT),
]
BASES = [
    ("旧院黑鸡养殖基地", Industry.BLACK_CHICKEN, "511781102"),
    ("白果黑鸡繁育基地", Industry.BLACK_CHICKEN, "511781118"),
    ("石塘富硒茶基地", Industry.TEA, "511781114"),
    ("大竹茶叶基地", Industry.TEA, "511781107"),
    ("魏家蓝莓基地", Industry.FRUIT_VEG, "511781117"),
    ("井溪粮油基地", Industry.GRAIN_OIL, "511781120"),
    ("太平中药材基地", Industry.HERBS, "511781100"),
    ("青花中药材基地", Industry.HERBS, "511781101"),
]
FIVE_COLOURS = [Industry.TEA, Industry.HERBS, Industry.BLACK_CHICKEN, Industry.FRUIT_VEG, Industry.GRAIN_OIL]
NAME_HEADS = "巴山万源大巴秦巴龙潭八台蜂桶鹰背紫溪青花白沙"
NAME_TAILS = ["农业开发有限公司", "生态农业有限公司", "食品有限公司", "茶业有限公司", "科技有限公司", "制品有限公司"]


def credit_code_for(region: str, n: int) -> str:
    first17 = f"91{region}{n:09d}"
    return first17 + check_character(first17)


def split_total(ctx, total: Decimal, parts: int) -> list[Decimal]:
    """`parts` random amounts to the fen that add up to exactly `total`."""
    weights = [ctx.rng.uniform(0.3, 1.7) for _ in range(parts)]
    scale = total / Decimal(str(sum(weights)))
    amounts = [(Decimal(str(w)) * scale).quantize(FEN) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def seed(ctx):
    townships = list(Township.objects.order_by("code"))
    enterprises = seed_enterprises(ctx, townships)
    seed_bases_and_brands(ctx, enterprises)
    seed_outputs(ctx)
    seed_livestreams(ctx)
    seed_east_sales(ctx, enterprises)
    seed_cooperation_funds(ctx, townships)


def seed_enterprises(ctx, townships):
    rows = []
    for n in range(ctx.scaled(EAST_ENTERPRISES)):
        rows.append(Enterprise(
            name=f"舟山普陀{NAME_HEADS[n % len(NAME_HEADS)]}{NAME_TAILS[n % len(NAME_TAILS)]}{n + 1}",
            credit_code=credit_code_for("330903", n + 1), origin=Origin.EAST,
            industry=FIVE_COLOURS[n % 5] if n % 4 else Industry.OTHER, contact=f"联系人{n + 1}",
            township=ctx.rng.choice(townships),
        ))
    for n in range(ctx.scaled(LOCAL_ENTERPRISES)):
        rows.append(Enterprise(
            name=f"万源{NAME_HEADS[(n * 3) % len(NAME_HEADS)]}{NAME_TAILS[n % len(NAME_TAILS)]}{n + 1}",
            credit_code=credit_code_for("511781", n + 1), origin=Origin.LOCAL,
            industry=FIVE_COLOURS[n % 5] if n % 6 else Industry.OTHER, contact=f"联系人{n + 101}",
            township=townships[n % len(townships)],
        ))
    Enterprise.objects.bulk_create(rows)
    ctx.data["enterprises"] = rows
    ctx.log(f"  {len(rows)} enterprises ({ctx.scaled(EAST_ENTERPRISES)} from the east)")
    return rows


def _by_industry(enterprises, industry):
    return next((e for e in enterprises if e.industry == industry), enterprises[0])


def seed_bases_and_brands(ctx, enterprises):
    townships = {t.code: t for t in Township.objects.all()}
    ProductionBase.objects.bulk_create([
        ProductionBase(name=name, industry=industry, township=townships[code],
                       enterprise=_by_industry(enterprises, industry),
                       area_mu=Decimal(ctx.rng.randrange(800, 12000)), established_on=date(2016 + i % 7, 3, 1))
        for i, (name, industry, code) in enumerate(BASES)
    ])
    Brand.objects.bulk_create([
        Brand(name=name, industry=industry, kind=kind,
              owner=None if kind == BrandKind.REGIONAL else _by_industry(enterprises, industry))
        for name, industry, kind in BRANDS
    ])
    ctx.log(f"  {len(BASES)} production bases, {len(BRANDS)} brands")


def seed_outputs(ctx):
    rows = []
    for industry, value in OUTPUTS_2025.items():
        for year, factor in ((2023, Decimal("0.82")), (2024, Decimal("0.91")), (2025, Decimal("1"))):
            rows.append(IndustryOutput(industry=industry, year=year, output_value=(value * factor).quantize(FEN)))
    IndustryOutput.objects.bulk_create(rows)


def seed_livestreams(ctx):
    villages = ctx.data["villages"]
    count = ctx.scaled(LIVESTREAM_SESSIONS)
    total = (LIVESTREAM_SALES * Decimal(str(ctx.scale))).quantize(FEN)
    first, days = date(2024, 1, 1), (date(2025, 12, 31) - date(2024, 1, 1)).days
    rooms = villages[: max(1, min(len(villages), 298))]
    rows = [
        Livestream(village=ctx.rng.choice(rooms), date=first + timedelta(days=ctx.rng.randrange(days)),
                   host=f"主播{ctx.rng.randrange(1, 300)}", orders=0, sales=amount)
        for amount in split_total(ctx, total, count)
    ]
    for row in rows:
        row.orders = max(1, int(row.sales / Decimal("85")))
    Livestream.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  {len(rows)} livestream sessions, {total} yuan since 2024")


def seed_east_sales(ctx, enterprises):
    east = [e for e in enterprises if e.origin == Origin.EAST]
    total = (EAST_SALES_A_YEAR * Decimal(str(ctx.scale))).quantize(FEN)
    rows = []
    for year in (2024, 2025):
        for enterprise, amount in zip(east, split_total(ctx, total, len(east)), strict=True):
            rows.append(EastMarketSale(enterprise=enterprise, year=year, amount=amount))
    EastMarketSale.objects.bulk_create(rows)


def seed_cooperation_funds(ctx, townships):
    count = ctx.scaled(COOPERATION_PROJECTS)
    total = (COOPERATION_FUNDS * Decimal(str(ctx.scale))).quantize(FEN)
    purposes = ["产业园区基础设施", "帮扶车间建设", "冷链物流", "黑鸡良种繁育", "茶园提质改造", "劳务协作站运行"]
    rows = [
        CooperationFund(year=2021 + n % 5, project=f"东西部协作项目{n + 1:02d}：{purposes[n % len(purposes)]}",
                        amount=amount, purpose=purposes[n % len(purposes)],
                        township=None if n % 5 == 0 else ctx.rng.choice(townships))
        for n, amount in enumerate(split_total(ctx, total, count))
    ]
    CooperationFund.objects.bulk_create(rows)
    ctx.log(f"  {count} cooperation-fund projects, {total} yuan")
