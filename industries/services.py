"""Writes for industries: each checks the actor's permission first, takes the fields a caller may set
as keyword arguments (UNSET: not given), validates fully, stays in the actor's area, audits."""

from accounts.permissions import require
from core.writes import UNSET, create, given, update

from . import credit_code
from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase


def _normalised(fields: dict) -> dict:
    if fields.get("credit_code"):
        try:
            fields["credit_code"] = credit_code.normalise(fields["credit_code"])
        except credit_code.InvalidCreditCode:
            pass  # the field validator reports it with the field's name
    return fields


def enterprise_create(*, actor, name=UNSET, credit_code=UNSET, origin=UNSET, industry=UNSET, contact=UNSET,
                      township=UNSET) -> Enterprise:
    require(actor, "industries.enterprise.write")
    fields = given(name=name, credit_code=credit_code, origin=origin, industry=industry, contact=contact,
                   township=township)
    return create(Enterprise, actor=actor, action="enterprise.create", scope_field="township", **_normalised(fields))


def enterprise_update(*, actor, enterprise: Enterprise, name=UNSET, credit_code=UNSET, origin=UNSET,
                      industry=UNSET, contact=UNSET, township=UNSET) -> Enterprise:
    require(actor, "industries.enterprise.write", enterprise)
    fields = given(name=name, credit_code=credit_code, origin=origin, industry=industry, contact=contact,
                   township=township)
    return update(enterprise, actor=actor, action="enterprise.update", scope_field="township", **_normalised(fields))


def production_base_create(*, actor, name=UNSET, industry=UNSET, township=UNSET, enterprise=UNSET, area_mu=UNSET,
                           established_on=UNSET) -> ProductionBase:
    require(actor, "industries.production_base.write")
    return create(ProductionBase, actor=actor, action="production_base.create", scope_field="township",
                  **given(name=name, industry=industry, township=township, enterprise=enterprise, area_mu=area_mu,
                          established_on=established_on))


def production_base_update(*, actor, production_base: ProductionBase, name=UNSET, industry=UNSET, township=UNSET,
                           enterprise=UNSET, area_mu=UNSET, established_on=UNSET) -> ProductionBase:
    require(actor, "industries.production_base.write", production_base)
    return update(production_base, actor=actor, action="production_base.update", scope_field="township",
                  **given(name=name, industry=industry, township=township, enterprise=enterprise, area_mu=area_mu,
                          established_on=established_on))


def brand_create(*, actor, name=UNSET, industry=UNSET, owner=UNSET, kind=UNSET) -> Brand:
    require(actor, "industries.brand.write")
    return create(Brand, actor=actor, action="brand.create",
                  **given(name=name, industry=industry, owner=owner, kind=kind))


def brand_update(*, actor, brand: Brand, name=UNSET, industry=UNSET, owner=UNSET, kind=UNSET) -> Brand:
    require(actor, "industries.brand.write", brand)
    return update(brand, actor=actor, action="brand.update",
                  **given(name=name, industry=industry, owner=owner, kind=kind))


def industry_output_create(*, actor, industry=UNSET, year=UNSET, output_value=UNSET) -> IndustryOutput:
    require(actor, "industries.industry_output.write")
    return create(IndustryOutput, actor=actor, action="industry_output.create",
                  **given(industry=industry, year=year, output_value=output_value))


def industry_output_update(*, actor, industry_output: IndustryOutput, industry=UNSET, year=UNSET,
                           output_value=UNSET) -> IndustryOutput:
    require(actor, "industries.industry_output.write", industry_output)
    return update(industry_output, actor=actor, action="industry_output.update",
                  **given(industry=industry, year=year, output_value=output_value))


def livestream_create(*, actor, village=UNSET, date=UNSET, host=UNSET, orders=UNSET, sales=UNSET) -> Livestream:
    require(actor, "industries.livestream.write")
    return create(Livestream, actor=actor, action="livestream.create", scope_field="village",
                  **given(village=village, date=date, host=host, orders=orders, sales=sales))


def livestream_update(*, actor, livestream: Livestream, village=UNSET, date=UNSET, host=UNSET, orders=UNSET,
                      sales=UNSET) -> Livestream:
    require(actor, "industries.livestream.write", livestream)
    return update(livestream, actor=actor, action="livestream.update", scope_field="village",
                  **given(village=village, date=date, host=host, orders=orders, sales=sales))


def east_market_sale_create(*, actor, enterprise=UNSET, year=UNSET, amount=UNSET) -> EastMarketSale:
    require(actor, "industries.east_market_sale.write")
    return create(EastMarketSale, actor=actor, action="east_market_sale.create", scope_field="enterprise",
                  **given(enterprise=enterprise, year=year, amount=amount))


def east_market_sale_update(*, actor, east_market_sale: EastMarketSale, enterprise=UNSET, year=UNSET,
                            amount=UNSET) -> EastMarketSale:
    require(actor, "industries.east_market_sale.write", east_market_sale)
    return update(east_market_sale, actor=actor, action="east_market_sale.update", scope_field="enterprise",
                  **given(enterprise=enterprise, year=year, amount=amount))


def cooperation_fund_create(*, actor, year=UNSET, project=UNSET, amount=UNSET, purpose=UNSET,
                            township=UNSET) -> CooperationFund:
    require(actor, "industries.cooperation_fund.write")
    return create(CooperationFund, actor=actor, action="cooperation_fund.create", scope_field="township",
                  **given(year=year, project=project, amount=amount, purpose=purpose, township=township))


def cooperation_fund_update(*, actor, cooperation_fund: CooperationFund, year=UNSET, project=UNSET, amount=UNSET,
                            purpose=UNSET, township=UNSET) -> CooperationFund:
    require(actor, "industries.cooperation_fund.write", cooperation_fund)
    return update(cooperation_fund, actor=actor, action="cooperation_fund.update", scope_field="township",
                  **given(year=year, project=project, amount=amount, purpose=purpose, township=township))
