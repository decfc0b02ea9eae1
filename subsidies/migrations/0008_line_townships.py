"""Every line gets its township: until now every line had a workshop, whose village's township it is."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    SubsidyLine = apps.get_model("subsidies", "SubsidyLine")
    Workshop = apps.get_model("workshops", "Workshop")
    township = Workshop.objects.filter(pk=OuterRef("workshop_id")).values("village__township_id")[:1]
    # Approved and paid lines never change through the model; a queryset update is the migration's.
    SubsidyLine.objects.filter(township__isnull=True, workshop__isnull=False).update(township_id=Subquery(township))


class Migration(migrations.Migration):

    dependencies = [
        ("subsidies", "0007_lines_beyond_workshops"),
        ("workshops", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
