from django import forms
from django.utils.translation import gettext_lazy as _

from core.months import MonthFormField
from labor.choices import CertificateLevel, WorkerCategory

from .choices import RULE_COMPONENTS, Component
from .models import Policy, Rule

# The figures of the components that have no Rule row (issue 16): fields of the policy itself.
COMPONENT_POLICY_FIELDS = ["pays_loan_interest", "startup_award_amount", "startup_months_operated",
                           "startup_min_other_workers", "transport_amount", "transport_months"]


class RunRequestForm(forms.Form):
    month = MonthFormField(label=_("Month (YYYY-MM)"),
                           widget=forms.TextInput(attrs={"placeholder": "2026-10", "class": "form-control",
                                                         "inputmode": "numeric", "maxlength": 12}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


class MarkPaidForm(forms.Form):
    voucher = forms.CharField(label=_("Voucher number"), max_length=64,
                              error_messages={"required": _("Enter the payment voucher number.")},
                              widget=forms.TextInput(attrs={"class": "form-control"}))
    paid_on = forms.DateField(label=_("Paid on"),
                              error_messages={"required": _("Enter the payment date as YYYY-MM-DD."),
                                              "invalid": _("Enter the payment date as YYYY-MM-DD.")},
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))


class PolicyForm(forms.ModelForm):
    # A yes/no choice, not a checkbox: a form posted without it (opened before these fields existed, or a
    # client that does not know them) keeps the policy's value, as the other component figures do.
    pays_loan_interest = forms.TypedChoiceField(
        label=_("pays the loan interest subsidy"), required=False, empty_value=None,
        choices=(("True", _("Yes")), ("False", _("No"))), coerce=lambda value: value == "True",
        help_text=_("the share is set on each loan under the loan policy"))

    class Meta:
        model = Policy
        fields = ["code", "name", "document_number", "effective_from", "effective_to", "min_monthly_wage",
                  "min_days", "min_age", "max_age", *COMPONENT_POLICY_FIELDS]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "effective_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        data = super().clean()
        for name in COMPONENT_POLICY_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name)
        return data

    def __init__(self, *args, lock=None, **kwargs):
        """`lock` (subsidies.services.policy_lock): the fields it does not allow are shown disabled,
        with its reason, so nobody fills in what the save would refuse."""
        super().__init__(*args, **kwargs)
        self.lock = lock
        if not self.is_bound:
            self.initial.setdefault("pays_loan_interest", str(self.instance.pays_loan_interest))
        for name in COMPONENT_POLICY_FIELDS:
            self.fields[name].required = False  # left out: the policy's value (the model's default when new)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-select" if name == "pays_loan_interest" else "form-control")
            if lock is not None and not lock.allows(name):
                field.disabled = True
                field.help_text = _("Locked: runs up to %(month)s were approved under this policy.") % {
                    "month": f"{lock.last_month:%Y-%m}"}


class RuleForm(forms.Form):
    """One component's rule; the training rule pays by certificate level instead of an amount."""

    enabled = forms.BooleanField(label=_("This policy pays this component"), required=False)
    eligible_categories = forms.MultipleChoiceField(label=_("eligible worker categories"), required=False,
                                                    choices=WorkerCategory.choices,
                                                    widget=forms.CheckboxSelectMultiple,
                                                    help_text=_("none ticked means every worker"))
    amount = forms.DecimalField(label=_("amount"), required=False, min_value=0, max_digits=14, decimal_places=2)
    monthly_cap = forms.DecimalField(label=_("cap per worker per month"), required=False, min_value=0,
                                     max_digits=14, decimal_places=2)
    yearly_workshop_cap = forms.DecimalField(label=_("cap per workshop per calendar year"), required=False,
                                             min_value=0, max_digits=14, decimal_places=2)
    month_limit = forms.IntegerField(label=_("months per worker in all"), required=False, min_value=1)
    qualifying_month = forms.IntegerField(label=_("paid in the qualifying month number"), required=False,
                                          min_value=1)

    def __init__(self, *args, component: str, rule: Rule | None = None, locked: bool = False, **kwargs):
        self.component = component
        self.label = Component(component).label
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = {"enabled": True, "eligible_categories": rule.eligible_categories,
                                 **{f: getattr(rule, f) for f in ("amount", "monthly_cap", "yearly_workshop_cap",
                                                                  "month_limit", "qualifying_month")},
                                 **{f"certificate_{level}": amount
                                    for level, amount in (rule.certificate_amounts or {}).items()}}
        super().__init__(*args, prefix=component, **kwargs)
        if component == Component.TRAINING:
            for level, label in CertificateLevel.choices:
                self.fields[f"certificate_{level}"] = forms.DecimalField(
                    label=_("amount for %(level)s") % {"level": label}, required=False, min_value=0,
                    max_digits=14, decimal_places=2)
        for name, field in self.fields.items():
            if name not in ("enabled", "eligible_categories"):
                field.widget.attrs.setdefault("class", "form-control")
            field.disabled = locked  # a locked policy's rules keep what they were

    def rule(self) -> Rule | None:
        """The rule this form describes, unsaved; None when the component is not paid."""
        data = self.cleaned_data
        if not data.get("enabled"):
            return None
        certificates = {level: str(data[f"certificate_{level}"]) for level in CertificateLevel.values
                        if data.get(f"certificate_{level}") is not None}
        return Rule(component=self.component, eligible_categories=sorted(data["eligible_categories"]),
                    amount=data["amount"], monthly_cap=data["monthly_cap"],
                    yearly_workshop_cap=data["yearly_workshop_cap"], month_limit=data["month_limit"],
                    qualifying_month=data["qualifying_month"], certificate_amounts=certificates)


def rule_forms(data=None, rules=(), locked: bool = False) -> list[RuleForm]:
    by_component = {rule.component: rule for rule in rules}
    return [RuleForm(data, component=c, rule=by_component.get(c), locked=locked) for c in RULE_COMPONENTS]


class NoticeForm(forms.Form):
    """What the officer picks for a printed notice: the first day of its period, and where objections go."""

    start = forms.DateField(label=_("Notice period starts on"), required=False,
                            widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    village = forms.IntegerField(label=_("Village"), required=False, widget=forms.HiddenInput)
    office = forms.CharField(label=_("Office for objections"), max_length=100, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control"}))
    phone = forms.CharField(label=_("Phone for objections"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control"}))


class NoticePostForm(forms.Form):
    township = forms.CharField(label=_("Township"), max_length=9)
    village = forms.IntegerField(label=_("Village"), required=False)
    posted_on = forms.DateField(label=_("Posted on"), widget=forms.DateInput(attrs={"type": "date",
                                                                                    "class": "form-control"}))
    office = forms.CharField(label=_("Office for objections"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone for objections"), max_length=40, required=False)
