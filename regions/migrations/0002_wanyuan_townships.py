from django.db import migrations

# Frozen copy of regions/units.py as of this migration: a migration must not change if the
# module does later.
UNITS = [
    ("511781001", "古东关街道", "subdistrict"),
    ("511781100", "太平镇", "town"), ("511781101", "青花镇", "town"), ("511781102", "旧院镇", "town"),
    ("511781103", "罗文镇", "town"), ("511781104", "河口镇", "town"), ("511781105", "草坝镇", "town"),
    ("511781106", "竹峪镇", "town"), ("511781107", "大竹镇", "town"), ("511781108", "黄钟镇", "town"),
    ("511781109", "官渡镇", "town"), ("511781110", "白沙镇", "town"), ("511781111", "沙滩镇", "town"),
    ("511781112", "石窝镇", "town"), ("511781113", "八台镇", "town"), ("511781114", "石塘镇", "town"),
    ("511781115", "铁矿镇", "town"), ("511781116", "大沙镇", "town"), ("511781117", "魏家镇", "town"),
    ("511781118", "白果镇", "town"), ("511781119", "长坝镇", "town"), ("511781120", "井溪镇", "town"),
    ("511781121", "鹰背镇", "town"), ("511781123", "永宁镇", "town"), ("511781124", "固军镇", "town"),
    ("511781125", "黑宝山镇", "town"),
    ("511781207", "蜂桶乡", "township"), ("511781210", "曾家乡", "township"), ("511781216", "玉带乡", "township"),
    ("511781226", "庙子乡", "township"), ("511781228", "紫溪乡", "township"),
]


def load(apps, schema_editor):
    Township = apps.get_model("regions", "Township")
    for code, name, kind in UNITS:
        Township.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})


def unload(apps, schema_editor):
    apps.get_model("regions", "Township").objects.filter(code__in=[code for code, _, _ in UNITS]).delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
