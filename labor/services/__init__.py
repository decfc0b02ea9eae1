"""Writes for labour services: `<entity>_<action>(*, actor, ...)`, atomic, validated, audited."""

from .activity import (
    follow_up_create,
    job_fair_create,
    job_fair_update,
    referral_decide,
    referral_propose,
    returnee_create,
)
from .outbound import (
    east_post_create,
    east_post_update,
    outbound_placement_create,
    outbound_placement_return,
    outbound_referral_decide,
    outbound_referral_propose,
    outbound_visit_create,
)
from .payroll import payroll_upsert_many
from .people import (
    broker_create,
    cooperative_create,
    cooperative_update,
    membership_create,
    membership_update,
    worker_create,
    worker_update,
)
from .placements import placement_create, placement_end
from .trainings import training_completion_create, training_create, training_update

__all__ = [
    "broker_create", "cooperative_create", "cooperative_update", "east_post_create", "east_post_update",
    "follow_up_create", "job_fair_create", "job_fair_update", "outbound_placement_create",
    "outbound_placement_return", "outbound_referral_decide", "outbound_referral_propose", "outbound_visit_create",
    "membership_create", "membership_update", "payroll_upsert_many", "placement_create", "placement_end",
    "referral_decide", "referral_propose", "returnee_create", "training_completion_create", "training_create",
    "training_update", "worker_create", "worker_update",
]
