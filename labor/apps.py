from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaborConfig(AppConfig):
    name = "labor"
    verbose_name = _("Labor")

    def ready(self):
        # Workshops (below labor) certify on the workforce and list headcounts without importing labor:
        # labor hands it the two figures here.
        from workshops.selectors import WorkforceSource, register_workforce

        from . import selectors

        register_workforce(WorkforceSource(workforce_on=selectors.workforce_on,
                                           headcount_on=selectors.headcount_on))

        from accounts.signals import account_created

        from .account_records import make_broker_record

        account_created.connect(make_broker_record, dispatch_uid="labor.broker_record")
