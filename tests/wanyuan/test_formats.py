"""Numbers on pages, in Chinese: grouped by thousands like the county's payment vouchers."""

from django.template import Context, Template
from django.utils import translation


def test_counts_and_yuan_are_grouped_by_thousands_in_chinese():
    template = Template("{% load humanize %}{{ n|intcomma }} {{ m|floatformat:2|intcomma }}")
    with translation.override("zh-hans"):
        assert template.render(Context({"n": 32000, "m": "12680000.5"})) == "32,000 12,680,000.50"
