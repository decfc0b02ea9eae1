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
