"""Page forms. They check the input; the views hand `cleaned_data` to the services to save."""

from django import forms

from accounts.scoping import scoped

from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase

# Relations limited to the user's area, so a form never offers another township's rows.
SCOPED_RELATIONS = ("township", "village", "workshop", "cooperative", "training")


class ScopedModelForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            if name in SCOPED_RELATIONS and isinstance(field, forms.ModelChoiceField):
                field.queryset = scoped(field.queryset, user)
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


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "origin", "industry", "contact", "township"]


class ProductionBaseForm(ScopedModelForm):
    class Meta:
        model = ProductionBase
        fields = ["name", "industry", "township", "enterprise", "area_mu", "established_on"]


class BrandForm(ScopedModelForm):
    class Meta:
        model = Brand
        fields = ["name", "industry", "owner", "kind"]


class IndustryOutputForm(ScopedModelForm):
    class Meta:
        model = IndustryOutput
        fields = ["industry", "year", "output_value"]


class LivestreamForm(ScopedModelForm):
    class Meta:
        model = Livestream
        fields = ["village", "date", "host", "orders", "sales"]


class EastMarketSaleForm(ScopedModelForm):
    class Meta:
        model = EastMarketSale
        fields = ["enterprise", "year", "amount"]


class CooperationFundForm(ScopedModelForm):
    class Meta:
        model = CooperationFund
        fields = ["year", "project", "amount", "purpose", "township"]
