"""Pages for the records kept about a worker: cooperative members, training completions and
returnees. The worker is entered by ID number and found only within the user's area; ID numbers in
the lists are masked except for county staff."""

import re

import pytest

from accounts.models import AuditEvent
from labor.models import Membership, Returnee, TrainingCompletion, Worker
from tests.exports import exported
from tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    FollowUpFactory,
    MembershipFactory,
    PlacementFactory,
    PostFactory,
    ReferralFactory,
    ReturneeFactory,
    TrainingCompletionFactory,
    TrainingFactory,
    VillageFactory,
    WorkerFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


def form_errors(response) -> str:
    """The errors the form page shows, on its fields and above them."""
    html = response.content.decode()
    return " ".join(re.findall(r'class="text-danger small field-error">(.*?)</div>', html) +
                    re.findall(r'class="alert alert-danger mb-0" role="alert">(.*?)</div>', html))


class TestMembers:
    def test_officer_adds_a_member_from_the_cooperatives_page_by_id_number(self, page, township_officer, jiuyuan):
        cooperative = CooperativeFactory(township=jiuyuan, name="旧院镇劳务专业合作社")
        worker = WorkerFactory(name="李明", village=VillageFactory(township=jiuyuan))
        client = page(township_officer)

        detail = client.get(f"/labor/cooperatives/{cooperative.pk}/").content.decode()
        members_url = f"/labor/memberships/?cooperative={cooperative.pk}"
        assert f'href="{members_url}"' in detail
        members = client.get(members_url).content.decode()
        new_url = f"/labor/memberships/new/?cooperative={cooperative.pk}"
        assert f'href="{new_url}"' in members  # the filtered list adds to that cooperative
        form = client.get(new_url).content.decode()
        assert re.search(rf'<option value="{cooperative.pk}" selected>', form)

        response = client.post("/labor/memberships/new/", {
            "worker": worker.id_number.lower(), "cooperative": cooperative.pk, "joined_on": "2026-03-01"})
        membership = Membership.objects.get()
        assert response["Location"] == f"/labor/memberships/{membership.pk}/"
        assert (membership.worker, membership.cooperative) == (worker, cooperative)
        assert AuditEvent.objects.filter(action="membership.create", actor=township_officer).count() == 1
        listing = client.get(members_url).content.decode()
        assert "李明" in listing and worker.masked_id_number in listing and worker.id_number not in listing

        # Leaving the cooperative is an edit of the membership; the worker cannot be swapped.
        edit = client.get(f"/labor/memberships/{membership.pk}/edit/").content.decode()
        assert 'name="worker"' not in edit
        client.post(f"/labor/memberships/{membership.pk}/edit/", {
            "cooperative": cooperative.pk, "joined_on": "2026-03-01", "left_on": "2026-09-30"})
        membership.refresh_from_db()
        assert str(membership.left_on) == "2026-09-30" and membership.worker == worker

    def test_a_wrong_or_foreign_id_number_is_refused_and_nothing_saved(self, page, township_officer, jiuyuan,
                                                                         taiping):
        cooperative = CooperativeFactory(township=jiuyuan)
        elsewhere = WorkerFactory(village=VillageFactory(township=taiping))
        client = page(township_officer)
        for number, message in ((elsewhere.id_number, "您的辖区内没有此身份证号的登记人员"),
                                (make_id_number(77)[:17] + "0" if make_id_number(77)[17] != "0"
                                 else make_id_number(77)[:17] + "1", "校验")):
            response = client.post("/labor/memberships/new/", {
                "worker": number, "cooperative": cooperative.pk, "joined_on": "2026-03-01"})
            assert response.status_code == 200
            assert message in form_errors(response), number
        assert not Membership.objects.exists()

    def test_another_townships_cooperative_is_not_offered_nor_accepted(self, page, township_officer, jiuyuan,
                                                                       taiping):
        theirs = CooperativeFactory(township=taiping, name="太平镇合作社")
        worker = WorkerFactory(village=VillageFactory(township=jiuyuan))
        client = page(township_officer)
        assert "太平镇合作社" not in client.get("/labor/memberships/new/").content.decode()
        response = client.post("/labor/memberships/new/", {
            "worker": worker.id_number, "cooperative": theirs.pk, "joined_on": "2026-03-01"})
        assert response.status_code == 200 and not Membership.objects.exists()
        other = MembershipFactory(cooperative=theirs, worker=WorkerFactory(village=VillageFactory(township=taiping)))
        assert client.get(f"/labor/memberships/{other.pk}/").status_code == 404
        assert client.get(f"/labor/memberships/{other.pk}/edit/").status_code == 404


class TestTrainingCompletions:
    def test_operator_records_a_completion_once_and_cannot_edit_it(self, page, operator):
        placement = PlacementFactory()
        user = operator(placement.workshop)
        training = TrainingFactory(organizer_workshop=placement.workshop, name="茶叶加工技能培训")
        client = page(user)
        assert f'href="/labor/training-completions/?training={training.pk}"' in client.get(
            f"/labor/trainings/{training.pk}/").content.decode()

        data = {"worker": placement.worker.id_number, "training": training.pk, "certificate_level": "intermediate",
                "completed_on": "2025-03-20"}
        response = client.post("/labor/training-completions/new/", data)
        completion = TrainingCompletion.objects.get()
        assert response["Location"] == f"/labor/training-completions/{completion.pk}/"
        assert completion.certificate_level == "intermediate"

        again = client.post("/labor/training-completions/new/", data)
        assert again.status_code == 200 and "已完成" in form_errors(again)
        assert TrainingCompletion.objects.count() == 1
        # A completion may already have earned a training subsidy: it is added, never edited.
        detail = client.get(f"/labor/training-completions/{completion.pk}/").content.decode()
        assert 'id="edit"' not in detail
        assert client.get(f"/labor/training-completions/{completion.pk}/edit/").status_code == 404

    def test_a_worker_outside_the_operators_workshop_is_not_found(self, page, operator):
        placement = PlacementFactory()
        stranger = WorkerFactory()
        training = TrainingFactory(organizer_workshop=placement.workshop)
        response = page(operator(placement.workshop)).post("/labor/training-completions/new/", {
            "worker": stranger.id_number, "training": training.pk, "certificate_level": "entry",
            "completed_on": "2025-03-20"})
        assert "您的辖区内没有此身份证号的登记人员" in form_errors(response)
        assert not TrainingCompletion.objects.exists()


class TestReturnees:
    def test_broker_records_a_returnee_in_the_village(self, page, broker, other_village_worker):
        worker = WorkerFactory(name="返乡李明", village=broker.village, returnee=False)
        enterprise = EnterpriseFactory(name="李明茶叶合作社")
        client = page(broker.user)
        response = client.post("/labor/returnees/new/", {
            "worker": worker.id_number, "returned_on": "2026-02-01", "enterprise": enterprise.pk})
        returnee = Returnee.objects.get()
        assert response["Location"] == f"/labor/returnees/{returnee.pk}/"
        assert Worker.objects.get(pk=worker.pk).returnee is True

        refused = client.post("/labor/returnees/new/", {
            "worker": other_village_worker.id_number, "returned_on": "2026-02-01"})
        assert "您的辖区内没有此身份证号的登记人员" in form_errors(refused)
        assert Returnee.objects.count() == 1

        listing = client.get("/labor/returnees/").content.decode()
        assert "返乡李明" in listing and "李明茶叶合作社" in listing
        assert worker.id_number not in listing and worker.masked_id_number in listing

    def test_county_staff_see_whole_numbers_in_the_lists_and_their_excel(self, page, county_admin):
        returnee = ReturneeFactory()
        completion = TrainingCompletionFactory()
        client = page(county_admin)
        assert returnee.worker.id_number in client.get("/labor/returnees/").content.decode()
        assert completion.worker.id_number in client.get("/labor/training-completions/").content.decode()
        export = exported(client, "/labor/training-completions/?export=xlsx")
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(("url", "make"), [
    ("/labor/memberships/", lambda: MembershipFactory(cooperative=CooperativeFactory())),
    ("/labor/training-completions/", TrainingCompletionFactory),
    ("/labor/returnees/", ReturneeFactory),
])
def test_record_lists_run_a_constant_number_of_queries(page, county_admin, django_assert_num_queries, url, make):
    client = page(county_admin)
    make()
    client.get(url)
    with django_assert_num_queries(5, exact=False) as first:
        client.get(url)
    for _ in range(4):
        make()
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_workers_page_lists_their_cooperatives_trainings_and_return(page, broker):
    worker = WorkerFactory(village=broker.village)
    MembershipFactory(worker=worker, cooperative=CooperativeFactory(name="旧院镇劳务专业合作社"))
    TrainingCompletionFactory(worker=worker, training=TrainingFactory(name="乌鸡养殖技能培训"))
    ReturneeFactory(worker=worker, enterprise=EnterpriseFactory(name="返乡创办的茶厂"))
    records = page(broker.user).get(f"/labor/workers/{worker.pk}/").content.decode().split('id="worker-records"')[1]
    assert all(text in records for text in ("旧院镇劳务专业合作社", "乌鸡养殖技能培训", "返乡创办的茶厂"))


def test_the_workers_page_runs_the_same_queries_however_many_records_they_have(
        page, county_admin, django_assert_max_num_queries, django_assert_num_queries):
    """Each of the page's lists is joined only to what it shows (labor.selectors.worker_records): a
    relation the page reads that its query did not join would be one more query per record."""
    worker = WorkerFactory()

    def one_of_each(n):
        placement = PlacementFactory(worker=worker, post=PostFactory())
        FollowUpFactory(placement=placement, note=f"回访{n}")
        ReferralFactory(worker=worker)
        MembershipFactory(worker=worker, cooperative=CooperativeFactory())
        TrainingCompletionFactory(worker=worker, training=TrainingFactory(name=f"培训{n}"))

    ReturneeFactory(worker=worker, enterprise=EnterpriseFactory(name="返乡企业"))  # (one return a worker)

    client = page(county_admin)
    url = f"/labor/workers/{worker.pk}/"
    one_of_each(0)
    client.get(url)
    with django_assert_max_num_queries(15) as first:
        client.get(url)
    for n in range(1, 4):
        one_of_each(n)
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get(url).content.decode()
    assert all(f"{what}{n}" in html for what in ("回访", "培训") for n in range(4)) and "返乡企业" in html


def test_adding_the_same_member_twice_keeps_one_membership_and_says_why(page, township_officer, jiuyuan):
    cooperative = CooperativeFactory(township=jiuyuan)
    worker = WorkerFactory(village=VillageFactory(township=jiuyuan))
    client = page(township_officer)
    data = {"worker": worker.id_number, "cooperative": cooperative.pk, "joined_on": "2026-03-01"}
    assert client.post("/labor/memberships/new/", data).status_code == 302
    again = client.post("/labor/memberships/new/", data)
    assert again.status_code == 200 and "已是该合作社社员" in form_errors(again)
    assert Membership.objects.count() == 1
