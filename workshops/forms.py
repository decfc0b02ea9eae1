from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import add_form_errors
from core.forms import ScopedModelForm

from . import services
from .models import Difficulty, Liaison, Post, Workshop


class WorkshopForm(ScopedModelForm):
    class Meta:
        model = Workshop
        fields = ["name", "kind", "form", "industry", "enterprise", "village", "address", "opened_on",
                  "reuses_idle_asset"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = self.fields["village"].queryset.select_related("township")
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"

    def clean(self):
        """A name the village already has is refused on the name field (the service's rule), before the
        database constraint would refuse it as a whole-form error."""
        data = super().clean()
        try:
            services.check_unique_name(name=data.get("name"), village=data.get("village"),
                                       exclude_pk=self.instance.pk)
        except ValidationError as exc:
            add_form_errors(self, exc)
        return data


class PostForm(ScopedModelForm):
    class Meta:
        model = Post
        fields = ["workshop", "title", "headcount", "monthly_wage", "reserved"]


class LiaisonForm(ScopedModelForm):
    class Meta:
        model = Liaison
        fields = ["workshop", "department", "contact_person", "phone"]


class DifficultyForm(ScopedModelForm):
    class Meta:
        model = Difficulty
        fields = ["workshop", "category", "description", "raised_on", "responsible_department"]


class RaiseDifficultyForm(ScopedModelForm):
    """Raised from the workshop page: the workshop is given by the page."""

    class Meta:
        model = Difficulty
        fields = ["category", "description", "raised_on", "responsible_department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_on"].initial = timezone.localdate()

    def _post_clean(self):
        pass  # the workshop is not known to the form; the service runs full_clean


class ResolveDifficultyForm(forms.Form):
    resolved_on = forms.DateField(label=_("resolved on"), widget=forms.DateInput(
        attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    resolution = forms.CharField(label=_("resolution"),
                                 widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    responsible_department = forms.CharField(label=_("responsible department"), required=False,
                                             widget=forms.TextInput(attrs={"class": "form-control"}))


DATE_ERRORS = {"required": _("Choose the effective date, then confirm again."),
               "invalid": _("Enter a valid date (YYYY-MM-DD), then submit again.")}


class CertifyForm(forms.Form):
    date = forms.DateField(label=_("effective date"), error_messages=DATE_ERRORS, widget=forms.DateInput(
        attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    override_reason = forms.CharField(
        label=_("override reason"), required=False,
        help_text=_("Only a county administrator may certify a workshop that does not meet the criteria, "
                    "with a written reason."),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        if not getattr(user, "is_county_admin", False):
            del self.fields["override_reason"]


class RevokeForm(forms.Form):
    date = forms.DateField(label=_("effective date"), error_messages=DATE_ERRORS, widget=forms.DateInput(
        attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                             error_messages={"required": _("Give the reason for revoking the certification, "
                                                           "then confirm again.")})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
