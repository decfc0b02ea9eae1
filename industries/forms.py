"""Page forms. They check the input; the views hand `cleaned_data` to the services to save."""

from core.forms import ScopedModelForm

from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase


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
