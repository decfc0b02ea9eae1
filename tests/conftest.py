import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.test.utils import override_settings
from rest_framework.test import APIClient

from accounts import services
from accounts.choices import Role

from .factories import VillageFactory, make_user, township
from .once import flushed, load_reference_data, migrated_once

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"
# `make test` runs the suite in two processes (pytest-xdist): "gw0", "gw1"; "" when run in one.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


@pytest.fixture(scope="session")
def _migrations_run_once(request):
    """`make test`'s two processes on SQLite: one migrates, the other copies its database, and so do the
    runs after it until a migration changes (tests/once.py)."""
    from django.db import connections

    enabled = bool(XDIST_WORKER) and list(settings.DATABASES) == ["default"] and (
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        and not request.config.getvalue("nomigrations") and not request.config.getvalue("reuse_db"))
    connection = connections["default"]
    create = migrated_once(connection, ROOT / "var" / "test-db", enabled=enabled)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection.creation, "create_test_db", create)
        yield


@pytest.fixture(scope="session")
def django_db_setup(_migrations_run_once, django_db_setup):
    """pytest-django's, with the migrations run once per run (above)."""
    yield


@pytest.fixture(scope="session", autouse=True)
def _redis_databases_of_its_own_per_test_process():
    """Two test processes on CI's one Redis would take each other's tasks (their Celery workers listen on
    the same queue, each pointed at its own test database), share throttle counts and cached figures, and
    one's `cache.clear()` (FLUSHDB) would wipe the other's. So each process gets its own broker and cache
    databases (gw0: 2 and 3, gw1: 4 and 5), and so do the workers, beats and commands it starts (they
    read the environment)."""
    if not XDIST_WORKER:
        yield
        return
    n = int(XDIST_WORKER.removeprefix("gw"))
    changed = {}
    if settings.CELERY_BROKER_URL:
        broker = _redis_database(settings.CELERY_BROKER_URL, 2 + 2 * n)
        changed.update(CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker)
        os.environ["CELERY_BROKER_URL"] = os.environ["CELERY_RESULT_BACKEND"] = broker
        current_app.conf.broker_url = current_app.conf.result_backend = broker
    cache = settings.CACHES["default"]
    if "redis" in cache["BACKEND"].lower():
        location = _redis_database(cache["LOCATION"], 3 + 2 * n)
        changed["CACHES"] = {"default": {**cache, "LOCATION": location}}
        os.environ["CACHE_URL"] = location
    with override_settings(**changed):
        yield


def _redis_database(url: str, number: int) -> str:
    base, _slash, _db = url.rpartition("/")
    return f"{base}/{number}"


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_throwaway_folder(tmp_path_factory):
    """Uploads and reports go to a temporary folder, not var/media; the worker process inherits it."""
    root = str(tmp_path_factory.mktemp("media"))
    os.environ["DJANGO_MEDIA_ROOT"] = root
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """PBKDF2 costs about a second a hash on CI's cores and most tests make a user and log in; the login
    path stays the real one (tests/accounts), only the hash is cheap."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _static_files_looked_up_per_request():
    """WhiteNoise indexes every file under STATIC_ROOT when its middleware starts, and every test client
    starts the middleware again: with a collected var/static (900 files) that was a second per client, a
    quarter of the suite. Looking files up on request (WhiteNoise's development mode) serves the same
    files; production's indexing is tested against a real gunicorn (tests/deploy)."""
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_worker_test(request):
    """Tests run tasks eagerly, except those marked celery_worker, which use a real worker."""
    eager = request.node.get_closest_marker("celery_worker") is None
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = eager
    yield
    current_app.conf.task_always_eager = previous


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool((marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db", "live_server", "browser"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (live server, real worker) flush the tables, taking the 31 townships and the
    WY-2026 policy of the data migrations with them; put them back. pytest-django runs these tests after all
    the others."""
    if not _transactional(request.node):
        yield
        return
    request.getfixturevalue("transactional_db")
    load_reference_data()
    yield
    flushed[0] = True  # by transactional_db, after this


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Work stealing (`make test`) can hand a process other tests after its transactional ones have flushed
    the tables: the reference data goes back (committed) before the next test that is not transactional."""
    if not flushed[0] or _transactional(item):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        load_reference_data()
    flushed[0] = False


@pytest.fixture
def county_admin(db):
    return make_user("county-admin", Role.COUNTY_ADMIN)


@pytest.fixture
def county_officer(db):
    return make_user("county-officer", Role.COUNTY_OFFICER)


@pytest.fixture
def jiuyuan(db):
    return township("511781102")


@pytest.fixture
def taiping(db):
    return township("511781100")


@pytest.fixture
def township_officer(jiuyuan):
    return make_user("jiuyuan-officer", Role.TOWNSHIP_OFFICER, township=jiuyuan)


@pytest.fixture
def broker_user(jiuyuan):
    return make_user("jiuyuan-broker", Role.BROKER, village=VillageFactory(township=jiuyuan))


def api_for(user) -> APIClient:
    """An API client authenticated with a real token issued to the user."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {services.token_issue(user=user)}")
    return client


@pytest.fixture
def api():
    return api_for


# --- a real Celery worker on the real broker ------------------------------------------------

@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the configured broker, using the test database."""
    if not settings.CELERY_BROKER_URL:
        if IN_CI:
            pytest.fail("CI must configure CELERY_BROKER_URL for the worker tests")
        pytest.skip("needs CELERY_BROKER_URL (a Redis broker); .ci/run provides one")
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        pytest.skip("the worker test needs a shared database server (PostgreSQL)")
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "wanyuan", "worker", "--pool=solo",
         "--loglevel=INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail("the Celery worker exited:\n" + worker.stdout.read())
        if current_app.control.ping(timeout=0.5):
            break
    else:
        worker.kill()
        pytest.fail("the Celery worker did not answer within 60 s")
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


# --- a real headless Chromium ----------------------------------------------------------------

IMPLICIT_WAIT = 5  # seconds a find waits for its element to appear


def _chromium_binary() -> tuple[str, str] | None:
    """(binary, headless flag). Debian's chromium-headless-shell first: the same Chromium build (same Blink,
    same layout) without the desktop browser around it; a page load costs it about 40 % less CPU than the
    full browser's --headless=new (the browser tests: 323 s of CPU down to 203 s). Else the full browser."""
    for name, flag in (("chromium-headless-shell", "--headless"), ("chromium", "--headless=new")):
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found, flag
    return None


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven through chromedriver; nothing is downloaded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = _chromium_binary()
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if IN_CI and (found is None or not found[0].endswith("chromium-headless-shell")):
        pytest.fail("CI must install chromium-headless-shell and chromium-driver")
    if not (found and Path(driver_path).exists()):
        pytest.skip("needs Debian's Chromium and its driver "
                    "(apt-get install chromium-headless-shell chromium-driver)")
    binary, headless = found
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (headless, "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=412,915",
                 "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.implicitly_wait(IMPLICIT_WAIT)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium, live_server, transactional_db):
    """A fresh browser session against the live server."""
    chromium.delete_all_cookies()
    chromium.base_url = live_server.url
    yield chromium
    chromium.delete_all_cookies()


def find_now(driver, by: str, selector: str) -> list:
    """The elements the loaded page has now. For asserting that something is absent: `find_elements`
    would first wait the implicit wait (IMPLICIT_WAIT seconds) for it to appear."""
    driver.implicitly_wait(0)
    try:
        return driver.find_elements(by, selector)
    finally:
        driver.implicitly_wait(IMPLICIT_WAIT)


def browser_force_login(driver, user):
    """What `Client.force_login` is to the test client, for the browser: a session of `user` as its cookie,
    set without opening a page (the login form has tests of its own, in tests/accounts). Saves a test the
    login page and the home page it lands on (half a second of Chromium each)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Network.setCookie", {"name": name, "value": client.cookies[name].value,
                                                  "url": driver.base_url, "httpOnly": True, "sameSite": "Lax"})


def browser_login(driver, username: str, password: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(driver.base_url + "/accounts/login/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # wait for the answer (the home page, or the form with its error), or the next get() races it
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#whoami, .alert-danger"))


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL or "none (tasks in-process)"
    return [f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''} {db['NAME']}",
            f"celery broker: {broker}"]
