"""Saved filters (常用筛选, issue 14): a user saves a list's filters under a name, finds them on that list,
reopens and deletes them; nobody else ever sees, opens or deletes them."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from core.models import SavedFilter
from tests.factories import VillageFactory, WorkshopFactory, make_user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def saved_on_page(html) -> list[tuple[str, str]]:
    """(name, link) of the saved filters offered on a list page."""
    return [(unescape(name), unescape(href)) for href, name in re.findall(
        r'<li class="d-flex align-items-center saved-filter"[^>]*>\s*'
        r'<a class="dropdown-item" href="([^"]*)">([^<]*)</a>',
        html)]


def save(client, name, query, path="/workshops/"):
    return client.post(reverse("core-saved-filter-save"), {"path": path, "query": query, "name": name})


@pytest.fixture
def shops(jiuyuan, taiping):
    WorkshopFactory(name="旧院茶叶车间", village=VillageFactory(township=jiuyuan))
    WorkshopFactory(name="太平果蔬车间", village=VillageFactory(township=taiping))


def test_save_list_reopen_and_delete(county_officer, shops):
    client = client_for(county_officer)
    page = client.get("/workshops/", {"township": "旧院", "status": "", "page": "2"}).content.decode()
    # the page's save form carries the current filters, without the page number
    query = unescape(re.search(r'id="save-filter">.*?name="query" value="([^"]*)"', page, re.S).group(1))
    assert parse_qs(query) == {"township": ["旧院"]} and "page" not in query
    response = save(client, "我的旧院", query)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/workshops/"
    assert parse_qs(urlsplit(response["Location"]).query) == {"township": ["旧院"]}

    html = client.get("/workshops/").content.decode()
    [(name, link)] = saved_on_page(html)
    assert name == "我的旧院"
    reopened = client.get(link).content.decode()
    assert "旧院茶叶车间" in reopened and "太平果蔬车间" not in reopened

    # the same name again replaces it
    save(client, "我的旧院", "township=%E5%A4%AA%E5%B9%B3")
    [(_, link)] = saved_on_page(client.get("/workshops/").content.decode())
    assert "太平果蔬车间" in client.get(link).content.decode()

    saved = SavedFilter.objects.get()
    response = client.post(reverse("core-saved-filter-delete", args=[saved.pk]), {"query": "township=x"})
    assert response.status_code == 302 and response["Location"] == "/workshops/?township=x"
    assert saved_on_page(client.get("/workshops/").content.decode()) == []
    assert not SavedFilter.objects.exists()


def test_saved_filters_belong_to_their_list_and_their_user(county_officer, shops):
    other = make_user("county-officer-2", Role.COUNTY_OFFICER)
    mine = client_for(county_officer)
    save(mine, "茶叶", "industry=tea")
    save(mine, "名单", "search=张", path="/labor/workers/")
    assert [n for n, _ in saved_on_page(mine.get("/workshops/").content.decode())] == ["茶叶"]
    assert [n for n, _ in saved_on_page(mine.get("/labor/workers/").content.decode())] == ["名单"]

    theirs = client_for(other)
    assert saved_on_page(theirs.get("/workshops/").content.decode()) == []
    assert saved_on_page(theirs.get("/labor/workers/").content.decode()) == []
    saved = SavedFilter.objects.get(name="茶叶")
    assert theirs.post(reverse("core-saved-filter-delete", args=[saved.pk])).status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_reopening_applies_the_users_scope(township_officer, shops):
    client = client_for(township_officer)
    save(client, "太平", "township=511781100")  # a forged query: another township's code
    [(_, link)] = saved_on_page(client.get("/workshops/").content.decode())
    html = client.get(link).content.decode()
    assert "太平果蔬车间" not in html and "您的范围内没有编号为“511781100”的乡镇。" in unescape(html)


def test_only_list_pages_and_named_filters_are_saved(county_officer):
    client = client_for(county_officer)
    assert save(client, "x", "", path="/accounts/login/").status_code == 404
    assert save(client, "x", "", path="https://elsewhere.example/workshops/").status_code == 404
    response = save(client, "  ", "industry=tea")
    assert response.status_code == 302 and not SavedFilter.objects.exists()
    assert save(client, "长" * 51, "industry=tea").status_code == 302 and not SavedFilter.objects.exists()
    assert client.get(reverse("core-saved-filter-save")).status_code == 405
    assert Client().post(reverse("core-saved-filter-save"), {"path": "/workshops/", "name": "x"}).status_code == 302
    assert not SavedFilter.objects.exists()
