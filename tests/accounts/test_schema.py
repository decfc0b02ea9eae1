"""The OpenAPI schema is true to the responses (issue 11): months are "YYYY-MM" strings, fields that can
be null say so, every list is paginated alike, and the errors each operation can answer are documented in
the one error format. schemathesis checks the same against a live server in CI (.ci/schemathesis.sh)."""

from datetime import date

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import WorkshopFactory
from workshops.models import CertificationEvent

MONTH_PATTERN = "^[0-9]{4}-[0-9]{2}$"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, name):
    return schema["components"]["schemas"][name]


@pytest.mark.parametrize("name", ["SubsidyRun", "SubsidyLine", "Payroll", "RunRequestRequest"])
def test_months_are_yyyy_mm_strings_not_dates(schema, name):
    month = component(schema, name)["properties"]["month"]
    assert month["type"] == "string" and month["pattern"] == MONTH_PATTERN
    assert "format" not in month


def test_every_money_field_is_a_decimal_string_as_the_api_answers(schema):
    # DRF answers Decimals as strings ("150000.00"); a field documented as a number is a false schema
    # (schemathesis found Loan.principal_repaid).
    numbers = [(name, field) for name, body in schema["components"]["schemas"].items()
               for field, spec in body.get("properties", {}).items()
               if spec.get("type") == "number"]
    assert numbers == []


@pytest.mark.parametrize("name, field", [
    ("FollowUp", "visited_by"), ("SubsidyRun", "submitted_by"), ("SubsidyRun", "approved_by"),
    ("SubsidyRun", "rejected_by"), ("SubsidyRun", "paid_by"), ("Cooperative", "member_count"),
    ("JobFair", "placement_count"), ("CertificationEvent", "actor"), ("Workshop", "headcount"),
])
def test_fields_that_can_be_null_are_nullable(schema, name, field):
    assert component(schema, name)["properties"][field].get("nullable") is True


def test_certification_events_are_paginated_like_every_list(schema):
    operation = schema["paths"]["/api/v1/workshops/{id}/certification-events/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"page", "page_size"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/PaginatedCertificationEventList")


@pytest.mark.django_db
def test_certification_events_answer_a_page(api, county_admin):
    workshop = WorkshopFactory()
    for day in (1, 2, 3):
        CertificationEvent.objects.create(workshop=workshop, action="certified", effective_date=date(2025, 1, day),
                                          workers=10, assisted_workers=5)
    response = api(county_admin).get(f"/api/v1/workshops/{workshop.pk}/certification-events/?page_size=2")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert body["results"][0]["effective_date"] == "2025-01-03"


def test_every_operation_documents_its_errors_in_the_error_format(schema):
    error = {"$ref": "#/components/schemas/Error"}
    assert component(schema, "Error")["required"] == ["detail", "errors"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"400", "403", "404", "429"}
            if path != "/api/v1/auth/token/":
                expected.add("401")
            if method in ("post", "put", "patch", "delete"):
                expected |= {"409", "415"}
            assert expected <= set(responses), (method, path, sorted(responses))
            for code in expected:
                assert responses[code]["content"]["application/json"]["schema"] == error, (method, path, code)


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_json_404_even_for_a_logged_in_browser(county_admin):
    from django.test import Client

    from tests.factories import PASSWORD

    client = Client(enforce_csrf_checks=True)  # as a browser: a write without a CSRF token
    assert client.login(username=county_admin.username, password=PASSWORD)
    for method in ("get", "patch", "post"):
        response = getattr(client, method)("/api/v1/workers/0.5/")
        assert response.status_code == 404, method
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail", "errors"}
    assert client.get("/api/v1/workers").status_code == 301  # APPEND_SLASH still redirects


@pytest.mark.django_db
def test_a_malformed_multipart_body_is_a_json_400(api, county_admin):
    # A part whose headers never end (found by schemathesis): Django's multipart parser gives up.
    body = b"--BB\r\n" + b"X" * 10000 + b"--BB--\r\n"
    response = api(county_admin).generic("POST", "/api/v1/payroll/", body,
                                         content_type="multipart/form-data; boundary=BB")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "errors"}
