"""Load the default guarantee-loan limits (DOMAIN.md, policy section): an individual up to 200,000
yuan, a small firm up to 3,000,000, a term up to 36 months."""

from datetime import date
from decimal import Decimal

from django.db import migrations

DEFAULTS = {
    "name": "万源市创业担保贷款额度",
    "document_number": "WY-LOAN-2026",
    "effective_from": date(2024, 1, 1),
    "effective_to": None,
    "individual_max": Decimal("200000.00"),
    "firm_max": Decimal("3000000.00"),
    "max_term_months": 36,
}


def load(apps, schema_editor):
    LoanPolicy = apps.get_model("loans", "LoanPolicy")
    LoanPolicy.objects.get_or_create(code="WY-LOAN-2026", defaults=DEFAULTS)


def unload(apps, schema_editor):
    apps.get_model("loans", "LoanPolicy").objects.filter(code="WY-LOAN-2026", loans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
