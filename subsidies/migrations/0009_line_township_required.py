import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("subsidies", "0008_line_townships"),
    ]

    operations = [
        migrations.AlterField(
            model_name="subsidyline",
            name="township",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="subsidy_lines",
                                    to="regions.township", verbose_name="township"),
        ),
    ]
