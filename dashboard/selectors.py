"""The county's figures across apps (read only)."""

from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from regions.models import Township, Village


def county_counts(*, user) -> list[dict]:
    """Headline counts, each limited to what the user may see."""
    figures = [
        ("townships", _("Township units"), scoped(Township.objects.all(), user)),
        ("villages", _("Villages and communities"), scoped(Village.objects.all(), user)),
    ]
    return [{"key": key, "label": label, "value": qs.count()} for key, label, qs in figures]
