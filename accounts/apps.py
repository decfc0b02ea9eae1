from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import checks, dates, signals  # noqa: F401  (signals: sign-outs in the audit log)

        dates.install()
        checks.register_checks()
