"""Load the default policy WY-2026 (DOMAIN.md, "Default subsidy policy")."""

from datetime import date
from decimal import Decimal

from django.db import migrations

ASSISTED = ["poverty_alleviated", "monitored"]

RULES = [
    {"component": "hiring_award", "eligible_categories": ASSISTED, "amount": Decimal("1000.00"),
     "yearly_workshop_cap": Decimal("50000.00"), "qualifying_month": 6},
    {"component": "social_insurance", "eligible_categories": [*ASSISTED, "hard_to_employ"],
     "monthly_cap": Decimal("600.00"), "month_limit": 36},
    {"component": "job_subsidy", "eligible_categories": ASSISTED, "amount": Decimal("300.00"), "month_limit": 12},
    {"component": "training", "eligible_categories": [],
     "certificate_amounts": {"none": "300.00", "entry": "1000.00", "intermediate": "1500.00",
                             "advanced": "2000.00"}},
]


def load(apps, schema_editor):
    Policy = apps.get_model("subsidies", "Policy")
    Rule = apps.get_model("subsidies", "Rule")
    policy, created = Policy.objects.get_or_create(code="WY-2026", defaults={
        "name": "万源市就业帮扶车间奖补政策",
        "document_number": "WY-2026",
        "effective_from": date(2024, 1, 1),
        "effective_to": None,
        "min_monthly_wage": Decimal("2000.00"),
        "min_days": 15,
        "min_age": 16,
        "max_age": 65,
    })
    if created:
        Rule.objects.bulk_create([Rule(policy=policy, **rule) for rule in RULES])


def unload(apps, schema_editor):
    Policy = apps.get_model("subsidies", "Policy")
    Policy.objects.filter(code="WY-2026", runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
