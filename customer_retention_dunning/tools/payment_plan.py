"""The schedule of a payment plan, as plain arithmetic.

A plan spreads what a customer owes over instalments at a steady rhythm:
weekly, every two weeks or monthly. Two promises hold for every schedule:

- the amounts add up to the total *exactly*, in the currency's smallest
  unit: every instalment is the same rounded-down share and the last one
  absorbs what rounding left over (or, when an instalment amount is given,
  the last one is what remains);
- the dates keep the rhythm. Monthly dates are counted from the first date,
  not from the previous instalment, so a plan that starts on 31 January
  falls due on 28 (or 29) February, 31 March, 30 April, 31 May...
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

WEEKLY, BIWEEKLY, MONTHLY = "weekly", "biweekly", "monthly"
FREQUENCIES = (WEEKLY, BIWEEKLY, MONTHLY)


@dataclass(frozen=True)
class Instalment:
    """One line of the schedule."""

    sequence: int
    date: date
    amount: Decimal
    is_down_payment: bool = False


def add_months(day, months):
    """``day`` moved by ``months``, kept within the target month: the 31st
    becomes the month's last day where the month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def instalment_date(first_date, frequency, index):
    """The date of the instalment at ``index`` (0 = the first)."""
    if frequency == WEEKLY:
        return first_date + timedelta(weeks=index)
    if frequency == BIWEEKLY:
        return first_date + timedelta(weeks=2 * index)
    if frequency == MONTHLY:
        return add_months(first_date, index)
    raise ValueError(f"unknown frequency {frequency!r}")


def _unit(digits):
    return Decimal(1).scaleb(-digits)


def build_schedule(
    total,
    first_date,
    frequency=MONTHLY,
    count=None,
    instalment_amount=None,
    down_payment=0,
    digits=2,
):
    """The instalments of a plan.

    :param total: what the plan collects (principal plus any costs and
        interest), in the plan's currency
    :param first_date: when the first payment is due: the down payment if
        there is one (the instalments then follow one period later), else
        the first instalment
    :param frequency: :data:`WEEKLY`, :data:`BIWEEKLY` or :data:`MONTHLY`
    :param count: the number of instalments (besides the down payment); or
    :param instalment_amount: the amount of each instalment; the number
        follows, the last one being what remains
    :param down_payment: paid first, on ``first_date`` (0 = none)
    :param digits: the currency's decimal places (2 for the euro)
    :return: a list of :class:`Instalment`, in date order, whose amounts add
        up to ``total`` exactly
    :raises ValueError: on input that cannot make a schedule (the caller
        checks the business limits and words the message for the user)
    """
    unit = _unit(digits)
    total = Decimal(str(total)).quantize(unit, ROUND_HALF_UP)
    down = Decimal(str(down_payment or 0)).quantize(unit, ROUND_HALF_UP)
    if total <= 0:
        raise ValueError("the total must be positive")
    if down < 0 or down >= total:
        raise ValueError("the down payment must be below the total")
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}")
    rest = total - down
    if count is not None:
        if int(count) < 1:
            raise ValueError("at least one instalment")
        count = int(count)
        share = (rest / count).quantize(unit, ROUND_DOWN)
        amounts = [share] * (count - 1) + [rest - share * (count - 1)]
    elif instalment_amount is not None:
        share = Decimal(str(instalment_amount)).quantize(unit, ROUND_HALF_UP)
        if share <= 0:
            raise ValueError("the instalment amount must be positive")
        full, remainder = divmod(rest, share)
        amounts = [share] * int(full) + ([remainder] if remainder else [])
    else:
        raise ValueError("give the number of instalments or their amount")
    schedule = []
    offset = 0
    if down:
        schedule.append(Instalment(1, first_date, down, is_down_payment=True))
        offset = 1
    for index, amount in enumerate(amounts):
        schedule.append(
            Instalment(
                len(schedule) + 1,
                instalment_date(first_date, frequency, index + offset),
                amount,
            )
        )
    return schedule


def allocate_paid(amounts, paid):
    """Spread what was paid over the instalments in date order.

    :param amounts: the instalment amounts, in date order
    :param paid: the amount received for the plan so far
    :return: the amount paid on each instalment
    """
    remaining = Decimal(str(paid))
    allocation = []
    for amount in amounts:
        amount = Decimal(str(amount))
        part = max(Decimal(0), min(amount, remaining))
        allocation.append(part)
        remaining -= part
    return allocation


# Odoo's payment state of an invoice whose open amount was cleared by credit
# notes only: nothing it was matched with is a payment or a bank statement line
REVERSED = "reversed"


def credited_in_full(payment_states):
    """Whether a finished plan's invoices were settled by credit notes rather
    than paid: every one of them is ``reversed``.

    A plan where part of an invoice, or one invoice of several, was paid and
    credit notes settled the rest is not: the customer paid all that was
    still owed after the credit, so that plan was kept.

    :param payment_states: the ``payment_state`` of each of the plan's
        invoices (its costs invoice included)
    :return: ``False`` for a plan without invoices
    """
    states = list(payment_states)
    return bool(states) and all(state == REVERSED for state in states)
