"""Page form bases. Forms check the input; the views hand `cleaned_data` to the services to save."""

from django import forms

from accounts.scoping import related_choices


def limit_related_choices(form, user, county_wide_relations=None):
    """Every relation a form offers (single or multiple choice) lists only what `user` may pick: the same
    rule the API applies (accounts.scoping.related_choices), so a page never offers another township's rows."""
    county_wide_relations = county_wide_relations or {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField too
            field.queryset = related_choices(field.queryset, user,
                                             county_wide_for=county_wide_relations.get(name, frozenset()))


class ScopedModelForm(forms.ModelForm):
    # {field name: roles that pick from the whole county there}; empty: every relation follows the scope.
    county_wide_relations: dict = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        limit_related_choices(self, user, self.county_wide_relations)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)
