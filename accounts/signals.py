"""Sign-outs in the audit log (sign-ins, failures and lockouts are recorded by accounts.backends, which
every password login passes through: the login page, the admin's and POST /api/v1/auth/token/)."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import Signal, receiver

from . import audit

# A person was given an account on the user pages (core.user_views), with `actor` and `user`: the apps
# above accounts add what the role needs (labor: a broker's record), in the same transaction.
account_created = Signal()


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def record_logout(sender, request, user, **kwargs):
    if user is None or not getattr(user, "pk", None):
        return  # signing out without being signed in changes nothing
    path = getattr(request, "path", "") if request is not None else ""
    audit.record(user, "logout", user, {"username": user.get_username(), "path": path[:200]})
