"""No dead ends: on the first page of every list in every demo role's menu, every link answers (no
403, no 404). The data is the demo county's own (seed_demo's steps at a small scale), so workers of
other townships are placed in the township's workshops, as in issue 14."""

import random
import re
from html.parser import HTMLParser
from importlib import import_module
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from accounts.demo import DemoContext
from accounts.models import User
from accounts.navigation import items_for

DEMO_ROLES = ("admin", "county", "township", "broker", "operator", "partner")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href and not href.startswith(("#", "mailto:", "javascript:")):
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return [urljoin(base, href) for href in parser.hrefs]


@pytest.fixture
def demo_county(db):
    ctx = DemoContext(rng=random.Random(2025), scale=0.01, log=lambda *a: None)
    for app in ("regions", "industries", "workshops", "labor", "subsidies"):
        import_module(f"{app}.demo").seed(ctx)
    return ctx


def menu_urls(user):
    for entry in items_for(user):
        yield from ([child["url"] for child in entry["children"]] if "children" in entry else [entry["url"]])


def dead_links(username):
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    dead, seen = [], set()
    for list_url in menu_urls(user):
        response = client.get(list_url)
        assert response.status_code == 200, (username, list_url, response.status_code)
        for link in links_of(response.content.decode(), "http://testserver" + list_url):
            parts = urlsplit(link)
            if parts.netloc != "testserver" or parts.path == urlsplit(list_url).path:
                continue  # another site, or this list again (sorting, pages, filters, its Excel)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen:
                continue
            seen.add(target)
            answer = client.get(target)
            if answer.status_code in (403, 404):
                dead.append((list_url, target, answer.status_code))
    return dead


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_no_link_on_a_list_page_leads_to_a_refusal(demo_county, username):
    dead = dead_links(username)
    assert dead == [], f"{username}: {len(dead)} dead links, e.g. {dead[:10]}"
