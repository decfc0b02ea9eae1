"""Celery application: eager in-process without a broker, a real worker with Redis."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")

app = Celery("wanyuan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
