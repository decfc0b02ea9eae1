"""Beat tasks of the dashboard."""

from celery import shared_task


@shared_task
def refresh_facts() -> int:
    """Every minute (beat): the payroll months written since the last refresh and the runs paid since into
    the monthly facts, so a dashboard request seldom pays for them. Returns how many months and runs."""
    from . import facts

    return len(facts.refresh()) + len(facts.fill_paid())
