"""Content-Security-Policy and Permissions-Policy on every response (Referrer-Policy is Django's
SECURE_REFERRER_POLICY). The policy is settings.CONTENT_SECURITY_POLICY: scripts only from the portal
itself, so a script tag an attacker manages to store in a page never runs."""

from django.conf import settings


def policy_header(directives: dict) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = policy_header(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # A view with needs of its own (none today) may set its own policy.
        response.headers.setdefault("Content-Security-Policy", self.csp)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
