"""Page forms: they check the input; the services save it (and refuse what the workflow forbids)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm
from labor.forms import WorkerByIdNumberField

from .models import Loan, LoanPolicy

DEFAULT_GUARANTEE_FUND = "万源市创业担保贷款担保基金"


class OptionalWorkerByIdNumberField(WorkerByIdNumberField):
    """A person borrowing, by ID number; left empty when a firm borrows."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.label = _("borrower's ID number (a person)")

    def clean(self, value):
        if not (value or "").strip():
            return None
        return super().clean(value)


class LoanForm(ScopedModelForm):
    """An application: a person (by ID number) or a firm borrows; the borrower is not changed later."""

    worker = OptionalWorkerByIdNumberField()

    class Meta:
        model = Loan
        fields = ["worker", "enterprise", "lender_bank", "guarantee_fund", "amount", "term_months", "annual_rate",
                  "subsidy_share", "applied_on"]
        labels = {"enterprise": _("borrower (a small firm)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("amount", "annual_rate", "subsidy_share"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        self.fields["term_months"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            del self.fields["worker"], self.fields["enterprise"]
        else:
            self.fields["worker"].user = self.user
            self.fields["enterprise"].required = False
            self.fields["guarantee_fund"].initial = DEFAULT_GUARANTEE_FUND
            self.fields["subsidy_share"].initial = 100
            self.fields["applied_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not self.instance.pk and bool(data.get("worker")) == bool(data.get("enterprise")) and not self.errors:
            raise forms.ValidationError(_("Enter either a person's ID number or a firm, not both."))
        return data


class DateForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={
        "type": "date", "class": "form-control"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class DateReasonForm(DateForm):
    reason = forms.CharField(label=_("reason"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date",
                                                                              "class": "form-control"}))
    principal = forms.DecimalField(label=_("principal"), min_value=0, max_digits=14, decimal_places=2, initial=0,
                                   widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01",
                                                                   "class": "form-control"}))
    interest = forms.DecimalField(label=_("interest"), min_value=0, max_digits=14, decimal_places=2, initial=0,
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01",
                                                                  "class": "form-control"}))
    note = forms.CharField(label=_("note"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class LoanPolicyForm(ScopedModelForm):
    class Meta:
        model = LoanPolicy
        fields = ["code", "name", "document_number", "effective_from", "effective_to", "individual_max", "firm_max",
                  "max_term_months"]
