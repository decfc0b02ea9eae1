from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .forms import LoginForm, PasswordChangeForm

# The permissions pages declare (core.pages.PUBLIC and SIGNED_IN; accounts sits below core).
PUBLIC, SIGNED_IN = "public", "signed-in"


class LoginView(auth_views.LoginView):
    permission = PUBLIC
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    permission = PUBLIC


class PasswordChangeView(LoginRequiredMixin, View):
    """The signed-in user's own password; the only page open while a reset awaits a new one."""

    permission = SIGNED_IN
    template_name = "accounts/password_change.html"

    def get(self, request):
        return render(request, self.template_name, {"form": PasswordChangeForm(request.user)})

    def post(self, request):
        form = PasswordChangeForm(request.user, request.POST)
        if form.is_valid() and form.save():
            update_session_auth_hash(request, request.user)  # this session stays signed in, others end
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
        return render(request, self.template_name, {"form": form})
