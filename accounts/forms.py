from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import services

# Django 5.2 changed this validator message and its own zh_Hans catalogue lacks the new form: named here
# so that `make messages` keeps its translation in ours.
_DJANGO_MESSAGES = (ngettext_lazy("This password is too short. It must contain at least %d character.",
                                  "This password is too short. It must contain at least %d characters.", 1),)

def lockout_message(lockout) -> str:
    return _("Too many failed logins. Logging in is paused; try again in %(minutes)s minutes.") % {
        "minutes": lockout.minutes}


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form, saying so when the login throttle refused the attempt."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            lockout = getattr(self.request, "login_lockout", None)
            if lockout is not None:
                raise ValidationError(lockout_message(lockout), code="locked") from None
            raise


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label=_("New password"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text=password_validation.password_validators_help_text_html())
    new_password2 = forms.CharField(label=_("New password again"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise ValidationError(_("Your current password is not correct."), code="password_incorrect")
        return self.cleaned_data["old_password"]

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password1"), data.get("new_password2")
        if new and again and new != again:
            self.add_error("new_password2", _("The two new passwords differ."))
        elif new and new == data.get("old_password"):
            self.add_error("new_password1", _("Choose a password other than the current one."))
        return data

    def save(self):
        try:
            services.user_set_password(actor=self.user, user=self.user, password=self.cleaned_data["new_password1"])
        except ValidationError as exc:
            for message in exc.message_dict.get("password", exc.messages):
                self.add_error("new_password1", message)
            return False
        return True
