from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("County administrator")
    COUNTY_OFFICER = "county_officer", _("County officer")
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    BROKER = "broker", _("Labour broker")
    WORKSHOP_OPERATOR = "workshop_operator", _("Workshop operator")
    PARTNER = "partner", _("Partner system")
    LIAISON_STATION = "liaison_station", _("East labour liaison station")


# County-wide, without a township, yet not county staff: the Putuo liaison station reads and writes
# the outbound (east) records of the whole county and nothing else (accounts.scoping.STATION_MODELS).
STATION_ROLES = frozenset({Role.LIAISON_STATION})


COUNTY_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_OFFICER})
