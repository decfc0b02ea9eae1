import pytest
from django.test import Client

from tests.factories import PASSWORD


@pytest.fixture
def page():
    """A logged-in Django test client for a user (pages, not the API)."""

    def login(user) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login
