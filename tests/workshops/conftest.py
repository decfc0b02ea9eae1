import pytest
from django.test import Client


@pytest.fixture
def page():
    """A logged-in Django test client for a user (pages, not the API)."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)  # the real login form is tested in tests/accounts
        return client

    return login


@pytest.fixture
def staff():
    """Give a workshop `count` workers in placements from `start` to `end`, `assisted` of them
    poverty-alleviated (the rest general)."""
    from datetime import date

    from tests.factories import PlacementFactory, WorkerFactory

    def add(workshop, count, assisted=0, start=date(2025, 1, 1), end=None, category="poverty_alleviated"):
        placements = []
        for index in range(count):
            worker = WorkerFactory(category=category if index < assisted else "general")
            placements.append(PlacementFactory(worker=worker, workshop=workshop, start_date=start, end_date=end))
        return placements

    return add
