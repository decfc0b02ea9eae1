#!/usr/bin/env bash
# Production smoke test, run by .ci/run: the stack of docker-compose.yml started by hand with the same commands
# and settings, from an install of the project's own dependencies only (`pip install .`, no test extras):
# Caddy (deploy/Caddyfile, TLS from its internal CA) -> gunicorn (deploy/gunicorn.conf.py, DJANGO_ENV=production)
# -> PostgreSQL and Redis given by the caller; a Celery worker and beat. Then deploy/smoke_checks.py, and
# make backup -> drop the database -> make restore -> the same row counts and totals.
#
#   SMOKE_PGPORT=25433 SMOKE_REDISPORT=26380 deploy/smoke.sh
# Optional: SMOKE_PORT_BASE (default 8540: gunicorn, +1 https, +2 http, +3 Caddy admin), SMOKE_VENV (reuse
# a venv), SMOKE_REDIS_DB (default 5: it uses that database and the next one, away from the tests' 0 and 1),
# SMOKE_PGDATA (that PostgreSQL's data folder: the portal then logs in as a role with a password full of
# / @ : # % $ that PostgreSQL really checks, instead of the trusted superuser).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PGPORT=${SMOKE_PGPORT:?SMOKE_PGPORT: the port of a PostgreSQL with a trusting wanyuan superuser}
REDISPORT=${SMOKE_REDISPORT:?SMOKE_REDISPORT: the port of a Redis}
BASE=${SMOKE_PORT_BASE:-8540}
RDB=${SMOKE_REDIS_DB:-5}
DB=wanyuan_smoke
T0=$(date +%s)
WORK=$(mktemp -d /tmp/wanyuan-smoke.XXXXXX)
PIDS=()

stage() { echo "== smoke: $* ($(( $(date +%s) - T0 )) s)"; }
cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  [ -n "${SMOKE_KEEP_LOGS:-}" ] && cp -r "$WORK"/*.log "$SMOKE_KEEP_LOGS"/ 2>/dev/null
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  dropdb -h 127.0.0.1 -p "$PGPORT" -U wanyuan --if-exists "$DB" 2>/dev/null
  if [ -n "${SMOKE_PGDATA:-}" ] && grep -q "wanyuan-smoke" "$SMOKE_PGDATA/pg_hba.conf" 2>/dev/null; then
    sed -i '/wanyuan-smoke/d' "$SMOKE_PGDATA/pg_hba.conf"
    runuser -u postgres -- pg_ctl -D "$SMOKE_PGDATA" reload >/dev/null
    psql -h 127.0.0.1 -p "$PGPORT" -U wanyuan -d postgres -qc "DROP ROLE IF EXISTS wanyuan_smoke" 2>/dev/null
  fi
  redis-cli -p "$REDISPORT" -n "$RDB" flushdb >/dev/null 2>&1
  redis-cli -p "$REDISPORT" -n "$((RDB + 1))" flushdb >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
start() {  # start NAME COMMAND...: in the background, output to $WORK/NAME.log
  local name=$1; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}
fail() { echo "SMOKE FAILED: $*" >&2; for f in "$WORK"/*.log; do echo "--- $f"; tail -n 30 "$f"; done >&2; exit 1; }

stage "install the project's dependencies only (pip install ., as the image's first layer)"
VENV=${SMOKE_VENV:-$WORK/venv}
if [ ! -x "$VENV/bin/celery" ]; then
  python3 -m venv "$VENV"
  mkdir "$WORK/layer" && cp pyproject.toml "$WORK/layer/"
  (cd "$WORK/layer" && "$VENV/bin/pip" install -q . 2>&1 | grep -v "^WARNING: Location" || true)
fi
PY=$VENV/bin/python
"$PY" -c "import importlib.util as u, sys; extra=[m for m in ('pytest', 'factory', 'selenium', 'ruff') if u.find_spec(m)]; sys.exit(f'test extras installed: {extra}' if extra else 0)"
"$VENV/bin/celery" --version >/dev/null || fail "celery does not start from a clean install"

# The production environment, as docker-compose.yml sets it (the password is only carried: CI's PostgreSQL
# trusts local connections, but it goes through settings exactly like the real one, / @ : # % and all).
unset DATABASE_URL
export DJANGO_ENV=production
DJANGO_SECRET_KEY=$("$PY" -c "import secrets; print('\$' + secrets.token_urlsafe(50))")
export DJANGO_SECRET_KEY
export PORTAL_HOST=portal.smoke.test PORTAL_TLS=internal
export DJANGO_ALLOWED_HOSTS=$PORTAL_HOST DJANGO_CSRF_TRUSTED_ORIGINS=https://$PORTAL_HOST
export DJANGO_TRUSTED_PROXIES=127.0.0.1
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$PGPORT POSTGRES_DB=$DB POSTGRES_USER=wanyuan
export POSTGRES_PASSWORD='$p/w@rd:#%?&'
export CELERY_BROKER_URL=redis://127.0.0.1:$REDISPORT/$RDB CACHE_URL=redis://127.0.0.1:$REDISPORT/$((RDB + 1))
export DJANGO_MEDIA_ROOT=$WORK/media DJANGO_STATIC_ROOT=$WORK/static BACKUP_DIR=$WORK/backups
export GUNICORN_BIND=127.0.0.1:$BASE GUNICORN_WORKERS=2
export PORTAL_UPSTREAM=127.0.0.1:$BASE PORTAL_HTTPS_PORT=$((BASE + 1)) PORTAL_HTTP_PORT=$((BASE + 2))
export CADDY_ADMIN=127.0.0.1:$((BASE + 3)) XDG_DATA_HOME=$WORK/caddy-data XDG_CONFIG_HOME=$WORK/caddy-config

stage "migrate (the compose stack's one-shot migrate service)"
dropdb -h 127.0.0.1 -p "$PGPORT" -U wanyuan --if-exists "$DB"
createdb -h 127.0.0.1 -p "$PGPORT" -U wanyuan "$DB"
if [ -n "${SMOKE_PGDATA:-}" ]; then
  # A role that must give its password (scram), first in pg_hba.conf, so nothing is trusted for it.
  echo "CREATE ROLE wanyuan_smoke LOGIN PASSWORD :'pw'; ALTER DATABASE $DB OWNER TO wanyuan_smoke;" |
    psql -h 127.0.0.1 -p "$PGPORT" -U wanyuan -d postgres -q -v ON_ERROR_STOP=1 -v pw="$POSTGRES_PASSWORD"
  psql -h 127.0.0.1 -p "$PGPORT" -U wanyuan -d "$DB" -qc "ALTER SCHEMA public OWNER TO wanyuan_smoke"
  sed -i "1i host all wanyuan_smoke 127.0.0.1/32 scram-sha-256 # wanyuan-smoke" "$SMOKE_PGDATA/pg_hba.conf"
  runuser -u postgres -- pg_ctl -D "$SMOKE_PGDATA" reload >/dev/null
  sleep 0.5
  export POSTGRES_USER=wanyuan_smoke
  if PGPASSWORD=wrong psql -h 127.0.0.1 -p "$PGPORT" -U wanyuan_smoke -d "$DB" -qc "select 1" >/dev/null 2>&1; then
    fail "PostgreSQL accepts a wrong password for wanyuan_smoke: the password proves nothing"
  fi
  echo "PostgreSQL checks the password of wanyuan_smoke: $POSTGRES_PASSWORD"
fi
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py check --deploy --fail-level WARNING
stage "demo data at scale 0.01 (seed_demo refuses production: development settings, same database)"
DJANGO_ENV=development CELERY_BROKER_URL= "$PY" manage.py seed_demo --scale 0.01 >"$WORK/seed.log"
# (`--password=…` in one word: a token may start with "-", which argparse would take for an option)
SMOKE_USER=smoke-admin SMOKE_PASSWORD=$("$PY" -c "import secrets; print(secrets.token_urlsafe(16))")
export SMOKE_USER SMOKE_PASSWORD
"$PY" manage.py create_user "$SMOKE_USER" --role county_admin --password="$SMOKE_PASSWORD" >/dev/null

stage "collectstatic with the production storage (the image's build step)"
"$PY" manage.py collectstatic --noinput -v0
ls "$DJANGO_STATIC_ROOT"/vendor/bootstrap-5.3.9.min.*.css >/dev/null

stage "start gunicorn, the worker, beat and Caddy as docker-compose.yml does"
start web "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py
start worker "$VENV/bin/celery" -A wanyuan worker -l info --concurrency 1 -n "smoke@%h"
start beat "$VENV/bin/celery" -A wanyuan beat -l info --schedule "$WORK/celerybeat-schedule"
start proxy caddy run --config deploy/Caddyfile --adapter caddyfile
for _ in $(seq 150); do
  HEALTHCHECK_URL=http://$GUNICORN_BIND/healthz "$PY" deploy/healthcheck.py >/dev/null 2>&1 && break; sleep 0.2
done
HEALTHCHECK_URL=http://$GUNICORN_BIND/healthz "$PY" deploy/healthcheck.py || fail "web health check"
CA=$XDG_DATA_HOME/caddy/pki/authorities/local/root.crt
for _ in $(seq 150); do [ -s "$CA" ] && curl -fsS -o /dev/null --cacert "$CA" \
  --resolve "$PORTAL_HOST:$PORTAL_HTTPS_PORT:127.0.0.1" "https://$PORTAL_HOST:$PORTAL_HTTPS_PORT/healthz" && break
  sleep 0.2; done
curl -fsS --cacert "$CA" --resolve "$PORTAL_HOST:$PORTAL_HTTPS_PORT:127.0.0.1" \
  "https://$PORTAL_HOST:$PORTAL_HTTPS_PORT/healthz" || fail "/healthz through Caddy"
echo
for _ in $(seq 60); do
  "$VENV/bin/celery" -A wanyuan inspect ping -d "smoke@$(hostname)" --timeout 2 >/dev/null 2>&1 && break; sleep 0.5
done
"$VENV/bin/celery" -A wanyuan inspect ping -d "smoke@$(hostname)" --timeout 5 || fail "worker ping"
if "$PY" manage.py help healthcheck >/dev/null 2>&1; then
  for _ in $(seq 120); do "$PY" manage.py healthcheck beat >/dev/null 2>&1 && break; sleep 0.5; done
  "$PY" manage.py healthcheck beat || fail "beat health check"
else
  echo "(manage.py healthcheck not in this tree: beat's health check not exercised)"
fi

stage "checks through the proxy"
SMOKE_HOST=$PORTAL_HOST SMOKE_HTTPS_PORT=$PORTAL_HTTPS_PORT SMOKE_HTTP_PORT=$PORTAL_HTTP_PORT SMOKE_CA=$CA \
  "$PY" deploy/smoke_checks.py http || fail "http checks"
grep -q '"logger": "gunicorn.access"' "$WORK/web.log" || fail "gunicorn's access log is not JSON"
"$PY" - "$WORK/web.log" <<'EOF' || fail "log lines"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
access = [line for line in lines if line["logger"] == "gunicorn.access"]
assert access and all(line["request_id"] and line["time"].endswith("+00:00") for line in access), access[:2]
print(f"ok  {len(lines)} JSON log lines from web, {len(access)} access lines with a request id")
EOF

stage "backup -> drop the database -> restore"
for pid in "${PIDS[@]:1:2}"; do kill -TERM "$pid"; done  # worker and beat stop for a restore (README)
"$PY" deploy/smoke_checks.py counts >"$WORK/before.json"
make -s backup BACKUP_PYTHON="$PY"
# --force: the web server keeps its connections (CONN_MAX_AGE), and a lost database takes them with it;
# the login page after the restore shows that the web server reconnects on its own (CONN_HEALTH_CHECKS).
dropdb --force -h 127.0.0.1 -p "$PGPORT" -U wanyuan "$DB"
createdb -h 127.0.0.1 -p "$PGPORT" -U wanyuan "$DB"
[ -z "${SMOKE_PGDATA:-}" ] || psql -h 127.0.0.1 -p "$PGPORT" -U wanyuan -d postgres -qc "ALTER DATABASE $DB OWNER TO wanyuan_smoke"
rm -rf "${DJANGO_MEDIA_ROOT:?}"/*
make -s restore BACKUP_PYTHON="$PY"
"$PY" deploy/smoke_checks.py counts >"$WORK/after.json"
diff "$WORK/before.json" "$WORK/after.json" || fail "the restored database differs from the backed-up one"
"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print('ok  restored:', d['subsidies.SubsidyLine'], 'subsidy lines,', d['subsidy line amounts'], 'yuan,', sum(v for v in d.values() if isinstance(v, int)), 'rows in', len(d) - 1, 'tables')" "$WORK/after.json"
[ -n "$(ls -A "$DJANGO_MEDIA_ROOT")" ] || fail "the media files were not restored"
curl -fsS -o /dev/null --cacert "$CA" --resolve "$PORTAL_HOST:$PORTAL_HTTPS_PORT:127.0.0.1" \
  "https://$PORTAL_HOST:$PORTAL_HTTPS_PORT/accounts/login/" || fail "login page after the restore"
stage "passed"
