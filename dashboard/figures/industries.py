"""The five-colour industries for the dashboard: enterprises, production bases and east-market sales by
industry."""

from django.db.models import Count, Sum

from industries.models import EastMarketSale, Enterprise, ProductionBase

from . import Scope


def by_industry(scope: Scope, period) -> dict[str, dict]:
    """{"enterprises", "bases", "sales"}: each {industry: value}. Sales are the east-market sales of the
    industry's enterprises for the years the period touches (sales are recorded by year). Three queries."""
    enterprises = dict(scope.rows(Enterprise.objects.all(), "township").values_list("industry")
                       .annotate(n=Count("pk")).values_list("industry", "n"))
    bases = dict(scope.rows(ProductionBase.objects.all(), "township").values_list("industry")
                 .annotate(n=Count("pk")).values_list("industry", "n"))
    sales = dict(scope.rows(EastMarketSale.objects.filter(year__gte=period.start.year, year__lte=period.end.year),
                            "enterprise__township")
                 .values_list("enterprise__industry").annotate(t=Sum("amount"))
                 .values_list("enterprise__industry", "t"))
    return {"enterprises": enterprises, "bases": bases, "sales": sales}
