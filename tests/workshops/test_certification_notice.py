"""The printable certification notice of a certified workshop, listed with its history."""

from datetime import date

import pytest

from accounts.choices import Role
from tests.factories import VillageFactory, certified_workshop, make_user
from workshops.choices import CertificationAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(jiuyuan, county_officer):
    workshop = certified_workshop(on=date(2025, 3, 1), village=VillageFactory(township=jiuyuan, name="青花村"),
                                  name="九源茶叶车间")
    workshop.certification_events.update(actor=county_officer)
    return workshop


def test_the_notice_names_the_workshop_enterprise_township_kind_form_date_and_officer(client, county_admin,
                                                                                      workshop, county_officer):
    client.force_login(county_admin)
    page = client.get(f"/workshops/{workshop.pk}/").content.decode()
    event = workshop.certification_events.get(action=CertificationAction.CERTIFIED)
    link = f"/workshops/{workshop.pk}/certifications/{event.pk}/notice/"
    assert f'href="{link}"' in page and "认定公告" in page
    body = client.get(link).content.decode()
    assert "就业帮扶车间认定公告" in body
    for text in (workshop.name, workshop.enterprise.name, workshop.village.township.name, "青花村",
                 workshop.get_kind_display(), workshop.get_form_display(), "2025-03-01", "2025年3月1日"):
        assert str(text) in body
    assert f'id="certifying-officer">{county_officer}' in body
    assert "print.css" in body


def test_a_revocation_has_no_certification_notice(client, county_admin, jiuyuan):
    revoked = certified_workshop(on=date(2025, 1, 1), revoked_on=date(2025, 6, 1),
                                 village=VillageFactory(township=jiuyuan))
    event = revoked.certification_events.get(action=CertificationAction.REVOKED)
    client.force_login(county_admin)
    assert client.get(f"/workshops/{revoked.pk}/certifications/{event.pk}/notice/").status_code == 404


def test_scoped_like_the_lists(client, workshop, taiping):
    event = workshop.certification_events.get()
    url = f"/workshops/{workshop.pk}/certifications/{event.pk}/notice/"
    client.force_login(make_user("taiping-officer", Role.TOWNSHIP_OFFICER, township=taiping))
    assert client.get(url).status_code == 404
    client.force_login(make_user("op", Role.WORKSHOP_OPERATOR, workshop=workshop))
    assert client.get(url).status_code == 403
    assert "certifications/" not in client.get(f"/workshops/{workshop.pk}/").content.decode()


@pytest.mark.browser
def test_the_certification_notice_prints_on_one_a4_page(browser):
    import base64

    from tests.conftest import browser_login
    from tests.factories import PASSWORD, township
    from tests.subsidies.pdf_text import pages_text

    officer = make_user("notice-officer", Role.COUNTY_OFFICER)
    workshop = certified_workshop(on=date(2025, 3, 1), village=VillageFactory(township=township("511781102")),
                                  name="九源茶叶车间")
    event = workshop.certification_events.get()
    browser_login(browser, officer.username, PASSWORD)
    browser.get(f"{browser.base_url}/workshops/{workshop.pk}/certifications/{event.pk}/notice/")
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    pages = pages_text(base64.b64decode(printed["data"]))
    assert len(pages) == 1
    text = pages[0].replace("\n", "")
    assert "九源茶叶" in text and "2025年3月1日" in text and "返回" not in text  # the controls do not print
