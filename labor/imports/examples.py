"""The example row of each downloadable template, using a village and workshop the user may use."""

from accounts.scoping import scoped
from regions.models import Village

from .lookups import workshops_for

EXAMPLE_ID = "34052419800101001X"


def example_row(kind: str, user) -> list:
    village = scoped(Village.objects.order_by("code"), user).first()
    by_id, _by_name = workshops_for(user)
    workshop = min(by_id) if by_id else ""
    if kind == "workers":
        return [EXAMPLE_ID, "李明", "13900001111", village.code if village else "511781102001", "脱贫人口", "否"]
    if kind == "placements":
        return [EXAMPLE_ID, workshop, "2026-03-01", "3200.00", "", ""]
    return [EXAMPLE_ID, workshop, "2026-03", 22, "3200.00", "480.00"]
