"""Workers, cooperatives, memberships, brokers."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict
from accounts.permissions import require
from accounts.scoping import scoped
from core.writes import UNSET, create, given, update

from .. import resident_id
from ..models import Broker, Cooperative, Membership, Worker
from ..phones import normalise_phone, validate_phone


def normalise_id_number(raw: str) -> str:
    """Upper-case and validate; a bad number is a field error on `id_number`."""
    try:
        return resident_id.parse(raw).number
    except resident_id.InvalidResidentId as exc:
        raise ValidationError({"id_number": [str(exc)]}) from None


def checked_phone(phone):
    """The phone rule (labor.phones) as a field error on `phone`; UNSET stays UNSET."""
    if phone is UNSET:
        return phone
    phone = normalise_phone(phone)
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    return phone


def subsidy_months(worker: Worker) -> list:
    """The months (first days, oldest first) of the worker's subsidy lines, in any run: what a change
    of their category may affect. Read through the reverse relation (subsidies sits above labor)."""
    if worker.pk is None:
        return []
    return list(worker.subsidy_lines.order_by("run__month").values_list("run__month", flat=True).distinct())


def already_registered(actor, number: str) -> Conflict:
    """The answer to a number registered before: a user who may see that worker is told so; anyone
    else learns only that it is registered somewhere in the county, never where or as whom."""
    if scoped(Worker.objects.filter(id_number=number), actor).exists():
        return Conflict(_("A worker with this ID number is already registered."), code="worker_exists")
    return Conflict(registered_elsewhere(), code="worker_exists")


def registered_elsewhere() -> str:
    """The message for a number registered outside the user's area (the service and the import's)."""
    return _("This ID number is already registered in the county; ask the township office.")


def worker_create(*, actor, id_number: str, name=UNSET, phone=UNSET, village=UNSET, category=UNSET,
                  returnee=UNSET) -> Worker:
    """Register a worker; sex and birth date come from the ID number. A number already registered is
    a Conflict (a worker is registered once, county-wide)."""
    require(actor, "labor.worker.write")
    number = normalise_id_number(id_number)
    phone = checked_phone(phone)
    if Worker.objects.filter(id_number=number).exists():
        raise already_registered(actor, number)
    try:
        with transaction.atomic():
            return create(Worker, actor=actor, action="worker.create", scope_field="village", id_number=number,
                          **given(name=name, phone=phone, village=village, category=category, returnee=returnee))
    except IntegrityError:
        raise already_registered(actor, number) from None


def worker_update(*, actor, worker: Worker, id_number=UNSET, name=UNSET, phone=UNSET, village=UNSET, category=UNSET,
                  returnee=UNSET) -> Worker:
    """Correct a worker's record; audited `{field: [old, new]}` for what changed (core.writes.update)."""
    require(actor, "labor.worker.write", worker)
    phone = checked_phone(phone)
    fields = given(id_number=id_number, name=name, phone=phone, village=village, category=category,
                   returnee=returnee)
    if "id_number" in fields:
        fields["id_number"] = normalise_id_number(fields["id_number"])
        if Worker.objects.filter(id_number=fields["id_number"]).exclude(pk=worker.pk).exists():
            raise already_registered(actor, fields["id_number"])
    return update(worker, actor=actor, action="worker.update", scope_field="village", **fields)


def cooperative_create(*, actor, name=UNSET, township=UNSET) -> Cooperative:
    require(actor, "labor.cooperative.write")
    return create(Cooperative, actor=actor, action="cooperative.create", scope_field="township",
                  **given(name=name, township=township))


def cooperative_update(*, actor, cooperative: Cooperative, name=UNSET, township=UNSET) -> Cooperative:
    require(actor, "labor.cooperative.write", cooperative)
    return update(cooperative, actor=actor, action="cooperative.update", scope_field="township",
                  **given(name=name, township=township))


def membership_create(*, actor, worker=UNSET, cooperative=UNSET, joined_on=UNSET, left_on=UNSET) -> Membership:
    require(actor, "labor.membership.write")
    if worker and cooperative and Membership.objects.filter(worker=worker, cooperative=cooperative,
                                                            left_on__isnull=True).exists():
        raise Conflict(_("This worker is already a member of this cooperative."), code="member_exists")
    return create(Membership, actor=actor, action="membership.create", scope_field="cooperative",
                  **given(worker=worker, cooperative=cooperative, joined_on=joined_on, left_on=left_on))


def membership_update(*, actor, membership: Membership, worker=UNSET, cooperative=UNSET, joined_on=UNSET,
                      left_on=UNSET) -> Membership:
    require(actor, "labor.membership.write", membership)
    return update(membership, actor=actor, action="membership.update", scope_field="cooperative",
                  **given(worker=worker, cooperative=cooperative, joined_on=joined_on, left_on=left_on))


def broker_create(*, actor, user, village, cooperative=None) -> Broker:
    require(actor, "labor.broker.write")
    if Broker.objects.filter(user=user).exists():
        raise Conflict(_("This user is already a broker."), code="broker_exists")
    return create(Broker, actor=actor, action="broker.create", scope_field="village", user=user, village=village,
                  cooperative=cooperative)
