from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from industries import services
from industries.models import Enterprise
from tests.factories import EnterpriseFactory, IndustryOutputFactory, LivestreamFactory, make_credit_code

pytestmark = pytest.mark.django_db


def test_credit_code_is_stored_upper_case_by_the_service(county_admin):
    enterprise = services.enterprise_create(actor=county_admin, name="x", credit_code=" " + make_credit_code(1).lower(),
                                            origin="local", industry="tea")
    assert enterprise.credit_code == make_credit_code(1)


@pytest.mark.parametrize("bad", ["", "12345", "91511781000000001I", "91511781000000001" + "Z"])
def test_malformed_credit_codes_are_refused(bad):
    with pytest.raises(ValidationError) as error:
        Enterprise(name="x", credit_code=bad, origin="local", industry="tea").full_clean()
    assert "credit_code" in error.value.message_dict


def test_one_output_per_industry_and_year():
    IndustryOutputFactory(industry="tea", year=2025)
    with pytest.raises(ValidationError):
        IndustryOutputFactory.build(industry="tea", year=2025).full_clean()


def test_negative_sales_refused():
    with pytest.raises(ValidationError):
        LivestreamFactory.build(sales=Decimal("-0.01"), village=LivestreamFactory().village).full_clean()


def test_update_records_only_what_changed(county_admin):
    from accounts.models import AuditEvent

    enterprise = EnterpriseFactory(name="旧名")
    services.enterprise_update(actor=county_admin, enterprise=enterprise, name="新名", industry="tea")
    event = AuditEvent.objects.get(action="enterprise.update")
    assert event.changes == {"name": ["旧名", "新名"]}  # old and new; the unchanged industry is not listed
