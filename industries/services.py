"""Writes for industries: each takes the actor, validates fully, stays in the actor's area, audits."""

from . import credit_code
from .models import Brand, CooperationFund, EastMarketSale, Enterprise, IndustryOutput, Livestream, ProductionBase
from .writes import create, update


def _normalised(fields: dict) -> dict:
    if fields.get("credit_code"):
        try:
            fields["credit_code"] = credit_code.normalise(fields["credit_code"])
        except credit_code.InvalidCreditCode:
            pass  # the field validator reports it with the field's name
    return fields


def enterprise_create(*, actor, **fields) -> Enterprise:
    return create(Enterprise, actor=actor, action="enterprise.create", scope_field="township", **_normalised(fields))


def enterprise_update(*, actor, enterprise: Enterprise, **fields) -> Enterprise:
    return update(enterprise, actor=actor, action="enterprise.update", scope_field="township", **_normalised(fields))


def production_base_create(*, actor, **fields) -> ProductionBase:
    return create(ProductionBase, actor=actor, action="production_base.create", scope_field="township", **fields)


def production_base_update(*, actor, production_base: ProductionBase, **fields) -> ProductionBase:
    return update(production_base, actor=actor, action="production_base.update", scope_field="township", **fields)


def brand_create(*, actor, **fields) -> Brand:
    return create(Brand, actor=actor, action="brand.create", **fields)


def brand_update(*, actor, brand: Brand, **fields) -> Brand:
    return update(brand, actor=actor, action="brand.update", **fields)


def industry_output_create(*, actor, **fields) -> IndustryOutput:
    return create(IndustryOutput, actor=actor, action="industry_output.create", **fields)


def industry_output_update(*, actor, industry_output: IndustryOutput, **fields) -> IndustryOutput:
    return update(industry_output, actor=actor, action="industry_output.update", **fields)


def livestream_create(*, actor, **fields) -> Livestream:
    return create(Livestream, actor=actor, action="livestream.create", scope_field="village", **fields)


def livestream_update(*, actor, livestream: Livestream, **fields) -> Livestream:
    return update(livestream, actor=actor, action="livestream.update", scope_field="village", **fields)


def east_market_sale_create(*, actor, **fields) -> EastMarketSale:
    return create(EastMarketSale, actor=actor, action="east_market_sale.create", scope_field="enterprise", **fields)


def east_market_sale_update(*, actor, east_market_sale: EastMarketSale, **fields) -> EastMarketSale:
    return update(east_market_sale, actor=actor, action="east_market_sale.update", scope_field="enterprise",
                  **fields)


def cooperation_fund_create(*, actor, **fields) -> CooperationFund:
    return create(CooperationFund, actor=actor, action="cooperation_fund.create", scope_field="township", **fields)


def cooperation_fund_update(*, actor, cooperation_fund: CooperationFund, **fields) -> CooperationFund:
    return update(cooperation_fund, actor=actor, action="cooperation_fund.update", scope_field="township",
                  **fields)
