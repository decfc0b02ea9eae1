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

__all__ = ["MONEY", "Broker", "Cooperative", "FollowUp", "ImportJob", "JobFair", "Membership", "Payroll",
           "Placement", "Referral", "Returnee", "Training", "TrainingCompletion", "Worker", "validate_resident_id"]
