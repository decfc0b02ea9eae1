"""Reading the audit log: how an event is shown to a county admin, alike on the page, in the export and
over the API. Nothing here queries the database: an event's object type, field names and page are
looked up in the model registry and the URL configuration (both in memory), so a page of 50 events
costs the same queries as a page of 5.

`changes` is `{field: [old, new]}` (old is null on create); events written before that format hold
`{field: new}` and still display, as "field: new".
"""

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Login events have no actor when the password was wrong: the person is unknown, not the system.
LOGIN_ACTIONS = frozenset({"login.failed", "login.lockout", "login.refused"})

ACTIONS = {
    "login.success": _("Signed in"),
    "login.failed": _("Failed sign-in"),
    "login.lockout": _("Sign-in locked"),
    "login.refused": _("Sign-in refused while locked"),
    "logout": _("Signed out"),
    "token.issue": _("API token issued"),
    "token.revoke": _("API token revoked"),
    "user.create": _("User created"),
    "user.update": _("User changed"),
    "user.delete": _("User deleted"),
    "user.password_change": _("Password changed"),
    "user.password_reset": _("Password reset"),
    "api_client.create": _("Partner system added"),
    "api_client.revoke": _("Partner system revoked"),
    "import.upload": _("Spreadsheet uploaded"),
    "import.confirm": _("Import confirmed"),
    "import.retry": _("Import retried"),
    "payroll.upsert": _("Payroll entered"),
    "placement.end": _("Placement ended"),
    "referral.decide": _("Referral decided"),
    "workshop.certify": _("Workshop certified"),
    "workshop.certify_override": _("Workshop certified by exception"),
    "workshop.revoke": _("Certification revoked"),
    "subsidy_run.request": _("Subsidy calculation requested"),
    "subsidy_run.calculate": _("Subsidies calculated"),
    "subsidy_run.retry": _("Subsidy calculation retried"),
    "subsidy_run.submit": _("Subsidy run submitted"),
    "subsidy_run.approve": _("Subsidy run approved"),
    "subsidy_run.reject": _("Subsidy run rejected"),
    "subsidy_run.mark_paid": _("Subsidy run marked paid"),
    "subsidy_line.clear": _("Subsidy line cleared"),
    "subsidy_report.request": _("Subsidy report requested"),
    "subsidy_policy.create": _("Subsidy policy created"),
    "subsidy_policy.update": _("Subsidy policy changed"),
    # guarantee loans (loans.services)
    "loan.approve": _("Loan approved"),
    "loan.reject": _("Loan application rejected"),
    "loan.disburse": _("Loan disbursed"),
    "loan.repaying": _("Loan repaying"),
    "loan.repaid": _("Loan repaid in full"),
    "loan.write_off": _("Loan written off"),
    "loan.overdue_refresh": _("Loan overdue status checked"),
    "loan_policy.create": _("Loan policy created"),
    "loan_policy.update": _("Loan policy changed"),
}
# "<thing>.<verb>" actions of the registries (industries.writes): the verb, with the object's type.
VERBS = {
    "create": pgettext_lazy("audit", "Created"),
    "update": pgettext_lazy("audit", "Changed"),
    "delete": pgettext_lazy("audit", "Deleted"),
}
# Pages named otherwise than by the convention of _detail_url_name.
PAGES = {
    "labor.importjob": "labor-import-detail",
    "subsidies.policy": "subsidy-policy-detail",
    "subsidies.subsidyreport": "subsidy-report-status",
}
SYSTEM_LABEL = _("System")
UNKNOWN_ACTOR = _("Not signed in")


@lru_cache(maxsize=256)
def _model(object_type: str):
    if not object_type or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def action_label(action: str, object_type: str = "") -> str:
    """The action in the reader's language where known, else its code."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    verb = action.rpartition(".")[2]
    if verb in VERBS and _model(object_type) is not None:
        return f"{VERBS[verb]}{'' if _is_cjk(str(VERBS[verb])) else ' '}{object_type_label(object_type)}"
    return action


def _is_cjk(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _field(object_type: str, name: str):
    model = _model(object_type)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(object_type: str, name: str) -> str:
    field = _field(object_type, name)
    return str(field.verbose_name) if getattr(field, "verbose_name", None) else name


def _choices(object_type: str, name: str) -> dict:
    field = _field(object_type, name)
    return {str(key): label for key, label in (getattr(field, "flatchoices", None) or ())}


@lru_cache(maxsize=256)
def _detail_url_name(object_type: str) -> str | None:
    """The page of an object type, by the project's naming: "<model>-detail" or "<app>-<model>-detail",
    the model's class name in kebab case (SubsidyRun → subsidy-run-detail, Worker → labor-worker-detail)."""
    model = _model(object_type)
    if model is None:
        return None
    kebab = re.sub(r"(?<!^)(?=[A-Z])", "-", model.__name__).lower()
    candidates = [PAGES[object_type]] if object_type in PAGES else []
    for name in (*candidates, f"{kebab}-detail", f"{model._meta.app_label}-{kebab}-detail"):
        try:
            reverse(name, args=[1])
        except NoReverseMatch:
            continue
        return name
    return None


def object_url(object_type: str, object_id: str) -> str | None:
    """The object's page, when it has one (its own view still applies the reader's scope)."""
    name = _detail_url_name(object_type)
    if name is None or not object_id:
        return None
    try:
        return reverse(name, args=[object_id])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: object
    new: object
    has_old: bool  # False for events of the old format, which kept only the new value
    choices: dict = None  # a choice field's code → label

    def __str__(self):
        if not self.has_old:
            return f"{self.label}: {show(self.new, self.choices)}"
        return f"{self.label}: {show(self.old, self.choices)} → {show(self.new, self.choices)}"


def show(value, choices: dict | None = None) -> str:
    if value is None or value == "":
        return "—"
    if choices and isinstance(value, str | int) and str(value) in choices:
        return str(choices[str(value)])
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def changes_of(event) -> list[Change]:
    changes = event.changes if isinstance(event.changes, dict) else {}
    rows = []
    for name, value in changes.items():
        label = field_label(event.object_type, name)
        choices = _choices(event.object_type, name)
        if isinstance(value, list) and len(value) == 2:
            rows.append(Change(name, label, value[0], value[1], True, choices))
        else:
            rows.append(Change(name, label, None, value, False, choices))
    return rows


def person_name(user) -> str:
    """Chinese names family name first (李 + 四: 李四), others as Django writes them."""
    chinese = f"{user.last_name}{user.first_name}".strip()
    return chinese if _is_cjk(chinese) else user.get_full_name()


def actor_label(event) -> str:
    """The actor's name; "System" for background jobs; for a failed sign-in, the username tried."""
    actor = event.actor
    if actor is not None:
        full = person_name(actor)
        return f"{full} ({actor.username})" if full else actor.username
    if event.action in LOGIN_ACTIONS:
        tried = (event.changes or {}).get("username") if isinstance(event.changes, dict) else None
        return f"{UNKNOWN_ACTOR} ({tried})" if tried else str(UNKNOWN_ACTOR)
    return str(SYSTEM_LABEL)
