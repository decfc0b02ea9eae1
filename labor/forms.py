"""Page forms. They check the input; the views hand `cleaned_data` to the services to save."""

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.scoping import scoped
from core.forms import ScopedModelForm, limit_related_choices
from regions.models import Village
from workshops.models import Post

from . import resident_id, selectors
from .choices import ImportKind, ReferralOutcome
from .models import Cooperative, JobFair, Membership, Returnee, Training, TrainingCompletion, Worker
from .phones import normalise_phone, validate_phone


class WorkerForm(ScopedModelForm):
    class Meta:
        model = Worker
        fields = ["id_number", "name", "phone", "village", "category", "returnee"]
        widgets = {"id_number": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text",
                                                       "maxlength": 18, "autocapitalize": "characters"}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A person's name is 姓名 (the model's "name" reads 名称, as for workshops and enterprises).
        self.fields["name"].label = _("Full name")
        self.fields["phone"].help_text = _("A mobile (11 digits) or a landline with its area code.")
        self.fields["village"].queryset = scoped(Village.objects.select_related("township"), self.user)
        if self.fields["village"].queryset.count() == 1 and not self.instance.pk:
            self.fields["village"].initial = self.fields["village"].queryset.first()

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone"))
        validate_phone(phone)  # the service applies the same rule (labor.phones)
        return phone

    def clean_id_number(self):
        try:
            return resident_id.parse(self.cleaned_data["id_number"]).number
        except resident_id.InvalidResidentId as exc:
            raise forms.ValidationError(str(exc)) from None

    def validate_unique(self):
        pass  # the service answers a registered number with a clear message


class WorkerEditForm(WorkerForm):
    """Correcting a worker's record; the ID number (and with it sex and birth date) is not edited here."""

    class Meta(WorkerForm.Meta):
        fields = ["name", "phone", "village", "category", "returnee"]


def open_posts_first(queryset, today=None):
    """Posts with their `vacancies` (headcount less the placements open today), those with places left first."""
    today = today or timezone.localdate()
    open_today = (Q(placements__start_date__lte=today)
                  & (Q(placements__end_date__isnull=True) | Q(placements__end_date__gte=today)))
    filled = Count("placements", filter=open_today)
    return (queryset.select_related("workshop").annotate(vacancies=Greatest(F("headcount") - filled, Value(0)))
            .order_by(Case(When(vacancies__gt=0, then=Value(0)), default=Value(1)), "workshop__name", "title"))


class PostChoiceField(forms.ModelChoiceField):
    """A post named by its workshop, title, vacancies and wage (the broker chooses where to send someone)."""

    def label_from_instance(self, post):
        vacancies = getattr(post, "vacancies", None)
        return _("%(workshop)s · %(title)s — %(vacancies)s vacancies · %(wage)s yuan/month") % {
            "workshop": post.workshop.name, "title": post.title,
            "vacancies": "?" if vacancies is None else vacancies, "wage": intcomma(post.monthly_wage)}


class ReferralForm(forms.Form):
    post = PostChoiceField(queryset=Post.objects.all(), label=_("post"),
                           empty_label=_("Choose a post"),
                           widget=forms.Select(attrs={"class": "form-select form-select-lg"}))
    job_fair = forms.ModelChoiceField(queryset=JobFair.objects.none(), required=False, label=_("job fair"),
                                      empty_label=_("None (not at a job fair)"),
                                      widget=forms.Select(attrs={"class": "form-select"}))

    # Brokers propose workers for any township's posts (as they place them county-wide).
    county_wide_relations = {"post": frozenset({Role.BROKER})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_fair"].queryset = JobFair.objects.all()
        limit_related_choices(self, user, self.county_wide_relations)
        self.fields["post"].queryset = open_posts_first(self.fields["post"].queryset)

    @cached_property
    def posts(self) -> list:
        """The posts offered, each with `vacancies` (one query), for the proposal page's radio cards."""
        return list(self.fields["post"].queryset)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(ReferralOutcome.HIRED, _("Hired")), (ReferralOutcome.DECLINED,
                                                                                _("Declined"))])
    reason = forms.CharField(max_length=200, required=False)


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("visited on"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    still_employed = forms.BooleanField(label=_("still employed"), required=False, initial=True,
                                        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label=_("File (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}))


class CooperativeForm(ScopedModelForm):
    class Meta:
        model = Cooperative
        fields = ["name", "township"]


class JobFairForm(ScopedModelForm):
    class Meta:
        model = JobFair
        fields = ["title", "date", "township", "attendees", "workshops"]


class TrainingForm(ScopedModelForm):
    class Meta:
        model = Training
        fields = ["name", "kind", "organizer_workshop", "organizer_enterprise", "start_date", "end_date"]


class WorkerByIdNumberField(forms.CharField):
    """A worker entered by ID number, not picked from a list of thousands, and found only among the
    workers the user may see: another area's worker reads as not registered."""

    def __init__(self, **kwargs):
        super().__init__(max_length=18, label=_("worker's ID number"), widget=forms.TextInput(attrs={
            "autocomplete": "off", "maxlength": 18, "autocapitalize": "characters"}), **kwargs)
        self.user = None

    def clean(self, value):
        value = super().clean(value)
        try:
            number = resident_id.parse(value).number
        except resident_id.InvalidResidentId as exc:
            raise forms.ValidationError(str(exc)) from None
        worker = selectors.worker_list(user=self.user).filter(id_number=number).first()
        if worker is None:
            raise forms.ValidationError(_("No worker with this ID number is registered in your area; register "
                                          "the worker first."))
        return worker


class WorkerRecordForm(ScopedModelForm):
    """A record about one worker, entered by ID number; on an existing record the worker cannot change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["worker"]
        else:
            self.fields["worker"].user = self.user


class MembershipForm(WorkerRecordForm):
    worker = WorkerByIdNumberField()

    class Meta:
        model = Membership
        fields = ["worker", "cooperative", "joined_on", "left_on"]


class TrainingCompletionForm(WorkerRecordForm):
    worker = WorkerByIdNumberField()

    class Meta:
        model = TrainingCompletion
        fields = ["worker", "training", "certificate_level", "completed_on"]


class ReturneeForm(WorkerRecordForm):
    worker = WorkerByIdNumberField()

    class Meta:
        model = Returnee
        fields = ["worker", "returned_on", "enterprise"]
