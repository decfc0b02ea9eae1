"""What waits for the signed-in user (issue 14): a short list of counts, each linking to the list page
already filtered to exactly the rows it counts. The home pages show it and `GET /api/v1/me/todo/`
returns the same items for partner apps.

The to-do is a registry: each item is one function `(user, today) -> Item | None`, decorated with
`@item`; it returns None where the item is not the user's business (their role may not act on it).
Adding an item (e.g. overdue loans) is one more function here. Every function costs a fixed number of
queries (one COUNT, or two for the months without a run), whatever the data size.

Keys are stable English identifiers (the API's contract); labels are Chinese through gettext."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can
from labor import selectors as labor
from labor.choices import ImportStatus, ReferralOutcome
from loans import selectors as loans
from subsidies import selectors as subsidies
from subsidies.choices import RunStatus
from workshops import selectors as workshops
from workshops.choices import DifficultyStatus, WorkshopStatus


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    count: int
    url: str

    def as_dict(self) -> dict:
        return asdict(self)


Source = Callable[..., "Item | None"]
SOURCES: list[Source] = []


def item(source: Source) -> Source:
    """Registers a to-do item; the items are listed in the order they are declared."""
    SOURCES.append(source)
    return source


def items_for(user, today: date | None = None) -> list[Item]:
    """The user's to-do: every registered item that concerns them, with its count now."""
    today = today or timezone.localdate()
    return [entry for source in SOURCES if (entry := source(user, today)) is not None]


def link(url_name: str, fragment: str = "", **params) -> str:
    url = reverse(url_name)
    if params:
        url += "?" + urlencode(params)
    return url + (f"#{fragment}" if fragment else "")


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


# --- the items ----------------------------------------------------------------------------------

@item
def workshops_awaiting_certification(user, today):
    if not can(user, "workshops.workshop.certify"):
        return None
    count = workshops.workshops_awaiting_certification(user=user).count()
    return Item("workshops_awaiting_certification", _("Workshops awaiting certification"), count,
                link("workshop-list", status=WorkshopStatus.APPLIED))


@item
def referrals_awaiting_decision(user, today):
    """Referrals a workshop (its operator, or an official) has still to decide."""
    if not can(user, "labor.referral.decide"):
        return None
    count = labor.pending_referrals(user=user).count()
    return Item("referrals_awaiting_decision", _("Referrals awaiting a decision"), count,
                link("labor-referral-list", outcome=ReferralOutcome.PENDING))


@item
def my_referrals_awaiting_decision(user, today):
    """A broker's own referrals still waiting for the workshop (brokers propose but do not decide)."""
    if not can(user, "labor.referral.propose_page") or can(user, "labor.referral.decide"):
        return None
    count = labor.pending_referrals(user=user, mine=True).count()
    return Item("my_referrals_awaiting_decision", _("My referrals awaiting the workshop's decision"), count,
                link("labor-referral-list", outcome=ReferralOutcome.PENDING, mine="true"))


@item
def placements_without_payroll(user, today):
    """A workshop operator's placements open last month whose payroll for it is not entered yet."""
    if not (can(user, "labor.payroll.menu") and getattr(user, "workshop_id", None)):
        return None
    month = previous_month(today)
    count = labor.placements_without_payroll(user=user, month=month).count()
    return Item("placements_without_payroll",
                _("Placements without payroll for %(month)s") % {"month": f"{month:%Y-%m}"}, count,
                link("labor-placement-list", payroll_missing=f"{month:%Y-%m}"))


@item
def open_difficulties(user, today):
    if not can(user, "workshops.difficulty.resolve"):
        return None
    count = workshops.difficulty_list(user=user).filter(status=DifficultyStatus.OPEN).count()
    return Item("open_difficulties", _("Open difficulties"), count,
                link("difficulty-list", status=DifficultyStatus.OPEN))


@item
def runs_awaiting_approval(user, today):
    if not can(user, "subsidies.run.approve"):
        return None
    count = subsidies.run_list(user=user).filter(status=RunStatus.SUBMITTED).count()
    return Item("runs_awaiting_approval", _("Subsidy runs awaiting approval"), count,
                link("subsidy-run-list", status=RunStatus.SUBMITTED))


@item
def runs_awaiting_payment(user, today):
    if not can(user, "subsidies.run.mark_paid"):
        return None
    count = subsidies.run_list(user=user).filter(status=RunStatus.APPROVED).count()
    return Item("runs_awaiting_payment", _("Approved runs awaiting payment"), count,
                link("subsidy-run-list", status=RunStatus.APPROVED))


@item
def months_without_approved_run(user, today):
    """Past months with payroll but no approved run (the runs page lists them under #gap-months)."""
    if not can(user, "subsidies.run.calculate"):
        return None
    count = len(subsidies.gap_months(user=user))
    return Item("months_without_approved_run", _("Months with payroll but no approved run"), count,
                link("subsidy-run-list", fragment="gap-months"))


@item
def imports_awaiting_confirmation(user, today):
    if not can(user, "labor.import.use"):
        return None
    count = labor.imports_awaiting_confirmation(user=user).count()
    return Item("imports_awaiting_confirmation", _("My imports awaiting confirmation"), count,
                link("labor-import-upload", status=ImportStatus.PREVIEW, mine="true"))


@item
def overdue_loans(user, today):
    """Guarantee loans with an instalment more than 30 days late (loans.selectors): the county follows
    them up."""
    if not can(user, "loans.loan.disburse"):
        return None
    count = loans.overdue_count(user, on=today)
    return Item("overdue_loans", _("Overdue guarantee loans"), count,
                reverse("loan-list") + "?" + loans.OVERDUE_LIST_QUERY)
