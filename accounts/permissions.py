"""Who may do what: one named permission per action, asked alike by services (`require`), API
permissions, page views, menus and templates (`can`).

A permission is a set of roles; with an object, the object must also lie in the user's scope
(accounts.scoping), so "may a township officer certify this workshop" is one question everywhere.
Background jobs act as `SYSTEM`, an explicit actor that holds every permission, instead of `None`.

It lives in `accounts`, not `core`, because roles and scope are accounts' own: `core` stays free of
domain knowledge, and every domain app may import accounts.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .choices import COUNTY_ROLES, Role
from .scoping import in_scope

COUNTY = COUNTY_ROLES
COUNTY_ADMIN = frozenset({Role.COUNTY_ADMIN})
OFFICIALS = COUNTY | {Role.TOWNSHIP_OFFICER}
FIELD = OFFICIALS | {Role.BROKER}  # officials and the village brokers who register people
EMPLOYERS = OFFICIALS | {Role.WORKSHOP_OPERATOR}
PARTNER = frozenset({Role.PARTNER})
STATION = frozenset({Role.LIAISON_STATION})  # the east labour liaison station: outbound records only
# Every role of the programme's own records. The station is not in it: it holds the outbound permissions
# below and its own account's (ALL_USERS), nothing of any other model.
EVERYONE = frozenset(Role.values) - STATION
ALL_USERS = frozenset(Role.values)

# Permission name -> roles holding it. Names are "<app>.<thing>.<verb>"; "write" covers create and edit.
RULES: dict[str, frozenset] = {
    # industries
    "industries.enterprise.write": OFFICIALS | PARTNER,
    "industries.production_base.write": OFFICIALS,
    "industries.livestream.write": OFFICIALS,
    "industries.brand.write": COUNTY,
    "industries.industry_output.write": COUNTY,
    "industries.east_market_sale.write": COUNTY,
    "industries.cooperation_fund.write": COUNTY,
    # workshops
    "workshops.workshop.write": OFFICIALS | PARTNER,
    "workshops.workshop.certify": OFFICIALS | PARTNER,  # certify and revoke
    "workshops.post.write": EMPLOYERS | PARTNER,
    "workshops.liaison.write": OFFICIALS,
    "workshops.difficulty.write": EMPLOYERS | PARTNER,  # raise and update
    "workshops.difficulty.resolve": EMPLOYERS,
    "workshops.certification_notice.view": OFFICIALS,  # the printable notice of a certified workshop
    # labor
    "labor.worker.write": FIELD | EMPLOYERS | PARTNER,
    "labor.cooperative.write": OFFICIALS,
    "labor.membership.write": FIELD | PARTNER,
    "labor.broker.write": OFFICIALS,
    "labor.placement.write": FIELD | EMPLOYERS | PARTNER,  # create and end
    "labor.payroll.write": EMPLOYERS | PARTNER,
    "labor.referral.propose": FIELD | PARTNER,
    "labor.referral.decide": EMPLOYERS,
    "labor.follow_up.write": FIELD | PARTNER,
    "labor.job_fair.write": OFFICIALS,
    "labor.training.write": EMPLOYERS | PARTNER,
    "labor.training_completion.write": EMPLOYERS | PARTNER,
    "labor.returnee.write": FIELD | PARTNER,
    "labor.import.use": FIELD | {Role.WORKSHOP_OPERATOR},
    # East labour cooperation (issue 16): brokers propose workers for east posts as for local ones; the
    # liaison station (county-wide) decides, records the placements, their return and its follow-up visits.
    "labor.east_post.write": STATION | COUNTY,
    "labor.outbound_referral.propose": FIELD | PARTNER,
    "labor.outbound_referral.decide": STATION,
    "labor.outbound_placement.write": STATION | COUNTY,  # record, and record the return
    "labor.outbound_visit.write": STATION,
    "labor.outbound_visit.overdue": STATION | COUNTY,  # the station's to-do, overseen by county staff
    "labor.outbound_referral.propose_page": FIELD,
    "labor.outbound.menu": STATION | FIELD,
    "labor.outbound_visit.menu": STATION,
    # subsidies
    "subsidies.run.view": EVERYONE - {Role.BROKER},
    "subsidies.run.calculate": COUNTY,  # request, recalculate, retry
    "subsidies.run.submit": COUNTY,
    "subsidies.run.approve": COUNTY_ADMIN,  # approve and reject
    "subsidies.run.mark_paid": COUNTY_ADMIN,
    "subsidies.line.clear": COUNTY,
    "subsidies.report.request": EVERYONE - {Role.BROKER},
    "subsidies.policy.view": COUNTY,
    "subsidies.policy.edit": COUNTY_ADMIN,
    # public notices (公示), payment sheets (发放表): officials print their township's; county staff and a
    # township's officer record that its notice was posted
    "subsidies.notice.view": OFFICIALS,
    "subsidies.notice.post": OFFICIALS,
    "subsidies.sheet.view": OFFICIALS,
    # dashboard
    "dashboard.county.view": OFFICIALS,  # the county dashboard, its brief and workbook (a township officer: theirs)
    # accounts and the system
    "accounts.user.manage": COUNTY_ADMIN,
    "accounts.api_client.manage": COUNTY_ADMIN,
    "accounts.audit.view": COUNTY_ADMIN,
    "core.system_status.view": COUNTY_ADMIN,
    "core.download.view": ALL_USERS,  # each user's own downloads (the views keep to the owner)
    # Pages that keep their own roles where the API's differ: partner systems write over the API only.
    "industries.enterprise.write_page": OFFICIALS,
    "workshops.workshop.write_page": OFFICIALS,
    "workshops.workshop.certify_page": OFFICIALS,
    "workshops.post.write_page": EMPLOYERS,
    "workshops.difficulty.write_page": EMPLOYERS,
    "labor.worker.write_page": FIELD | EMPLOYERS,
    "labor.membership.write_page": FIELD,
    "labor.referral.propose_page": FIELD,
    "labor.follow_up.write_page": FIELD,
    "labor.training.write_page": EMPLOYERS,
    "labor.training_completion.write_page": EMPLOYERS,
    "labor.returnee.write_page": FIELD,
    # The API's imports: partner systems import too (the pages' "labor.import.use" does not include them).
    "labor.import.use_api": FIELD | EMPLOYERS | PARTNER,
    # Menus: who has an entry in their menu ("<app>.<thing>.menu"). The list behind it may be open
    # wider (every signed-in user reads their scope); the menu shows each role the lists of its work.
    "dashboard.home.menu": ALL_USERS,  # the brand link leads every signed-in user home
    "workshops.workshop.menu": EVERYONE,
    "workshops.post.menu": EVERYONE,
    "workshops.liaison.menu": EVERYONE,
    "workshops.difficulty.menu": EVERYONE,
    "labor.home.menu": frozenset({Role.BROKER}),
    "labor.worker.menu": FIELD | EMPLOYERS,
    "labor.referral.menu": FIELD | EMPLOYERS,
    "labor.placement.menu": FIELD | EMPLOYERS,
    "labor.payroll.menu": EMPLOYERS,
    "labor.cooperative.menu": FIELD,
    "labor.job_fair.menu": FIELD | EMPLOYERS,
    "labor.training.menu": EMPLOYERS,
    "labor.returnee.menu": FIELD,
    "industries.enterprise.menu": EVERYONE - {Role.WORKSHOP_OPERATOR},
    "industries.production_base.menu": EVERYONE - {Role.WORKSHOP_OPERATOR},
    "industries.brand.menu": EVERYONE,
    "industries.industry_output.menu": EVERYONE,
    "industries.livestream.menu": EVERYONE - {Role.WORKSHOP_OPERATOR},
    "industries.east_market_sale.menu": EVERYONE - {Role.WORKSHOP_OPERATOR},
    "industries.cooperation_fund.menu": EVERYONE - {Role.WORKSHOP_OPERATOR},
    # Added with the services' checks (issue 12). A signed-in user sets their own password and holds
    # their own API keys (another user's are revoked with accounts.user.manage).
    "accounts.password.change": ALL_USERS,
    "accounts.token.issue": ALL_USERS,
    "accounts.token.revoke": ALL_USERS,
    # Housekeeping that only the system's actor (beat) does: no role holds it.
    "accounts.idempotency.prune": frozenset(),
    "labor.import.prune": frozenset(),
    # Accounts in the portal (issue 14): county administrators manage every user (accounts.user.manage);
    # a township officer the brokers of their own township (accounts.services decides the rows).
    "accounts.broker.manage": COUNTY_ADMIN | {Role.TOWNSHIP_OFFICER},
    "accounts.user.menu": COUNTY_ADMIN | {Role.TOWNSHIP_OFFICER},
    # Guarantee loans (issue 16): officials record applications and repayments (a township officer in their
    # township; partner systems, e.g. the lending bank, over the API), the county approves and disburses,
    # county administrators write off and edit the limits. Brokers and operators see no loans.
    "loans.loan.write": OFFICIALS | PARTNER,  # apply and correct an application
    "loans.loan.approve": COUNTY,  # approve and reject
    "loans.loan.disburse": COUNTY,
    "loans.loan.write_off": COUNTY_ADMIN,
    "loans.repayment.write": OFFICIALS | PARTNER,
    "loans.policy.view": COUNTY,
    "loans.policy.edit": COUNTY_ADMIN,
    "loans.overdue.refresh": frozenset(),  # the daily job (SYSTEM)
    "loans.loan.write_page": OFFICIALS,
    "loans.repayment.write_page": OFFICIALS,
    "loans.loan.menu": OFFICIALS,
    "loans.policy.menu": COUNTY,
}

DENIED = _("Your role may not do this.")


class SystemActor:
    """The actor of scheduled and background work (beat, the sweeper, demo seeding): holds every
    permission and sees the whole county; audit events show it as "system" (no user row)."""

    pk = None
    id = None
    username = "system"
    role = "system"
    is_authenticated = True
    is_active = True
    is_county = True
    is_county_admin = True
    must_change_password = False
    township_id = village_id = cooperative_id = workshop_id = None

    def __str__(self):
        return "system"


SYSTEM = SystemActor()


def roles_for(name: str) -> frozenset:
    """The roles holding permission `name`; an unknown name is a programming error, not a refusal."""
    try:
        return RULES[name]
    except KeyError:
        raise KeyError(f"unknown permission {name!r}; declare it in accounts.permissions.RULES") from None


def can(user, name: str, obj=None) -> bool:
    roles = roles_for(name)
    if user is SYSTEM:
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.role not in roles:
        return False
    return obj is None or getattr(obj, "pk", None) is None or in_scope(obj, user)


def require(user, name: str, obj=None, message=None) -> None:
    """Raise PermissionDenied (API 403, page 403) unless `user` holds `name` (for `obj`, if given).
    Services call this first; `None` is refused: a job passes SYSTEM."""
    if not can(user, name, obj):
        raise PermissionDenied(message or DENIED)
