"""The arithmetic of a statement of open items: how old an item is on the
statement's date, and what the items add up to per age and per currency.
Plain values in, plain values out, tested without a database."""

from decimal import Decimal

# (highest number of days overdue, bucket) from young to old; an item due
# on the statement's date itself is not due yet, as on the reminders
NOT_DUE = "not_due"
OVER_90 = "over_90"
BUCKETS = (
    (0, NOT_DUE),
    (30, "1_30"),
    (60, "31_60"),
    (90, "61_90"),
    (None, OVER_90),
)
BUCKET_KEYS = tuple(key for _limit, key in BUCKETS)


def days_overdue(due_date, statement_date):
    """Days between the due date and the statement's date; zero or less
    when the item is not due yet."""
    return (statement_date - due_date).days


def age_bucket(due_date, statement_date):
    """The age bucket of an item due on ``due_date``, on ``statement_date``.

    >>> from datetime import date
    >>> age_bucket(date(2026, 7, 1), date(2026, 7, 1))
    'not_due'
    >>> age_bucket(date(2026, 5, 31), date(2026, 7, 1))
    '31_60'
    """
    days = days_overdue(due_date, statement_date)
    for limit, key in BUCKETS:
        if limit is None or days <= limit:
            return key
    return OVER_90  # pragma: no cover (the last bucket has no limit)


def _exact(amount):
    # through the shortest text of a float: 0.1 stays 0.1, so the sums per
    # bucket and the total per currency agree to the cent and beyond
    return amount if isinstance(amount, Decimal) else Decimal(repr(amount))


def bucket_totals(items, statement_date):
    """What ``items`` add up to per currency, per age bucket and in all.

    :param items: ``(currency, due_date, amount)`` tuples; a credit (credit
        note, unapplied payment) is a negative amount and counts in the
        bucket of its own due date, as on an ageing report
    :return: ``{currency: {"buckets": {bucket: Decimal}, "total": Decimal}}``
        with every bucket present; amounts of different currencies are never
        added together
    """
    totals = {}
    for currency, due_date, amount in items:
        figures = totals.setdefault(
            currency,
            {"buckets": dict.fromkeys(BUCKET_KEYS, Decimal(0)), "total": Decimal(0)},
        )
        value = _exact(amount)
        figures["buckets"][age_bucket(due_date, statement_date)] += value
        figures["total"] += value
    return totals
