"""`{% render_lean_table table %}`: core.tables' rendering of a django-tables2 table (the same HTML as
`{% render_table table %}` with the bootstrap 5 responsive template, for less CPU)."""

from django import template

from core import tables

register = template.Library()


@register.simple_tag(takes_context=True)
def render_lean_table(context, table):
    return tables.render_table(table, context=context, request=context.get("request"))
