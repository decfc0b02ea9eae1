"""Page forms of east labour cooperation: one column, large inputs (the station and brokers work from
a phone). They check the input; the views hand `cleaned_data` to labor.services.outbound."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from core.forms import ScopedModelForm
from industries.choices import Origin
from industries.models import Enterprise

from . import resident_id
from .models import EastPost, OutboundVisit, Worker
from .models.outbound import VisitMilestone

LARGE = {"class": "form-control form-control-lg"}
LARGE_SELECT = {"class": "form-select form-select-lg"}


def east_enterprises():
    return Enterprise.objects.filter(origin=Origin.EAST).order_by("name")


def open_east_posts():
    return EastPost.objects.filter(is_open=True).select_related("enterprise").order_by("title", "id")


class EastPostForm(ScopedModelForm):
    class Meta:
        model = EastPost
        fields = ["enterprise", "province", "city", "title", "monthly_wage", "vacancies", "is_open"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = east_enterprises()


class OutboundPlacementForm(forms.Form):
    """The station records a job in the east: the worker by their ID number (it reads no worker list)."""

    id_number = forms.CharField(label=_("ID number"), max_length=32, widget=forms.TextInput(
        attrs={**LARGE, "autocomplete": "off", "autocapitalize": "characters"}))
    east_post = forms.ModelChoiceField(queryset=EastPost.objects.none(), required=False, label=_("east post"),
                                       widget=forms.Select(attrs=LARGE_SELECT),
                                       help_text=_("Employer, place and post are taken from it unless given below."))
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), required=False,
                                        label=_("east employer"), widget=forms.Select(attrs=LARGE_SELECT))
    province = forms.CharField(label=_("province"), max_length=20, required=False, widget=forms.TextInput(LARGE))
    city = forms.CharField(label=_("city"), max_length=30, required=False, widget=forms.TextInput(LARGE))
    post_title = forms.CharField(label=_("post title"), max_length=100, required=False,
                                 widget=forms.TextInput(LARGE))
    start_date = forms.DateField(label=_("start date"), widget=forms.DateInput(attrs={**LARGE, "type": "date"}))
    monthly_wage = forms.DecimalField(label=_("monthly wage"), max_digits=14, decimal_places=2, required=False,
                                      widget=forms.NumberInput(attrs={**LARGE, "inputmode": "decimal"}),
                                      help_text=_("Empty: the east post's wage."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["east_post"].queryset = open_east_posts()
        self.fields["enterprise"].queryset = east_enterprises()
        self.fields["start_date"].initial = timezone.localdate()

    def clean_id_number(self):
        try:
            number = resident_id.parse(self.cleaned_data["id_number"]).number
        except resident_id.InvalidResidentId as exc:
            raise forms.ValidationError(str(exc)) from None
        worker = Worker.objects.filter(id_number=number).first()
        if worker is None:
            raise forms.ValidationError(_("No worker is registered with this ID number; a broker registers them "
                                          "first."))
        return worker

    def clean(self):
        data = super().clean()
        post = data.get("east_post")
        if post is None and data.get("enterprise") is None:
            self.add_error("enterprise", _("Choose the east post or the east employer."))
        if data.get("monthly_wage") is None and post is not None:
            data["monthly_wage"] = post.monthly_wage
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["worker"] = data.pop("id_number")
        return data


class OutboundReturnForm(forms.Form):
    return_date = forms.DateField(label=_("return date"), widget=forms.DateInput(attrs={**LARGE, "type": "date"}))
    reason = forms.CharField(label=_("return reason"), max_length=200, required=False,
                             widget=forms.TextInput(LARGE))


class OutboundVisitForm(forms.Form):
    milestone = forms.TypedChoiceField(label=_("visit"), choices=VisitMilestone.choices, coerce=int,
                                       widget=forms.Select(attrs=LARGE_SELECT))
    visited_on = forms.DateField(label=_("visited on"), widget=forms.DateInput(attrs={**LARGE, "type": "date"}))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={**LARGE, "rows": 3}))

    def __init__(self, *args, placement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        if placement is not None:
            done = set(OutboundVisit.objects.filter(placement=placement).values_list("milestone", flat=True))
            self.fields["milestone"].choices = [c for c in VisitMilestone.choices if c[0] not in done]


class OutboundProposeForm(forms.Form):
    """A broker proposes one of their workers for an east post."""

    worker = forms.ModelChoiceField(queryset=Worker.objects.none(), label=_("worker"),
                                    widget=forms.Select(attrs=LARGE_SELECT))
    east_post = forms.ModelChoiceField(queryset=EastPost.objects.none(), label=_("east post"),
                                       widget=forms.Select(attrs=LARGE_SELECT))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = scoped(Worker.objects.order_by("name", "id"), user)
        self.fields["east_post"].queryset = open_east_posts()
