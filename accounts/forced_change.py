"""After an administrator's reset (user.must_change_password) the user may only change their password
or log out: every other page redirects to the change page. The API says the same with a 403
(accounts.api.permissions)."""

from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_URL_NAMES = {"password-change", "logout", "set_language"}


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.must_change_password):
            return None
        if request.path_info.startswith(("/api/", "/static/")):
            return None  # the API answers 403 itself, in its JSON format
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED_URL_NAMES:
            return None
        return redirect(reverse("password-change"))
