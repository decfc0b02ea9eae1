"""Login throttling per account and per client address, shared through the cache, on the login page
and on POST /api/v1/auth/token/; every attempt in the audit log."""

import contextlib
import logging
import time

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import AuditEvent
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _clean_counters(settings):
    settings.LOGIN_FAILURE_LIMIT_ACCOUNT = 10
    settings.LOGIN_FAILURE_LIMIT_IP = 30
    settings.LOGIN_FAILURE_WINDOW = 900
    # The token view's own per-address rate would answer 429 first; this file is about the login throttle.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute",
                                                                                     "user": "10000/minute"}}
    from rest_framework.throttling import AnonRateThrottle

    previous = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    cache.clear()
    yield
    AnonRateThrottle.THROTTLE_RATES = previous
    with contextlib.suppress(Exception):  # the outage test's cache is down until `settings` is restored
        cache.clear()


def token_attempt(client, username, password, **headers):
    return client.post(TOKEN_URL, {"username": username, "password": password},
                       content_type="application/json", **headers)


def page_attempt(client, username, password, **headers):
    return client.post("/accounts/login/", {"username": username, "password": password}, **headers)


def test_the_eleventh_wrong_password_is_refused_whatever_x_forwarded_for_says(client, county_admin):
    # Every attempt claims another address; the peer is not a trusted proxy, so none is believed.
    codes = [token_attempt(client, county_admin.username, "wrong-password",
                           HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(10)]
    assert codes == [400] * 10
    refused = token_attempt(client, county_admin.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert refused.status_code == 429
    body = refused.json()
    assert body == {"detail": "登录失败次数过多，已暂停登录，请 15 分钟后再试。", "errors": {}}
    assert 890 <= int(refused.headers["Retry-After"]) <= 900  # what is left of the 15-minute window
    # The page is locked too: the same counter, whatever the entry point.
    page = page_attempt(Client(), county_admin.username, PASSWORD)
    assert page.status_code == 200 and "_auth_user_id" not in page.wsgi_request.session
    assert "登录失败次数过多" in page.content.decode()


def test_the_account_lock_holds_across_addresses_behind_a_trusted_proxy(client, county_admin, settings):
    """Behind the proxy each request really comes from another client address: the account's own
    counter still stops the guessing."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(10):
        assert page_attempt(client, county_admin.username, "wrong-password",
                            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code == 200
    page = page_attempt(client, county_admin.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert "登录失败次数过多" in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated


def test_one_address_guessing_many_accounts_is_locked_out_by_its_ip_counter(client, county_admin, settings):
    settings.LOGIN_FAILURE_LIMIT_IP = 5
    for n in range(5):
        assert token_attempt(client, f"nobody-{n}", "wrong-password").status_code == 400
    # Now even a real account with its right password is refused from that address ...
    assert token_attempt(client, county_admin.username, PASSWORD).status_code == 429
    # ... and from another address (behind a trusted proxy) it still works: the account was not locked.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    other = token_attempt(client, county_admin.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert other.status_code == 200 and other.json()["token"]


def test_a_success_before_the_limit_clears_the_account_counter(client, county_admin):
    for _ in range(9):
        token_attempt(client, county_admin.username, "wrong-password")
    assert token_attempt(client, county_admin.username, PASSWORD).status_code == 200
    for _ in range(9):
        assert token_attempt(client, county_admin.username, "wrong-password").status_code == 400
    assert token_attempt(client, county_admin.username, PASSWORD).status_code == 200


def test_the_lock_ends_with_its_window(client, county_admin, settings):
    # The window starts at the first failure; four seconds hold ten failures even on a loaded machine
    # (one second did not: the first failures had lapsed before the tenth).
    settings.LOGIN_FAILURE_WINDOW = 4
    began = time.monotonic()
    token_attempt(client, county_admin.username, "wrong-password")
    counted = time.monotonic()  # the window started before this
    for _ in range(9):
        token_attempt(client, county_admin.username, "wrong-password")
    refused = token_attempt(client, county_admin.username, PASSWORD)
    assert time.monotonic() - began < 4, "the attempts outlasted the window: the lock was never tested"
    assert refused.status_code == 429
    time.sleep(max(0.0, counted + 4.3 - time.monotonic()))
    assert token_attempt(client, county_admin.username, PASSWORD).status_code == 200


def test_the_django_admin_login_is_throttled_too(client, county_admin):
    for _ in range(10):
        client.post("/admin/login/", {"username": county_admin.username, "password": "wrong-password"})
    response = client.post("/admin/login/?next=/admin/", {"username": county_admin.username, "password": PASSWORD})
    assert response.status_code == 200  # the form again, not the redirect into the admin
    assert not response.wsgi_request.user.is_authenticated


def test_logins_failures_and_lockouts_are_in_the_audit_log_with_username_and_address(client, county_admin):
    page_attempt(client, county_admin.username, PASSWORD)
    for _ in range(10):
        token_attempt(Client(), county_admin.username, "wrong-password")
    token_attempt(Client(), "no-such-user", "wrong-password")
    events = AuditEvent.objects.filter(action__startswith="login.")
    success = events.get(action="login.success")
    assert success.actor == county_admin and success.changes["username"] == county_admin.username
    assert success.changes["path"] == "/accounts/login/" and success.ip == "127.0.0.1"
    failed = events.filter(action="login.failed", object_id=str(county_admin.pk), ip="127.0.0.1")
    assert failed.count() == 10 and not failed.filter(actor__isnull=False).exists()
    lockout = events.get(action="login.lockout")
    assert lockout.changes["scope"] == "account" and lockout.changes["username"] == county_admin.username
    unknown = events.get(action="login.failed", changes__username="no-such-user")
    assert unknown.actor is None and unknown.object_id == "" and unknown.changes["path"] == TOKEN_URL


def test_counters_are_shared_between_processes_through_redis(settings):
    """Two processes share the counters only if they live in Redis: run the lock against a real Redis
    (CACHE_URL, as .ci/run and compose set it) and read the count back through a fresh connection."""
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("needs CACHE_URL=redis://… (the production cache)")
    import redis

    user = make_user("redis-shared", "county_officer")
    client = Client()
    for _ in range(10):
        token_attempt(client, user.username, "wrong-password")
    other_process = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    counters = [k for k in other_process.keys("*login-failures:account:*") if not k.endswith(b":until")]
    assert [int(other_process.get(k)) for k in counters] == [10]
    assert token_attempt(Client(), user.username, PASSWORD).status_code == 429


def test_a_cache_outage_lets_logins_through_with_a_warning(client, county_admin, settings, caplog):
    # A Redis nobody listens on: every cache call fails.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2}}}
    with caplog.at_level(logging.WARNING, logger="accounts.login_throttle"):
        page = page_attempt(client, county_admin.username, PASSWORD)
        failed = page_attempt(Client(), county_admin.username, "wrong-password")
    assert page.status_code == 302 and page.wsgi_request.user.is_authenticated
    assert failed.status_code == 200 and "正确的用户名和密码" in failed.content.decode()
    assert "cache unavailable" in caplog.text


def test_the_token_views_rate_limit_counts_the_real_client_not_what_it_wrote_in_x_forwarded_for(client,
                                                                                               settings):
    """Behind the trusted proxy a client can prepend any address to X-Forwarded-For; the rate limit
    counts the address the proxy saw (REMOTE_ADDR after ProxyHeadersMiddleware), so rotating it is useless."""
    from rest_framework.throttling import AnonRateThrottle

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    AnonRateThrottle.THROTTLE_RATES = {"anon": "3/minute", "user": "1000/minute"}
    codes = [token_attempt(client, f"someone-{n}", "x", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.5").status_code
             for n in range(4)]
    assert codes == [400, 400, 400, 429]
