# The portal's image: web (gunicorn), worker, beat and the one-shot migrate all run it (docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# pg_dump/pg_restore 15 (PostgreSQL's version) and make, for `make backup` / `make restore` in the container.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies in their own layer: rebuilt only when pyproject.toml changes, not on every code change.
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install . && rm -rf build *.egg-info
COPY . .
# Static files are collected into the image (hashed names, gzip), never at container start. The secret and host
# here are placeholders for this one command (collectstatic needs no database); they are not kept in the
# image's environment.
RUN DJANGO_ENV=production DJANGO_ALLOWED_HOSTS=build.invalid \
    DJANGO_SECRET_KEY=collectstatic-at-image-build-only-this-is-never-a-runtime-secret-0123 \
    python manage.py collectstatic --noinput \
 && useradd --create-home --uid 1000 portal \
 && mkdir -p /data/media /data/backups /data/beat && chown -R portal /data
USER portal
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
