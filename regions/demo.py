"""Demo villages: 298 across the 31 township units at scale 1 (names are generated)."""

from accounts.demo import demo_user

from .models import Township, Village

VILLAGES_AT_SCALE_1 = 298
FIRST = "青白黑金红龙凤石柏桃李梨竹松柳花茶泉溪河岩坪坝湾岭垭"
SECOND = "林山坪坝湾岭沟口坡园庙桥寨塘湖田垭峰"


def seed(ctx):
    townships = list(Township.objects.order_by("code"))
    total = max(len(townships), ctx.scaled(VILLAGES_AT_SCALE_1))
    per_township = [total // len(townships)] * len(townships)
    for index in range(total % len(townships)):
        per_township[index] += 1
    villages = []
    for township, count in zip(townships, per_township, strict=True):
        names = set()
        for number in range(1, count + 1):
            while True:
                name = ctx.rng.choice(FIRST) + ctx.rng.choice(SECOND)
                if name not in names:
                    names.add(name)
                    break
            community = township.kind == "subdistrict" or number == 1 and ctx.rng.random() < 0.3
            villages.append(Village(
                code=f"{township.code}{number:03d}",
                name=name + ("社区" if community else "村"),
                township=township,
                kind="community" if community else "village",
            ))
    Village.objects.bulk_create(villages)
    ctx.data["villages"] = villages
    ctx.log(f"  {len(villages)} villages in {len(townships)} township units")
    seed_users(ctx)


def seed_users(ctx):
    """One demo user per role but the workshop operator, whom workshops/demo.py adds with its
    workshop. The township officer and broker work in 旧院镇, home of the black chicken."""
    township = Township.objects.get(code="511781102")
    demo_user(ctx, "admin", "county_admin")
    demo_user(ctx, "county", "county_officer")
    demo_user(ctx, "township", "township_officer", township=township)
    demo_user(ctx, "broker", "broker", village=township.villages.order_by("code").first())
    demo_user(ctx, "partner", "partner")
    ctx.data["demo_township"] = township
