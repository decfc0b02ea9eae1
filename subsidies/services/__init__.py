"""Writes for subsidies: policies, the monthly calculation, the approval workflow, reports."""

from .policies import policy_for, policy_lock, policy_save, terms_of  # noqa: F401
from .reports import report_build, report_request  # noqa: F401
from .workflow import (  # noqa: F401
    line_clear,
    run_approve,
    run_calculate,
    run_mark_paid,
    run_reject,
    run_request,
    run_retry,
    run_submit,
)
