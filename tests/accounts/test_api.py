"""The API base every resource shares: schema and docs, errors, pagination, throttling."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_and_swagger_ui_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/townships/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "https://" not in page.split("<body")[0]


def test_pages_follow_page_number_pagination_with_count(api, county_officer):
    first = api(county_officer).get("/api/v1/townships/", {"page_size": 10}).json()
    assert first["count"] == 31 and len(first["results"]) == 10 and first["next"]
    last = api(county_officer).get("/api/v1/townships/", {"page_size": 10, "page": 4}).json()
    assert len(last["results"]) == 1 and last["next"] is None


def test_an_unknown_page_is_a_404_in_the_error_format(api, county_officer):
    response = api(county_officer).get("/api/v1/townships/", {"page": 99})
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_ordering_by_name(api, county_officer):
    names = [row["name"] for row in api(county_officer).get("/api/v1/townships/", {"ordering": "-code",
                                                                                  "page_size": 3}).json()["results"]]
    assert names == ["紫溪乡", "庙子乡", "玉带乡"]


def test_anonymous_token_requests_are_throttled_with_429(client, settings):
    from django.core.cache import cache

    cache.clear()
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {"anon": "3/minute", "user": "1000/minute"}
    settings.REST_FRAMEWORK = rest
    from rest_framework.throttling import AnonRateThrottle

    previous = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = rest["DEFAULT_THROTTLE_RATES"]
    try:
        codes = [client.post("/api/v1/auth/token/", {"username": "x", "password": "y"},
                             content_type="application/json").status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = previous
        cache.clear()
    assert codes == [400, 400, 400, 429]
