"""Referrals, follow-ups and the labour figures for the dashboard."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.exceptions import Conflict
from labor import selectors, services
from labor.models import Placement, Returnee
from tests.factories import (
    JobFairFactory,
    PayrollFactory,
    PlacementFactory,
    PostFactory,
    ReferralFactory,
    TrainingCompletionFactory,
    VillageFactory,
    WorkerFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


class TestReferrals:
    def test_api_propose_and_operator_decides(self, api, broker, operator):
        worker = WorkerFactory(village=broker.village)
        post = PostFactory(monthly_wage=Decimal("3300.00"))
        response = api(broker.user).post("/api/v1/referrals/", {"worker": worker.pk, "post": post.pk,
                                                               "proposed_on": "2025-02-20"}, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["outcome"] == "pending" and response.json()["broker"] == broker.pk
        boss = api(operator(post.workshop))
        # The broker may not decide; the operator of the post's workshop does.
        assert api(broker.user).post(f"/api/v1/referrals/{response.json()['id']}/decide/",
                                     {"outcome": "hired"}, format="json").status_code == 403
        decided = boss.post(f"/api/v1/referrals/{response.json()['id']}/decide/",
                            {"outcome": "hired", "decided_on": "2025-03-01"}, format="json")
        assert decided.status_code == 200, decided.json()
        placement = Placement.objects.get(pk=decided.json()["placement"])
        assert (placement.start_date, placement.monthly_wage, placement.source) == (date(2025, 3, 1),
                                                                                    Decimal("3300.00"), "broker")
        again = boss.post(f"/api/v1/referrals/{response.json()['id']}/decide/", {"outcome": "declined"},
                          format="json")
        assert again.status_code == 409

    def test_other_workshop_operator_cannot_see_the_referral(self, api, operator):
        referral = ReferralFactory()
        stranger = api(operator(WorkshopFactory(), username="stranger"))
        assert stranger.post(f"/api/v1/referrals/{referral.pk}/decide/", {"outcome": "hired"},
                             format="json").status_code == 404

    def test_same_worker_twice_for_a_post_is_refused(self, county_admin):
        referral = ReferralFactory()
        with pytest.raises(Conflict):
            services.referral_propose(actor=county_admin, worker=referral.worker, post=referral.post)

    def test_a_decision_is_audited_as_the_outcome_old_and_new(self, operator):
        from accounts.models import AuditEvent

        referral = ReferralFactory()
        boss = operator(referral.post.workshop)
        services.referral_decide(actor=boss, referral=referral, outcome="hired", decided_on=referral.proposed_on)
        event = AuditEvent.objects.get(action="referral.decide", object_id=str(referral.pk))
        referral.refresh_from_db()
        assert event.actor == boss
        assert event.changes["outcome"] == ["pending", "hired"]
        assert event.changes["placement"] == [None, referral.placement_id]

    def test_a_broker_may_not_decide_and_nothing_is_written(self, broker):
        from django.core.exceptions import PermissionDenied

        referral = ReferralFactory()
        with pytest.raises(PermissionDenied):
            services.referral_decide(actor=broker.user, referral=referral, outcome="hired")
        referral.refresh_from_db()
        assert referral.outcome == "pending" and referral.placement_id is None


class TestFigures:
    def test_labour_figures_scoped_by_township(self, county_admin, township_officer, jiuyuan, taiping):
        here = WorkshopFactory(village=VillageFactory(township=jiuyuan))
        there = WorkshopFactory(village=VillageFactory(township=taiping))
        reserved = PostFactory(workshop=here, reserved=True, headcount=4)
        p1 = PlacementFactory(workshop=here, post=reserved, source="broker",
                              worker=WorkerFactory(category="poverty_alleviated"))
        p2 = PlacementFactory(workshop=there, source="job_fair", worker=WorkerFactory(category="general"))
        PayrollFactory(placement=p1, month=date(2025, 5, 1), wage_paid=Decimal("3000"))
        PayrollFactory(placement=p2, month=date(2025, 5, 1), wage_paid=Decimal("3400"))
        ReferralFactory(post=reserved, worker=p1.worker, outcome="hired", decided_on=date(2025, 2, 2), placement=p1)
        ReferralFactory(post=reserved, outcome="declined", decided_on=date(2025, 2, 2))
        ReferralFactory(post=reserved)
        county = selectors.labour_figures(user=county_admin)
        assert county["placements"] == 2
        assert county["placements_by_source"] == {"broker": 1, "job_fair": 1}
        assert county["average_monthly_wage"] == Decimal("3200.00")
        assert county["match_rate"] == 0.5 and county["referrals_pending"] == 1
        assert county["reserved_posts"] == 4 and county["reserved_posts_filled"] == 1
        assert county["reserved_fill_rate"] == 0.25
        officer = selectors.labour_figures(user=township_officer)
        assert officer["placements"] == 1 and officer["average_monthly_wage"] == Decimal("3000.00")
        JobFairFactory(township=jiuyuan), JobFairFactory(township=taiping)
        home_here = WorkerFactory(village=VillageFactory(township=jiuyuan))
        home_there = WorkerFactory(village=VillageFactory(township=taiping))
        TrainingCompletionFactory(worker=home_here), TrainingCompletionFactory(worker=home_there)
        Returnee.objects.create(worker=home_there, returned_on=date(2024, 3, 1))
        only_taiping = selectors.labour_figures(user=county_admin, township=taiping)
        assert only_taiping["placements"] == 1 and only_taiping["placements_by_source"] == {"job_fair": 1}
        assert (only_taiping["job_fairs"], only_taiping["training_completions"], only_taiping["returnees"]) == (
            1, 1, 1)
        only_jiuyuan = selectors.labour_figures(user=county_admin, township=jiuyuan)
        assert (only_jiuyuan["job_fairs"], only_jiuyuan["training_completions"], only_jiuyuan["returnees"]) == (
            1, 1, 0)

    def test_figures_use_a_fixed_number_of_queries(self, county_admin, django_assert_max_num_queries):
        for _ in range(3):
            PayrollFactory()
        with django_assert_max_num_queries(15) as few:
            selectors.labour_figures(user=county_admin)
        for _ in range(10):
            PayrollFactory()
        with django_assert_max_num_queries(len(few.captured_queries)):
            selectors.labour_figures(user=county_admin)
