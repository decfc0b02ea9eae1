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


def setting(expression, **env):
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'wanyuan.settings'); "
            f"django.setup(); from django.conf import settings as s; print(({expression},))")
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
