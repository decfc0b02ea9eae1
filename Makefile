# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_SCALE ?= 0.1
APPS := accounts regions industries workshops labor loans subsidies dashboard

.PHONY: run test worker beat lint messages clean backup restore

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty --scale $(DEMO_SCALE)
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Two processes (one per core of CI's machine); TEST_PROCESSES=0 runs the suite in this one. Work stealing:
# each process takes half the tests in order (a module's once-built data is built once, not once per
# process) and one that runs out takes from the other's queue, so the two end together.
TEST_PROCESSES ?= 2

# PYTHONDONTWRITEBYTECODE (set in some shells and images) would make every test process compile the test
# modules and re-write their assertions again (6 s of CPU each; __pycache__ is ignored by git).
test: $(STAMP)
	mkdir -p var
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist worksteal $(PYTEST_ARGS)

worker: $(STAMP)
	$(BIN)/celery -A wanyuan worker -l info

beat: $(STAMP)
	$(BIN)/celery -A wanyuan beat -l info --schedule var/celerybeat-schedule

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Each app keeps its own catalogue (code and templates/<app>/); the project's covers wanyuan/ and
# the shared templates. Needs gettext; the compiled .mo files are committed.
messages: $(STAMP)
	for app in $(APPS); do \
	  (cd $$app && mkdir -p locale && ln -sfn ../templates/$$app templates_src && \
	   PYTHONPATH=.. DJANGO_SETTINGS_MODULE=wanyuan.settings ../$(BIN)/django-admin makemessages \
	     -l zh_Hans --symlinks --no-obsolete -i 'migrations/*' ; rm -f templates_src); \
	done
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete -i '.venv/*' -i 'var/*' \
	  $(foreach app,$(APPS),-i '$(app)/*' -i 'templates/$(app)/*') -i 'tests/*' -i 'bench/*'
	$(BIN)/python manage.py compilemessages --ignore .venv

# Backups (README "Operations"): the database and media into $(BACKUP_DIR)/<timestamp>/; restore takes
# BACKUP=folder (default: the newest complete one). Uses the checkout's .venv when there is one, else python3
# (the image's), and the same settings as the portal (DATABASE_URL or POSTGRES_*, DJANGO_MEDIA_ROOT, BACKUP_DIR).
BACKUP_PYTHON ?= $(if $(wildcard $(BIN)/python),$(BIN)/python,python3)

backup:
	$(BACKUP_PYTHON) deploy/backup.py create

restore:
	$(BACKUP_PYTHON) deploy/backup.py restore $(BACKUP)

clean:
	rm -rf $(VENV) var/db.sqlite3 var/test-db
