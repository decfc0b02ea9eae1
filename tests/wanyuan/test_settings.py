"""Settings come from the environment only; each case runs a fresh interpreter with its own environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k3Jx9-unit-test-only-secret-with-plenty-of-entropy-9f8e7d6c5b4a3",
    "DJANGO_ALLOWED_HOSTS": "portal.wanyuan.example",
    "DATABASE_URL": "sqlite:////tmp/wanyuan-settings-test.sqlite3",
}
PASSTHROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH")


def run(args, **env):
    base = {k: v for k, v in os.environ.items() if k in PASSTHROUGH}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True,
                          text=True, timeout=120)


def setting(expression, *, setup=False, **env):
    """The expression over the settings (`s`) as a fresh interpreter with this environment reads them. The
    settings module alone makes them (no app changes a setting), so the apps are loaded only with
    `setup=True`, for what they import: a second and a half less per case."""
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'wanyuan.settings'); "
            f"{'django.setup()' if setup else 'from django.conf import settings; settings.INSTALLED_APPS'}; "
            f"from django.conf import settings as s; print(({expression},))")
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_embedded_default_is_sqlite_under_var_with_tasks_in_process_and_debug():
    assert setting("s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'].endswith('var/db.sqlite3'), "
                   "s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, s.LANGUAGE_CODE, s.TIME_ZONE") == (
        "('django.db.backends.sqlite3', True, True, True, 'zh-hans', 'Asia/Shanghai')")


def test_database_url_switches_to_postgresql_via_psycopg3():
    out = setting("s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
                  DATABASE_URL="postgres://u:p@db.example:5432/portal")
    assert out == "('django.db.backends.postgresql', 'portal')"


def test_a_broker_url_turns_off_in_process_tasks():
    out = setting("s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL", CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert out == "(False, 'redis://127.0.0.1:6379/0')"


def test_production_passes_check_deploy_without_a_warning():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert setting("s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0",
                   **PRODUCTION_ENV) == "(False, True, True, True)"


def test_production_refuses_to_start_without_a_secret_or_hosts():
    without_secret = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run(["manage.py", "check"], **without_secret)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
    result = run(["manage.py", "check"], **{**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": ""})
    assert result.returncode != 0 and "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_the_demo_county():
    result = run(["manage.py", "seed_demo", "--scale", "0.05"], **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refused" in result.stderr


def test_models_and_migrations_agree_whatever_the_hash_seed():
    for seed in ("1", "2"):
        result = run(["manage.py", "makemigrations", "--check", "--dry-run"], PYTHONHASHSEED=seed,
                     DATABASE_URL="sqlite:////tmp/wanyuan-settings-test.sqlite3")
        assert result.returncode == 0, result.stdout + result.stderr


# --- deployment (issue 9) ---------------------------------------------------------------------------------
ODD_PASSWORD = "$p/w@rd:#%?& x"  # a leading $ (django-environ's variable reference), URL delimiters, a space


def database(**env):
    return setting("s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.DATABASES['default']['PORT'], "
                   "s.DATABASES['default']['NAME'], s.DATABASES['default']['USER'], "
                   "s.DATABASES['default']['PASSWORD']", **env)


def test_postgres_settings_pass_any_password_to_the_driver_as_written():
    assert database(POSTGRES_HOST="db.internal", POSTGRES_PASSWORD=ODD_PASSWORD) == repr(
        ("django.db.backends.postgresql", "db.internal", 5432, "wanyuan", "wanyuan", ODD_PASSWORD))
    assert database(POSTGRES_HOST="postgres", POSTGRES_PORT="6432", POSTGRES_DB="portal", POSTGRES_USER="app",
                    POSTGRES_PASSWORD=ODD_PASSWORD, **{k: v for k, v in PRODUCTION_ENV.items()
                                                      if k != "DATABASE_URL"}) == repr(
        ("django.db.backends.postgresql", "postgres", 6432, "portal", "app", ODD_PASSWORD))


def test_a_percent_encoded_password_in_database_url_is_decoded():
    from urllib.parse import quote

    url = f"postgres://wanyuan:{quote(ODD_PASSWORD, safe='')}@db.internal:5432/wanyuan"
    assert database(DATABASE_URL=url) == repr(
        ("django.db.backends.postgresql", "db.internal", 5432, "wanyuan", "wanyuan", ODD_PASSWORD))


def test_production_refuses_to_start_without_a_database_or_with_the_example_placeholders():
    no_database = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    result = run(["manage.py", "check"], **no_database)
    assert result.returncode != 0 and "Production needs DATABASE_URL or POSTGRES_HOST" in result.stderr
    example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    result = run(["manage.py", "check"], **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": example["DJANGO_SECRET_KEY"]})
    assert result.returncode != 0 and "placeholder" in result.stderr
    result = run(["manage.py", "check"], **{**no_database, "POSTGRES_HOST": "postgres",
                                            "POSTGRES_PASSWORD": example["POSTGRES_PASSWORD"]})
    assert result.returncode != 0 and "POSTGRES_PASSWORD" in result.stderr


def test_collectstatic_runs_in_production_without_a_database(tmp_path):
    """The image collects its static files at build time, where no database exists."""
    no_database = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    result = run(["manage.py", "collectstatic", "--noinput", "-v0"], DJANGO_STATIC_ROOT=str(tmp_path), **no_database)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.glob("vendor/bootstrap-5.3.9.min.*.css"))


def test_a_secret_key_starting_with_a_dollar_is_taken_as_written():
    secret = "$" + PRODUCTION_ENV["DJANGO_SECRET_KEY"]
    assert setting("s.SECRET_KEY", **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secret}) == repr((secret,))


def test_production_trusts_forwarded_headers_from_no_one_unless_told():
    assert setting("s.TRUSTED_PROXIES, s.MIDDLEWARE[0]", **PRODUCTION_ENV) == repr(
        ([], "accounts.middleware.ProxyHeadersMiddleware"))
    assert setting("s.TRUSTED_PROXIES", **PRODUCTION_ENV, DJANGO_TRUSTED_PROXIES="172.30.0.10,127.0.0.1") == repr(
        (["172.30.0.10", "127.0.0.1"],))


def settings_read():
    """Every environment variable settings.py reads."""
    import re

    text = (ROOT / "wanyuan" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+|_verbatim)\(\s*"([A-Z][A-Z0-9_]+)"', text))


def test_env_example_lists_every_setting_the_portal_reads():
    import re

    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = settings_read()
    assert len(read) > 25  # the pattern still finds them
    assert read - listed == set()


# Read by settings but deliberately not passed by docker-compose.yml: why, each.
NOT_IN_COMPOSE = {
    "DATABASE_URL": "compose passes POSTGRES_* instead, so the password needs no URL encoding",
    "DJANGO_DEBUG": "production refuses DEBUG anyway",
    "DJANGO_STATIC_ROOT": "collected into the image at build time at the default path",
}


def test_every_setting_reaches_the_containers_and_required_ones_have_no_silent_default():
    import shutil

    import yaml

    if not shutil.which("docker-compose"):
        if os.environ.get("CI") == "true":
            raise AssertionError("CI must have docker-compose")
        import pytest

        pytest.skip("docker-compose is not installed")
    result = subprocess.run(["docker-compose", "-f", "docker-compose.yml", "--env-file", ".env.example", "config"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("migrate", "web", "worker", "beat"):
        environment = services[name]["environment"]
        assert settings_read() - set(environment) - set(NOT_IN_COMPOSE) == set(), name
        assert environment["DJANGO_ENV"] == "production"
    assert services["web"]["environment"]["DJANGO_ALLOWED_HOSTS"] == "portal.example.org"
    assert list(services["proxy"]["ports"]) and all("ports" not in s for n, s in services.items() if n != "proxy")
    compose = (ROOT / "docker-compose.yml").read_text()
    assert ":-}" not in compose  # no empty default for anything
    for required in ("DJANGO_SECRET_KEY", "PORTAL_HOST", "POSTGRES_PASSWORD", "PORTAL_TLS"):
        assert f"${{{required}:?" in compose


def test_sentry_is_imported_and_started_only_when_a_dsn_is_set():
    assert setting("'sentry_sdk' in __import__('sys').modules", setup=True) == "(False,)"  # nor do the apps import it
    dsn = "https://public@127.0.0.1:9/1"  # never contacted: no error happens in this process
    assert setting("__import__('sentry_sdk').get_client().is_active(), "
                   "__import__('sentry_sdk').get_client().options['environment']",
                   setup=True, **PRODUCTION_ENV, SENTRY_DSN=dsn) == "(True, 'production')"
