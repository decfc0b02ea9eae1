"""Lean rendering of django-tables2 tables: the same HTML as the library's bootstrap 5 template, for a
fraction of the CPU.

Why: a 50-row list page spent 70–100 ms rendering its table. The library renders every cell through
`BoundRow.items()`, which for each cell calls `inspect.signature()` on the column's `render` (to pass it only
the arguments it asks for), recomputes the column's `attrs` (dicts copied, classes sorted), looks up the
model field behind the accessor, and then the template walks each cell through three `{% if %}` tags and
`{{ column.attrs.td.as_html }}`.

What this module does instead, per table render:
- the column signatures are computed once per function (`signature`, cached; the library's own
  `utils.signature` computes them, so the answer is the library's);
- each column's `<td>` attributes are computed once when they cannot vary per cell (no callable in them
  and the table's `get_column_class_names` is the library's);
- the model field behind an accessor is looked up once per record type;
- a choice field's labels (Django's own `get_FOO_display`, which rebuilds and hashes the whole choice list,
  translating each lazy label, for every cell) are translated once per table render and looked up;
- each row's cells are rendered in Python into one `<tr>…</tr>` string, escaped and localized exactly as
  the library template's `{{ cell }}`, `{{ cell|localize }}` and `{{ cell|unlocalize }}` would.

Phone cards (issue 14): a table's 2–3 key cells carry their column's header as `data-label` (a table's
`card_fields`, else its first two columns, the first linked one and any header-less action column, whose
label is empty); below 576 px static/css/portal.css shows each row as a card of the cells that have a
`data-label`, each labelled from `attr(data-label)`, with no second template per list. Only key cells get
the attribute (the others are hidden on a phone), and it is worked out once per column, not per cell.

Everything else — the column's `render`/`render_FOO`, linkify, `TemplateColumn` (which sees the page's
context, as with `{% render_table %}`), `empty_values`, defaults, `get_FOO_display` — is the library's own
code, called the way `BoundRow._get_and_render_with` and `BoundRow._call_render` call it.

Version-pinned adapter: the cell logic mirrors django-tables2 3.0.1 (`rows.BoundRow._get_and_render_with`,
`_call_render`, `items`). On any other version `ADAPTED` is False and rows are rendered through the library's
`BoundRow.items()` (correct, only slower); tests/core/test_tables.py fails on another version and compares
this renderer's HTML cell by cell with the library's for every table in the project, so an upgrade is a
conscious re-check of this file, not a silent change of what users see. Nothing in the library is patched.
"""

import inspect
import re
from datetime import date, datetime
from functools import partialmethod
from html import escape as html_escape

import django_tables2
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import Context, RequestContext, Template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.template.loader import get_template
from django.templatetags.l10n import localize_tag, unlocalize
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django_tables2 import Column, Table
from django_tables2.columns import TemplateColumn
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import A, Accessor, AttributeDict
from django_tables2.utils import signature as library_signature

SUPPORTED_VERSION = "3.0.1"
ADAPTED = django_tables2.__version__ == SUPPORTED_VERSION
TEMPLATE = "includes/table.html"

_signatures: dict = {}
NOT_A_CHOICE = object()  # choice_display's answer for a column that does not show a choice field
_templates: dict = {}  # TemplateColumn.template_code -> its compiled Template


def signature(fn):
    """`django_tables2.utils.signature(fn)`, computed once per function: a bound method (a column's
    `render`, a table's `render_FOO`) is keyed by the function under it, whose signature every instance
    shares; the library computes the answer (without `self`) the first time."""
    key = getattr(fn, "__func__", fn)
    try:
        return _signatures[key]
    except KeyError:
        pass
    except TypeError:  # unhashable callable: not cached
        return library_signature(fn)
    found = _signatures[key] = library_signature(fn)
    return found


def call_with_appropriate(fn, kwargs):
    """`django_tables2.utils.call_with_appropriate` with the cached signature."""
    args, kwargs_name = signature(fn)
    if not kwargs_name:
        kwargs = {key: kwargs[key] for key in kwargs if key in args}
        if any(arg not in kwargs for arg in args):
            return None
    return fn(**kwargs)


_DATE_TEMPLATE = re.compile(r'\{\{ value\|date:"([^"]*)"\|default:default \}\}')
_subscriptable: dict = {}  # type -> whether it has __getitem__ (Accessor.resolve first tries obj[bit])


def _walk(current, bits, accessor):
    """Accessor.resolve(safe=True) from `current` along `bits` (no mapping short-cut: `current` is a model
    instance or what its attributes hold): for an object that cannot be indexed, `obj[bit]` raises
    TypeError and so does `obj[int(bit)]`, so the library's answer is `getattr(obj, bit)` or its
    ValueError; anything else takes the library's three lookups."""
    for bit in bits:
        kind = type(current)
        indexable = _subscriptable.get(kind)
        if indexable is None:
            indexable = _subscriptable[kind] = hasattr(kind, "__getitem__")
        if indexable:
            current = _step(current, bit, accessor)
        else:
            try:
                current = getattr(current, bit)
            except (TypeError, AttributeError):
                raise ValueError(Accessor.LOOKUP_ERROR_FMT.format(
                    key=bit, context=kind if isinstance(current, models.Model) else current,
                    accessor=accessor)) from None
        if callable(current):
            if getattr(current, "alters_data", False):
                raise ValueError(Accessor.ALTERS_DATA_ERROR_FMT.format(method=current.__name__))
            if not getattr(current, "do_not_call_in_templates", False):
                current = current(*accessor.callable_args, **accessor.callable_kwargs)
        if current is None:
            break
    return current


def _step(current, bit, accessor):
    """One bit of Accessor.resolve's loop: mapping, attribute, then list index."""
    try:
        return current[bit]
    except (TypeError, AttributeError, KeyError):
        try:
            return getattr(current, bit)
        except (TypeError, AttributeError):
            try:
                return current[int(bit)]
            except (IndexError, ValueError, KeyError, TypeError):
                raise ValueError(Accessor.LOOKUP_ERROR_FMT.format(
                    key=bit, context=type(current) if isinstance(current, models.Model) else current,
                    accessor=accessor)) from None


_ARG = "9182736450"  # stands for a row's primary key in a URL reversed once per table render
_ARG_CHECK = "5061728394"


class _LinkPlan:
    """`linkify=("url-name", [A("pk")])` (or `{"pk": A("pk")}`) without `reverse()` per row: the URL is
    reversed once per table render with a stand-in number and the row's key (a non-negative int, which
    every path converter writes as its digits) put in its place; a second stand-in checks that the
    pattern writes the number as it is. Any other link (callable, get_absolute_url, attributes that are
    computed, other arguments) goes through the library's LinkTransform."""

    def __init__(self, link, viewname, name, accessor, attrs_html):
        self.transform = link
        self.viewname, self.name, self.accessor = viewname, name, accessor
        self.attrs_html = attrs_html  # the `a` attributes before href, rendered once
        self.parts = None  # the reversed URL split at the stand-in, once per table render

    @classmethod
    def of(cls, link):
        if type(link) is not LinkTransform or link.url is not None:
            return None
        reverse_args = link.reverse_args or {}
        viewname = reverse_args.get("viewname")
        if not isinstance(viewname, str) or isinstance(viewname, Accessor) or set(reverse_args) - {
                "viewname", "args", "kwargs"}:
            return None
        args, kwargs = reverse_args.get("args"), reverse_args.get("kwargs")
        if args and not kwargs and len(args) == 1 and isinstance(args[0], Accessor):
            name, accessor = None, args[0]
        elif kwargs and not args and len(kwargs) == 1 and isinstance(next(iter(kwargs.values())), Accessor):
            name, accessor = next(iter(kwargs.items()))
        else:
            return None
        attrs = link.attrs or {}
        if "href" in attrs or any(callable(value) or isinstance(value, dict) for value in attrs.values()):
            return None
        attrs_html = "".join(format_html('{}="{}" ', key, value) for key, value in attrs.items()
                             if key not in AttributeDict.blacklist and value is not None)
        return cls(link, viewname, name, accessor, attrs_html)

    def _reverse(self, arg):
        if self.name is None:
            return reverse(self.viewname, args=[arg])
        return reverse(self.viewname, kwargs={self.name: arg})

    def link(self, content, record):
        """LinkTransform.__call__(content, record=record) for this link."""
        key = self.accessor.resolve(record)
        if type(key) is not int or key < 0:
            return self.transform(content, record=record)
        if self.parts is None:  # the first row: its own URL reversed too, to compare
            href = self._reverse(key)
            parts = self._reverse(_ARG).split(_ARG)
            self.parts = parts if (len(parts) == 2 and self._reverse(_ARG_CHECK) == _ARG_CHECK.join(parts)
                                   and href == f"{parts[0]}{key}{parts[1]}") else ()
        elif not self.parts:
            href = self._reverse(key)
        else:
            href = f"{self.parts[0]}{key}{self.parts[1]}"
        return format_html('<a {}href="{}">{}</a>', mark_safe(self.attrs_html), href, content)  # noqa: S308


class _Column:
    """What one bound column needs to render its cells, worked out once per table render."""

    def __init__(self, bound_column, table):
        self.bound = bound_column
        self.column = bound_column.column
        self.accessor = A(bound_column.accessor)
        self.is_m2m = isinstance(self.column, ManyToManyColumn)
        self.is_link_with_text = isinstance(self.column, BaseLinkColumn) and self.column.text is not None
        self.fields = {}  # record type -> model field behind the accessor (or FieldDoesNotExist)
        self.labels = {}  # record type -> {choice: label} when its get_FOO_display is Django's own, else None
        self.localize = bound_column.localize
        # TemplateColumn (and DateColumn, DateTimeColumn…) compiles `template_code` for every cell; unless
        # its render is overridden, the compiled Template is kept, and rendered as TemplateColumn.render does.
        # Debug's template reloading: the file is fetched once per table render.
        self.template = None
        self.needs_page_context = False  # a template file: only inside a page's RequestContext
        code = getattr(self.column, "template_code", None)
        name = getattr(self.column, "template_name", None)
        if (type(self.column).render is TemplateColumn.render
                and getattr(bound_column.render, "__func__", None) is TemplateColumn.render):  # no render_FOO
            if code:
                self.template = _templates.get(code) or _templates.setdefault(code, Template(code))
            elif name:
                # TemplateColumn(template_name=…) renders the file through a fresh RequestContext per cell,
                # running every context processor (the menu, permissions) again for each row; the page's
                # context already holds what they give, so the template is rendered in it, as for
                # template_code (the same HTML; only a form's CSRF token is masked once for the page).
                self.template = get_template(name).template
                self.needs_page_context = True
        self.extra = card_attrs(bound_column, table)
        self.td = None if self._attrs_vary(bound_column, table) else self._td(bound_column) + self.extra
        # The accessor's path, split once: the penultimate object's bits and the last one.
        bits = tuple(self.accessor.bits)
        self.head, self.remainder = bits[:-1], (bits[-1] if bits else "")
        # How the cell's content comes from its value (BoundRow._call_render), decided once.
        render = bound_column.render
        self.render_fn = render
        self.identity = getattr(render, "__func__", None) is Column.render  # Column.render returns the value
        self.arg_names, self.any_kwargs = signature(render)
        self.date_format = self._date_format()
        self.dates = {}  # this render's date (or datetime) -> its cell (one language and time zone)
        self.link_plan = _LinkPlan.of(bound_column.link)

    def _date_format(self):
        """The format of a DateColumn (or a TemplateColumn with DateColumn's very template), else None."""
        column = self.column
        if (self.template is None or self.needs_page_context or column.extra_context
                or type(column).get_context_data is not TemplateColumn.get_context_data):
            return None
        found = _DATE_TEMPLATE.fullmatch(column.template_code or "")
        return found.group(1) if found else None

    @staticmethod
    def _attrs_vary(bound_column, table):
        if type(table).get_column_class_names is not Table.get_column_class_names:
            return True
        attrs = dict(table.attrs)
        attrs.update(dict(bound_column.column.attrs))
        td = attrs.get("td", attrs.get("cell", {}))
        return any(callable(value) for value in td.values())

    @staticmethod
    def _td(bound_column):
        return bound_column.attrs["td"].as_html()

    def field(self, record):
        kind = type(record)
        try:
            return self.fields[kind]
        except KeyError:
            try:
                found = self.accessor.get_field(record)
            except FieldDoesNotExist as exc:
                found = exc
            self.fields[kind] = found
            return found

    def choice_labels(self, penultimate, field, remainder):
        """{hashable choice: translated label} standing for `penultimate.get_<remainder>_display()` when
        that is the method Django generates (Model._get_FIELD_display), else None (the model's own method
        is called)."""
        kind = type(penultimate)
        try:
            return self.labels[kind]
        except KeyError:
            pass
        method = inspect.getattr_static(kind, f"get_{remainder}_display", None)
        generated = (isinstance(method, partialmethod) and method.func is models.Model._get_FIELD_display
                     and method.keywords.get("field") is field)
        found = self.labels[kind] = (
            {key: force_str(label, strings_only=True) for key, label in make_hashable(field.flatchoices)}
            if generated else None)
        return found

    def cell(self, row, record, table):
        """BoundRow._get_and_render_with(bound_column, BoundRow._call_render, bound_column.default), for
        a model instance: the accessor's path is walked once (the library walks it twice, first to the
        penultimate object, then whole), a model instance's attributes read without first trying it as a
        mapping (which raises TypeError for every bit), the same value or the same exception otherwise."""
        if not isinstance(record, models.Model):
            return self.cell_generic(row, record, table)
        remainder = self.remainder
        try:
            penultimate = _walk(record, self.head, self.accessor)
            failed = False
        except Exception:  # Accessor.penultimate(quiet=True) gives None; the whole path raises the same
            penultimate, failed = None, True
        value, remainder = self.shown_choice(record, penultimate, remainder)
        if remainder:
            try:
                if failed:
                    raise LookupError
                # The whole path: where the penultimate object is None the walk stopped there (None).
                value = None if penultimate is None else _walk(penultimate, (remainder,), self.accessor)
            except Exception:
                if self.is_link_with_text:
                    return self.render(row, record, table, None)
        return self.render_or_default(row, record, table, value)

    def shown_choice(self, record, penultimate, remainder):
        """(the choice's label, None) when the column shows a choice field of a model, else (None, remainder):
        what is left to read."""
        if isinstance(penultimate, models.Model):
            shown = self.choice_display(record, penultimate, remainder)
            if shown is not NOT_A_CHOICE:
                return shown, None
        return None, remainder

    def render_or_default(self, row, record, table, value):
        if value in self.column.empty_values or (self.is_m2m and not value.exists()):
            return self.bound.default
        return self.render(row, record, table, value)

    def choice_display(self, record, penultimate, name):
        """`penultimate.get_<name>_display()` when the column shows a choice field (its labels translated
        once, as Model._get_FIELD_display returns them), else NOT_A_CHOICE."""
        field = self.field(record)
        display_fn = getattr(penultimate, f"get_{name}_display", None)
        if isinstance(field, FieldDoesNotExist) or not getattr(field, "choices", ()) or not display_fn:
            return NOT_A_CHOICE
        labels = self.choice_labels(penultimate, field, name)
        if labels is None:
            return display_fn()
        raw = getattr(penultimate, field.attname)
        return force_str(labels.get(make_hashable(raw), raw), strings_only=True)

    def cell_generic(self, row, record, table):
        """BoundRow._get_and_render_with(bound_column, BoundRow._call_render, bound_column.default)."""
        accessor = self.accessor
        penultimate, remainder = accessor.penultimate(record)
        value, remainder = self.shown_choice(record, penultimate, remainder)
        if remainder:
            try:
                value = accessor.resolve(record)
            except Exception:
                if self.is_link_with_text:
                    return self.render(row, record, table, None)
        return self.render_or_default(row, record, table, value)

    def render(self, row, record, table, value):
        """BoundRow._call_render."""
        bound = self.bound
        if self.identity and bound.link is None:  # Column.render(value) is the value
            return value
        kwargs = {"value": value, "record": record, "column": self.column, "bound_column": bound,
                  "bound_row": row, "table": table}
        if self.date_format is not None and hasattr(table, "context"):
            content = self.render_date(value, table.context)
        elif self.template is not None and (not self.needs_page_context
                                            or isinstance(getattr(table, "context", None), RequestContext)):
            content = self.render_template(kwargs)
        elif self.identity:
            content = value
        elif self.any_kwargs:
            content = self.render_fn(**kwargs)
        else:
            names = self.arg_names
            content = self.render_fn(**{name: kwargs[name] for name in names}) if all(
                name in kwargs for name in names) else None
        if bound.link is None:
            return content
        if self.link_plan is not None:
            return self.link_plan.link(content, record)
        return bound.link(content, **kwargs)

    def render_date(self, value, context):
        """DateColumn's template, `{{ value|date:"<format>"|default:default }}`, as the template engine
        renders it in the page's context: the date filter (on the local time), then the default."""
        try:  # a page's cells repeat their dates (a payroll page is one month): formatted once per value
            return self.dates[value]
        except (KeyError, TypeError):
            pass
        shown = date_filter(template_localtime(value, use_tz=context.use_tz), self.date_format) or self.bound.default
        html = mark_safe(render_value_in_context(shown, context))  # noqa: S308 (escaped by render_value_in_context)
        if type(value) in (date, datetime):
            self.dates[value] = html
        return html


    def render_template(self, kwargs):
        """TemplateColumn.render for `template_code` (compiled once) or `template_name` (loaded once per
        table render, rendered in the page's context)."""
        table = kwargs["table"]
        parent_context = getattr(table, "context", Context())
        context = self.column.get_context_data(**kwargs)
        with parent_context.update(context):
            parent_context["request"] = getattr(table, "request", None)
            return self.template.render(parent_context)


def card_fields(table) -> frozenset:
    """The names of the columns a row shows as a phone card: the table's `card_fields` (a class attribute),
    else its first two columns, the first column that links (one tap to the record) and every column
    without a header (an action, e.g. the referral decision buttons)."""
    cached = getattr(table, "_card_fields", None)
    if cached is not None:
        return cached
    columns = list(table.columns)
    declared = getattr(table, "card_fields", None)
    if declared:
        chosen = set(declared)
    else:
        chosen = {bound.name for bound in columns[:2]}
        linked = next((bound.name for bound in columns if bound.link), None)
        if linked:
            chosen.add(linked)
        chosen.update(bound.name for bound in columns if not str(bound.header).strip())
    found = frozenset(chosen)
    table._card_fields = found
    return found


def card_attrs(bound_column, table) -> str:
    """` data-label="<header>"` for a key column's cells (shown on a phone card), else nothing."""
    if bound_column.name not in card_fields(table):
        return ""
    return f' data-label="{escape(str(bound_column.header).strip())}"'


def cell_html(cell, localize, context):
    """The library template's `{% if column.localize == None %}{{ cell }}{% else %}…` for one cell."""
    if localize is None:
        kind = type(cell)
        if kind is SafeString:  # conditional_escape leaves it as it is; localize and localtime too
            return cell
        if kind is str and context.autoescape:  # what conditional_escape(str) gives (escape, keep_lazy aside)
            return SafeString(html_escape(cell))
        return render_value_in_context(cell, context)
    if localize:
        return render_value_in_context(localize_tag(cell), context)
    return render_value_in_context(unlocalize(cell), context)


def render_rows(table, context=None) -> str:
    """The `<tr>` rows of the table's current page, as the library's bootstrap 5 template renders them."""
    context = context if context is not None else Context(autoescape=True)
    columns = list(table.columns)
    parts = []
    if ADAPTED:
        plans = [_Column(bound, table) for bound in columns]
        plain_rows = not table.row_attrs  # BoundRow.attrs is then only its odd/even class
        for row in table.paginated_rows:
            record = row.record
            if plain_rows and type(row) is BoundRow:
                parts.append(f'<tr class="{row.get_even_odd_css_class()}">')
            else:
                parts.append(f"<tr {row.attrs.as_html()}>")
            for plan in plans:
                cell = plan.cell(row, record, table)
                bound = plan.bound
                # BoundRow.items() leaves these for callable attrs (and templates) to read.
                bound.current_value = cell
                bound.current_record = record
                td = plan.td if plan.td is not None else bound.attrs["td"].as_html() + plan.extra
                parts.append(f"<td {td}>{cell_html(cell, plan.localize, context)}</td>")
            parts.append("</tr>")
    else:
        extra = {bound.name: card_attrs(bound, table) for bound in columns}
        for row in table.paginated_rows:
            parts.append(f"<tr {row.attrs.as_html()}>")
            for bound, cell in row.items():
                td = bound.attrs["td"].as_html() + extra[bound.name]
                parts.append(f"<td {td}>{cell_html(cell, bound.localize, context)}</td>")
            parts.append("</tr>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every cell went through render_value_in_context)


def render_table(table, *, context, request):
    """`{% render_table table %}` with the lean template: the table sees the page's context
    (TemplateColumn) as with the library's tag, `before_render` is called, the rows come from
    render_rows()."""
    try:
        table.context = context
        table.before_render(request)
        rows = render_rows(table)
        # A plain Context: the table's template reads the table, its rows and the request (sort and page
        # links) only; a RequestContext would run every context processor (the menu...) a second time.
        return get_template(TEMPLATE).template.render(
            Context({"table": table, "table_rows": rows, "request": request}, autoescape=context.autoescape))
    finally:
        del table.context
