from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules


class RunRequestForm(forms.Form):
    month = forms.CharField(label=_("Month (YYYY-MM)"), max_length=7,
                            widget=forms.TextInput(attrs={"placeholder": "2026-10", "class": "form-control",
                                                          "inputmode": "numeric"}))

    def clean_month(self):
        try:
            return rules.parse_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-10.")) from None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


class MarkPaidForm(forms.Form):
    voucher = forms.CharField(label=_("Voucher number"), max_length=64,
                              widget=forms.TextInput(attrs={"class": "form-control"}))
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date",
                                                                                "class": "form-control"}))
