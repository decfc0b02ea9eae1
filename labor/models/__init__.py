from .activity import FollowUp, JobFair, Referral, Returnee
from .core import (
    MONEY,
    Broker,
    Cooperative,
    Membership,
    Payroll,
    Placement,
    Training,
    TrainingCompletion,
    Worker,
    validate_resident_id,
)
from .imports import ImportJob
from .outbound import EastPost, OutboundPlacement, OutboundReferral, OutboundVisit

__all__ = ["MONEY", "Broker", "Cooperative", "EastPost", "FollowUp", "ImportJob", "JobFair", "Membership",
           "OutboundPlacement", "OutboundReferral", "OutboundVisit", "Payroll", "Placement", "Referral", "Returnee",
           "Training", "TrainingCompletion", "Worker", "validate_resident_id"]
