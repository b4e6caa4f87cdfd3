"""The dunning ladder and the channel choice, as plain arithmetic.

The escalation job asks two questions for every open invoice and customer;
both are answered here, without a database:

- :func:`next_step`: which level should this invoice reach today, if any?
  At most one step per run, never before the level's day (counted from the
  due date; negative means before it), never sooner than the level's minimum
  interval after the customer's previous reminder, and never while the
  invoice is disputed, promised or otherwise paused. The minimum interval
  is at least :data:`MIN_INTERVAL_DAYS`: it counts from the invoice's own
  last step too, so a second run on the same day (a retry, a manual run)
  never climbs an invoice again, and a proactive reminder and the first
  one after the due date can still fall on consecutive days.
- :func:`choose_channel`: how do we reach the customer for this amount?
  E-mail for small amounts, a letter above the letter threshold, a call above
  the call threshold; SMS or WhatsApp where the customer prefers it; and a
  fallback when the customer cannot be reached that way.
"""

from dataclasses import dataclass
from datetime import date, timedelta

EMAIL, LETTER, PHONE, SMS, WHATSAPP = "email", "letter", "phone", "sms", "whatsapp"
CHANNELS = (EMAIL, LETTER, PHONE, SMS, WHATSAPP)
# a level's shortest interval after the previous reminder: with 0 the step
# an invoice took today would let it take the next one today as well
MIN_INTERVAL_DAYS = 1


@dataclass(frozen=True)
class Level:
    """One step of a profile's ladder."""

    key: object
    sequence: int
    days_after_due: int
    min_interval_days: int = 15


@dataclass(frozen=True)
class InvoiceDunning:
    """Where one open invoice stands in the ladder."""

    key: object
    date_due: date
    level_sequence: int | None = None
    last_date: date | None = None
    paused_until: date | None = None
    blocked: bool = False


def _ladder(levels):
    return sorted(levels, key=lambda level: (level.sequence, str(level.key)))


def upcoming_level(invoice, levels, today=None):
    """The first level above the invoice's current one, or ``None``. A
    proactive level (before the due date) is passed over once the invoice
    is overdue: it announces a due date, it cannot chase a missed one."""
    for level in _ladder(levels):
        if (
            invoice.level_sequence is not None
            and level.sequence <= invoice.level_sequence
        ):
            continue
        if level.days_after_due < 0 and today and today > invoice.date_due:
            continue
        return level
    return None


def step_date(invoice, level, customer_last_date=None):
    """The first day ``level`` may be applied to ``invoice``."""
    day = invoice.date_due + timedelta(days=level.days_after_due)
    previous = [d for d in (invoice.last_date, customer_last_date) if d]
    if previous:
        day = max(day, max(previous) + timedelta(days=level.min_interval_days))
    if invoice.paused_until:
        day = max(day, invoice.paused_until + timedelta(days=1))
    return day


def next_step(invoice, levels, today, customer_last_date=None):
    """The level ``invoice`` reaches on ``today``, or ``None``.

    :param levels: the :class:`Level` ladder of the customer's profile
    :param customer_last_date: the date of the customer's last reminder on
        any invoice: the minimum interval counts from it, so a customer is
        not reminded more often because it has several invoices
    """
    if invoice.blocked:
        return None
    level = upcoming_level(invoice, levels, today)
    if level is None:
        return None
    if step_date(invoice, level, customer_last_date) > today:
        return None
    return level


def next_date(invoice, levels, customer_last_date=None, today=None):
    """When the invoice's next step is due (``None`` at the top of the
    ladder or while the invoice is blocked)."""
    if invoice.blocked:
        return None
    level = upcoming_level(invoice, levels, today)
    if level is None:
        return None
    return step_date(invoice, level, customer_last_date)


def choose_channel(
    amount,
    letter_threshold,
    call_threshold,
    preferred=None,
    reachable=(EMAIL, LETTER, PHONE),
):
    """The channel for a customer's reminder and why.

    :param amount: the customer's open overdue amount (company currency)
    :param letter_threshold: from this amount on, a letter (0 = never)
    :param call_threshold: from this amount on, a call (0 = never)
    :param preferred: the channel the customer prefers (``sms``, ``whatsapp``
        or ``None``); it replaces e-mail, never a letter or a call
    :param reachable: the channels the customer can be reached by (an e-mail
        address, a postal address, a valid mobile number...); a call is
        always possible: it is a task for a collector
    :return: ``(channel, fallback_reason)``; the reason is ``None`` when the
        first choice was reachable
    """
    if call_threshold and amount >= call_threshold:
        wanted = PHONE
    elif letter_threshold and amount >= letter_threshold:
        wanted = LETTER
    elif preferred in (SMS, WHATSAPP):
        wanted = preferred
    else:
        wanted = EMAIL
    order = {
        PHONE: (PHONE,),
        LETTER: (LETTER, EMAIL, PHONE),
        EMAIL: (EMAIL, LETTER, PHONE),
        SMS: (SMS, EMAIL, LETTER, PHONE),
        WHATSAPP: (WHATSAPP, EMAIL, LETTER, PHONE),
    }[wanted]
    for channel in order:
        if channel == PHONE or channel in reachable:
            return channel, None if channel == wanted else f"no_{wanted}"
    return PHONE, f"no_{wanted}"


def add_working_days(day, count):
    """``day`` moved ``count`` working days (Monday to Friday) ahead: when a
    letter sent on ``day`` is assumed to arrive. Public holidays are not
    known here; the count is a setting, so a company sets it generously."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def placed_level(invoice, levels, today, placeable):
    """The step an invoice of the book a company goes live with starts at:
    the highest level its age has reached, among ``placeable`` (the keys of
    the levels a night may place an invoice at: up to the formal demand,
    never a credit hold or a hand-over, which want a person's decision).
    ``None`` for an invoice that was dunned before, is held, or has not
    reached any such level (it follows the ladder from its first step).

    :param placeable: a set of level keys
    """
    if invoice.level_sequence is not None or invoice.last_date or invoice.blocked:
        return None
    if invoice.paused_until and invoice.paused_until >= today:
        return None
    age = (today - invoice.date_due).days
    reached = [
        level
        for level in _ladder(levels)
        if level.key in placeable
        and level.days_after_due >= 0
        and level.days_after_due <= age
    ]
    return reached[-1] if reached else None
