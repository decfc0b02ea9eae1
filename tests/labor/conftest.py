import pytest
from django.test import Client

from accounts.choices import Role
from tests.factories import BrokerFactory, VillageFactory, WorkerFactory, make_user


@pytest.fixture
def page():
    """A logged-in Django test client for a user (pages, not the API)."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)  # the real login form is tested in tests/accounts
        return client

    return login


@pytest.fixture
def broker(broker_user):
    """The broker_user's Broker row (village in 旧院)."""
    return BrokerFactory(user=broker_user)


@pytest.fixture
def other_village_worker(jiuyuan):
    """A worker in another village of the same township: outside the broker's scope."""
    return WorkerFactory(name="外村工人", village=VillageFactory(township=jiuyuan))


@pytest.fixture
def operator(db):
    from tests.factories import WorkshopFactory

    def make(workshop=None, username="operator"):
        workshop = workshop or WorkshopFactory()
        return make_user(username, Role.WORKSHOP_OPERATOR, township=workshop.village.township, workshop=workshop)

    return make
