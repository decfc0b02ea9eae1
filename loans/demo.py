"""Demo guarantee loans (seed_demo): the article's "30 M yuan of loans across some 200 borrowers" at
scale 1 — 70 % to people (returnees first), 30 % to local firms — in every state of the workflow, with
their schedules and the repayments made so far; a few borrowers stopped paying and are overdue.
Deterministic for a given seed and day (dates count back from today, like the payroll's months)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.permissions import SYSTEM
from industries.choices import Origin
from industries.models import Enterprise
from labor.models import Worker

from . import rules, selectors, services
from .choices import LoanStatus
from .models import Instalment, Loan, Repayment

BORROWERS = 200
TOTAL = Decimal("30000000")
FIRM_SHARE = Decimal("0.3")
PERSON_AMOUNTS = [Decimal(a) for a in ("100000", "150000", "200000", "50000", "120000")]
FIRM_AMOUNTS = [Decimal(a) for a in ("150000", "200000", "250000", "300000", "150000")]
BANKS = ["中国农业银行万源市支行", "四川万源农村商业银行", "中国邮政储蓄银行万源市支行", "中国建设银行万源支行"]
FUND = "万源市创业担保贷款担保基金"


def _borrowers(ctx, count):
    """30 % local firms (as many as there are), the rest people: returnees first."""
    firms = list(Enterprise.objects.filter(origin=Origin.LOCAL, township__isnull=False)
                 .order_by("id")[:round(count * FIRM_SHARE)])
    people = count - len(firms)
    workers = list(Worker.objects.filter(returnee=True).select_related("village").order_by("id")[:people])
    if len(workers) < people:
        workers += list(Worker.objects.filter(returnee=False).select_related("village")
                        .order_by("id")[:people - len(workers)])
    return workers, firms


def _amounts(ctx, people, firms):
    """People's and firms' amounts, the last firm's set so the total is TOTAL × scale (to 10,000 yuan)."""
    target = (TOTAL * Decimal(str(ctx.scale))).quantize(Decimal("10000"))
    persons = [PERSON_AMOUNTS[n % len(PERSON_AMOUNTS)] for n in range(len(people))]
    companies = [FIRM_AMOUNTS[n % len(FIRM_AMOUNTS)] for n in range(len(firms))]
    if companies:
        rest = target - sum(persons) - sum(companies[:-1])
        companies[-1] = min(max(rest, Decimal("100000")), Decimal("3000000"))
    return persons, companies


def seed(ctx):
    rng, today = ctx.rng, timezone.localdate()
    policy = selectors.policy_in_force(today)
    count = ctx.scaled(BORROWERS)
    workers, firms = _borrowers(ctx, count)
    person_amounts, firm_amounts = _amounts(ctx, workers, firms)
    borrowers = [(w, None, a) for w, a in zip(workers, person_amounts, strict=True)]
    borrowers += [(None, e, a) for e, a in zip(firms, firm_amounts, strict=True)]
    rng.shuffle(borrowers)
    loans, plans = [], []
    for n, (worker, enterprise, amount) in enumerate(borrowers):
        term = 36 if enterprise else rng.choice([24, 36])
        applied_on = today - timedelta(days=rng.randrange(20, 1000))
        state = "applied" if n % 25 == 0 else "approved" if n % 25 == 1 else "rejected" if n % 50 == 2 else "lent"
        loan = Loan(worker=worker, enterprise=enterprise,
                    township_id=worker.village.township_id if worker else enterprise.township_id, policy=policy,
                    lender_bank=BANKS[n % len(BANKS)], guarantee_fund=FUND, amount=amount, term_months=term,
                    annual_rate=Decimal("3.450") if worker else Decimal("3.950"),
                    subsidy_share=Decimal("100.00") if worker else Decimal("50.00"), applied_on=applied_on)
        if state != "applied":
            loan.approved_on = applied_on + timedelta(days=7)
            loan.status = LoanStatus.APPROVED
        if state == "rejected":
            loan.approved_on, loan.rejected_on, loan.status = None, applied_on + timedelta(days=7), LoanStatus.REJECTED
            loan.decision_reason = "经营计划不完整"
        if state == "lent" and loan.approved_on + timedelta(days=7) < today:
            loan.disbursed_on = loan.approved_on + timedelta(days=7)
            loan.status = LoanStatus.DISBURSED
        loans.append(loan)
        plans.append("stops" if n % 29 == 5 else "pays")
    Loan.objects.bulk_create(loans)
    instalments, repayments = [], []
    for loan, plan in zip(loans, plans, strict=True):
        if loan.disbursed_on is None:
            continue
        schedule = rules.schedule(amount=loan.amount, term_months=loan.term_months, disbursed_on=loan.disbursed_on)
        instalments += [Instalment(loan=loan, number=row.number, due_on=row.due_on, principal=row.principal,
                                   cumulative_principal=row.cumulative_principal) for row in schedule]
        due = [row for row in schedule if row.due_on <= today]
        if plan == "stops":
            due = due[:max(0, len(due) - 3)]  # three instalments missed: more than 30 days late
        outstanding = loan.amount
        for row in due:
            interest = rules.fen(outstanding * loan.annual_rate / 100 / 12)
            repayments.append(Repayment(loan=loan, paid_on=row.due_on, principal=row.principal, interest=interest))
            outstanding -= row.principal
        if due:
            loan.status = LoanStatus.REPAYING
        if outstanding == 0:
            loan.status, loan.repaid_on = LoanStatus.REPAID, due[-1].due_on
    Instalment.objects.bulk_create(instalments, batch_size=2000)
    Repayment.objects.bulk_create(repayments, batch_size=2000)
    Loan.objects.bulk_update([loan for loan in loans if loan.disbursed_on], ["status", "repaid_on"], batch_size=500)
    moved = services.loans_refresh_overdue(actor=SYSTEM, on=today)
    overdue = list(Loan.objects.filter(status=LoanStatus.OVERDUE).order_by("id")[:2])
    if len(overdue) == 2:  # one the guarantee fund has paid for; the others stay in the county's to-do
        covered = overdue[0]
        services.loan_write_off(actor=SYSTEM, loan=covered, on=today, reason="担保基金代偿")
    total = sum((loan.amount for loan in loans), Decimal("0"))
    ctx.log(f"  {len(loans)} guarantee loans, {total:,.2f} yuan ({len(workers)} people, {len(firms)} firms), "
            f"{len(repayments)} repayments, {moved['overdue']} overdue")
