"""Django's zh_Hans formats, with the grouping county finance offices use for yuan: 12,680,000.00."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
