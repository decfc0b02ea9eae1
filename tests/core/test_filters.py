"""Lists people can use (issue 14): filters choose a township, village, workshop, worker… by name within the
user's scope (never a code box), 全部 where no choice is made, 共 N 条 above the list, the filters kept
through paging, sorting and after an action, and a list's count kept for a minute (issue 13)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from labor.choices import ReferralOutcome
from tests.factories import (
    PostFactory,
    ReferralFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(user, url, params=None):
    response = client_for(user).get(url, params or {}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row_names(html) -> list[str]:
    """The link texts of the list's first column (the record names)."""
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S).group(1)
    return re.findall(r"<tr[^>]*>\s*<td[^>]*>\s*<a [^>]*>([^<]+)</a>", body)


def count_shown(html) -> str:
    return unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="mb-2" id="row-count".*?</p>', html, re.S).group(0)))


def errors(html) -> list[str]:
    return [unescape(e) for e in re.findall(r'<div class="text-danger small filter-error">([^<]*)</div>', html)]


def choices(user, kind, q):
    response = client_for(user).get(reverse("core-choices", args=[kind]), {"q": q}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.json()["results"]


@pytest.fixture
def shops(jiuyuan, taiping):
    here = VillageFactory(township=jiuyuan, name="白羊村")
    there = VillageFactory(township=taiping, name="白羊村")  # the same village name in another township
    return {
        "here": WorkshopFactory(name="旧院茶叶车间", village=here),
        "here2": WorkshopFactory(name="旧院黑鸡车间", village=VillageFactory(township=jiuyuan, name="红旗村")),
        "there": WorkshopFactory(name="太平果蔬车间", village=there),
    }


class TestChoosingByName:
    def test_a_typed_part_of_a_township_name_filters_on_that_township(self, county_officer, shops):
        html = get(county_officer, reverse("workshop-list"), {"township": "旧院"})
        assert sorted(row_names(html)) == ["旧院茶叶车间", "旧院黑鸡车间"]
        assert errors(html) == []
        # the whole name, and the code links elsewhere use (the dashboard's ?township=<code>), the same
        assert sorted(row_names(get(county_officer, reverse("workshop-list"), {"township": "旧院镇"}))) == [
            "旧院茶叶车间", "旧院黑鸡车间"]
        assert row_names(get(county_officer, reverse("workshop-list"), {"township": "511781100"})) == ["太平果蔬车间"]

    def test_an_unknown_name_says_so_instead_of_an_empty_list(self, county_officer, shops):
        html = get(county_officer, reverse("workshop-list"), {"township": "旧院县"})
        assert errors(html) == ["没有名为“旧院县”的乡镇。"]
        assert row_names(html) == []

    def test_no_filter_is_a_code_box(self, county_officer, shops):
        """Every list's township, village, workshop, worker… filter is a text box with suggestions, and its
        label names the thing, not its code or id."""
        for url in ("workshop-list", "post-list", "labor-worker-list", "labor-placement-list", "labor-payroll-list",
                    "labor-referral-list", "membership-list", "training-completion-list"):
            html = get(county_officer, reverse(url))
            form = re.search(r'<form method="get"[^>]*id="filters">(.*?)</form>', html, re.S).group(1)
            labels = re.findall(r'<label class="form-label small mb-0"[^>]*>([^<]*)</label>', form)
            assert not [label for label in labels if re.search(r"代码|编号|id\b|ID", label)], (url, labels)
            for name in re.findall(r'data-choices-url="/choices/([a-z_]+)/"', form):
                assert name in {"township", "village", "workshop", "enterprise", "worker", "cooperative", "post",
                                "broker", "placement", "job_fair", "training"}

    def test_an_ambiguous_name_asks_for_a_choice_and_its_suggestion_is_unique(self, county_officer, shops):
        html = get(county_officer, reverse("workshop-list"), {"village": "白羊村"})
        assert errors(html) == ["有 2 个名为“白羊村”的村，请从提示中选择一个。"] and row_names(html) == []
        offered = choices(county_officer, "village", "白羊")
        assert {o["value"] for o in offered} == {f"白羊村（{v.code}）" for v in
                                                  (shops["here"].village, shops["there"].village)}
        chosen = next(o["value"] for o in offered if o["value"].endswith(f"（{shops['there'].village.code}）"))
        assert row_names(get(county_officer, reverse("workshop-list"), {"village": chosen})) == ["太平果蔬车间"]
        assert "太平镇" in next(o["label"] for o in offered if o["value"] == chosen)

    def test_a_worker_is_chosen_by_name_or_whole_id_number_never_a_part_of_it(self, county_officer, shops):
        worker = WorkerFactory(name="李秀英", village=shops["here"].village)
        post = PostFactory(workshop=shops["here"], title="采茶工")
        ReferralFactory(worker=worker, post=post, outcome=ReferralOutcome.PENDING)
        ReferralFactory(worker=WorkerFactory(name="王强"), post=post, outcome=ReferralOutcome.PENDING)
        url = reverse("labor-referral-list")
        for typed in ("李秀", worker.id_number, worker.id_number.lower(), str(worker.pk)):
            html = get(county_officer, url, {"worker": typed})
            assert errors(html) == [] and count_shown(html) == "共 1 条", typed
        html = get(county_officer, url, {"worker": worker.id_number[:14]})
        assert errors(html) and count_shown(html) == "共 0 条"
        assert choices(county_officer, "worker", worker.id_number[6:14]) == []
        offered = choices(county_officer, "worker", worker.id_number)
        assert [o["value"] for o in offered] == ["李秀英"]
        assert worker.id_number not in offered[0]["label"]  # shown masked, as everywhere outside full views


class TestScope:
    def test_a_township_officer_is_offered_only_their_township(self, township_officer, shops):
        assert [o["value"] for o in choices(township_officer, "township", "")] == ["旧院镇"]
        assert choices(township_officer, "township", "太平") == []
        assert [o["value"] for o in choices(township_officer, "workshop", "车间")] == ["旧院茶叶车间", "旧院黑鸡车间"]
        # the same village name in another township is not theirs: one suggestion, the plain name
        assert [o["value"] for o in choices(township_officer, "village", "白羊")] == ["白羊村"]

    def test_another_townships_name_or_forged_id_gives_an_error_never_its_rows(self, township_officer, shops):
        url = reverse("workshop-list")
        html = get(township_officer, url, {"township": "太平镇"})
        assert errors(html) == ["没有名为“太平镇”的乡镇。"] and row_names(html) == []
        html = get(township_officer, url, {"township": "511781100"})  # 太平镇's code typed into the URL
        assert errors(html) == ["您的范围内没有编号为“511781100”的乡镇。"] and row_names(html) == []
        html = get(township_officer, url, {"enterprise": str(shops["there"].enterprise_id)})
        assert errors(html) and row_names(html) == []
        html = get(township_officer, reverse("labor-placement-list"), {"workshop": str(shops["there"].pk)})
        assert errors(html) and "太平果蔬车间" not in html

    def test_the_api_answers_400_for_a_name_outside_the_scope(self, api, township_officer, shops):
        client = api(township_officer)
        response = client.get("/api/v1/workshops/", {"township": "太平镇"})
        assert response.status_code == 400
        assert "没有名为“太平镇”的乡镇。" in str(response.json())
        assert [r["name"] for r in client.get("/api/v1/workshops/", {"village": "红旗村"}).json()["results"]] == [
            "旧院黑鸡车间"]

    def test_a_typed_percent_sign_is_quoted_back_not_a_server_error(self, api, township_officer, shops):
        # schemathesis sent `training=%25…` and got a 500: the typed value had been put into the message's format
        response = api(township_officer).get("/api/v1/workshops/", {"township": "50%太平%s"})
        assert response.status_code == 400
        assert "没有名为“50%太平%s”的乡镇。" in str(response.json())
        html = get(township_officer, reverse("workshop-list"), {"township": "50%太平%s"})
        assert "没有名为“50%太平%s”的乡镇。" in html and row_names(html) == []

    def test_an_unknown_kind_is_404_and_signing_in_is_required(self, county_officer):
        assert client_for(county_officer).get(reverse("core-choices", args=["nothing"])).status_code == 404
        assert Client().get(reverse("core-choices", args=["township"])).status_code == 302


class TestAll:
    def test_empty_choices_and_yes_no_filters_read_all(self, county_officer, shops):
        html = get(county_officer, reverse("labor-worker-list"))
        form = re.search(r'id="filters">(.*?)</form>', html, re.S).group(1)
        assert "---------" not in form and "未知" not in form
        category = re.search(r'<select name="category".*?</select>', form, re.S).group(0)
        assert re.search(r'<option value="" selected>全部</option>', category)
        returnee = re.search(r'<select name="returnee".*?</select>', form, re.S).group(0)
        assert re.findall(r"<option[^>]*>([^<]*)</option>", returnee) == ["全部", "是", "否"]
        assert 'placeholder="全部"' in re.search(r'<input type="text" name="township"[^>]*>', form).group(0)

    def test_a_yes_no_filter_still_filters(self, county_officer, shops):
        WorkerFactory(name="返乡甲", returnee=True)
        WorkerFactory(name="在家乙", returnee=False)
        html = get(county_officer, reverse("labor-worker-list"), {"returnee": "true"})
        assert row_names(html) == ["返乡甲"]
        assert 'option value="true" selected' in html


class TestCountsAndKeptFilters:
    def test_the_count_is_shown_with_and_without_filters(self, county_officer, shops):
        assert count_shown(get(county_officer, reverse("workshop-list"))) == "共 3 条"
        assert count_shown(get(county_officer, reverse("workshop-list"), {"township": "旧院"})) == "共 2 条"
        assert count_shown(get(county_officer, reverse("workshop-list"), {"township": "太平"})) == "共 1 条"

    def test_paging_and_sort_links_keep_the_filters(self, county_officer, jiuyuan, taiping):
        village = VillageFactory(township=jiuyuan)
        for n in range(55):
            WorkerFactory(name=f"甲{n:02d}", village=village)
        WorkerFactory(name="别处", village=VillageFactory(township=taiping))
        html = unescape(get(county_officer, reverse("labor-worker-list"), {"township": "旧院", "returnee": "false"}))
        assert count_shown(html) == "共 55 条"
        pages = re.findall(r'<a href="(\?[^"]*page=2[^"]*)" class="page-link"', html)
        assert pages and all("township=%E6%97%A7%E9%99%A2" in p and "returnee=false" in p for p in pages)
        sorts = re.findall(r'<th [^>]*>\s*<a href="(\?[^"]*sort=[^"]*)"', html)
        assert sorts and all("township=%E6%97%A7%E9%99%A2" in s for s in sorts)
        page2 = get(county_officer, reverse("labor-worker-list") + pages[0])
        assert count_shown(page2) == "共 55 条" and len(row_names(page2)) == 5
        # filtering again keeps the order the user chose
        sorted_page = get(county_officer, reverse("labor-worker-list"), {"township": "旧院", "sort": "-name"})
        assert '<input type="hidden" name="sort" value="-name">' in sorted_page
        assert row_names(sorted_page)[0] == "甲54"

    def test_deciding_a_referral_returns_to_the_filtered_list(self, county_officer, shops):
        worker = WorkerFactory(name="赵六", village=shops["here"].village)
        referral = ReferralFactory(worker=worker, post=PostFactory(workshop=shops["here"]),
                                   outcome=ReferralOutcome.PENDING)
        client = client_for(county_officer)
        query = "township=%E6%97%A7%E9%99%A2&outcome=pending"
        html = client.get(f"{reverse('labor-referral-list')}?{query}").content.decode()
        back = re.search(r'<input type="hidden" name="back" value="([^"]*)">', html).group(1)
        response = client.post(reverse("labor-referral-decide", args=[referral.pk]),
                               {"outcome": "hired", "reason": "", "back": unescape(back)})
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('labor-referral-list')}?{query}"


class TestCachedCount:
    @override_settings(LIST_COUNT_CACHE_MIN_ROWS=2)
    def test_paging_through_a_big_list_counts_it_once(self, county_officer, shops):
        from django.core.cache import cache

        cache.clear()
        client = client_for(county_officer)
        url = reverse("workshop-list")
        with CaptureQueriesContext(connection) as first:
            assert count_shown(client.get(url, {"township": "旧院"}).content.decode()) == "共 2 条"
        counts = [q["sql"] for q in first.captured_queries if q["sql"].startswith("SELECT COUNT(*) AS \"__count\"")]
        assert len(counts) == 1
        with CaptureQueriesContext(connection) as again:
            html = client.get(url, {"township": "旧院", "page": "1", "sort": "name"}).content.decode()
        assert count_shown(html) == "共 2 条 （1 分钟内的计数）"
        assert not [q for q in again.captured_queries if q["sql"].startswith("SELECT COUNT(*) AS \"__count\"")]
        # another filter, or another user's scope, is counted for itself
        assert count_shown(client.get(url, {"township": "太平"}).content.decode()) == "共 1 条"
        cache.clear()

    def test_small_lists_are_counted_every_time(self, county_officer, shops):
        from django.core.cache import cache

        cache.clear()
        client = client_for(county_officer)
        assert count_shown(client.get(reverse("workshop-list")).content.decode()) == "共 3 条"
        WorkshopFactory(name="新车间")
        assert count_shown(client.get(reverse("workshop-list")).content.decode()) == "共 4 条"


def test_fields_built_before_a_request_do_not_leak_into_it(township_officer, shops):
    """The API schema builds the FilterSets' fields once, with no request: a page after it still offers 全部
    and resolves names within its own user's scope."""
    from labor.filtersets import WorkerFilterSet
    from workshops.filtersets import WorkshopFilterSet

    assert WorkshopFilterSet.base_filters["township"].field is not None
    assert WorkerFilterSet.base_filters["category"].field is not None
    assert WorkerFilterSet.base_filters["returnee"].field is not None
    html = get(township_officer, reverse("workshop-list"), {"township": "太平镇"})
    assert errors(html) == ["没有名为“太平镇”的乡镇。"]
    form = re.search(r'id="filters">(.*?)</form>', get(township_officer, reverse("labor-worker-list")), re.S).group(1)
    assert "---------" not in form and "未知" not in form
