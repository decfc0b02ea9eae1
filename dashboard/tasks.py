"""Beat tasks of the dashboard."""

from celery import shared_task


@shared_task
def refresh_facts() -> int:
    """Every minute (beat): the payroll months written since the last refresh and the runs paid since into
    the monthly facts, and the workers whose placements changed since into the work spells, so a dashboard
    request seldom pays for them. Returns how many months, runs and workers."""
    from . import facts

    return len(facts.refresh()) + len(facts.fill_paid()) + facts.refresh_work()
