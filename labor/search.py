"""Workers in the top bar's search (core.search): an ID number whole, a phone whole, a name by a part."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import Kind

from . import resident_id, selectors


def find_workers(user, query):
    workers = selectors.worker_list(user=user).order_by("name", "pk")
    if query.id_number:
        return workers.filter(id_number=query.id_number)
    if query.phone:
        return workers.filter(phone=query.phone)
    if query.name:
        return workers.filter(name__icontains=query.name)
    return workers.none()


def describe_worker(user, worker):
    number = worker.id_number if selectors.shows_full_id_number(user) else resident_id.mask(worker.id_number)
    return worker.name, f"{number} · {worker.village.township} {worker.village}", reverse(
        "labor-worker-detail", args=[worker.pk])


SEARCHES = [Kind("workers", _("Workers"), find_workers, describe_worker, order=10)]
