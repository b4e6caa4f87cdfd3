"""What an overdue receivable is still worth: the loss curve.

Overdue receivables lose value with age. The practice we encode uses these
averages: 13% lost after 3 months, 36% after 6, 57% after a year and 91%
after two years. Between two points the loss is interpolated linearly; from
the due date to the first point it rises from 0; past the last point it
stays at the last value (what is left is the chance of a late recovery).
"""

DEFAULT_LOSS_CURVE = ((90, 13.0), (180, 36.0), (365, 57.0), (730, 91.0))
# the ages at which a company sets its curve (3, 6, 12 and 24 months)
LOSS_CURVE_DAYS = tuple(days for days, _pct in DEFAULT_LOSS_CURVE)


def loss_percentage(days_overdue, curve=DEFAULT_LOSS_CURVE):
    """Percentage (0-100) of value lost after ``days_overdue`` days.

    :param curve: ``(days, percentage)`` points; they are sorted here
    """
    if days_overdue <= 0:
        return 0.0
    previous_days, previous_pct = 0, 0.0
    for days, pct in sorted(curve):
        if days_overdue <= days:
            span = days - previous_days
            if span <= 0:
                return float(pct)
            ratio = (days_overdue - previous_days) / span
            return previous_pct + (pct - previous_pct) * ratio
        previous_days, previous_pct = days, float(pct)
    return previous_pct


def value_at_risk(open_amount, days_overdue, curve=DEFAULT_LOSS_CURVE):
    """The part of ``open_amount`` expected to be lost, rounded to the cent."""
    return round(open_amount * loss_percentage(days_overdue, curve) / 100.0, 2)


def loss_percentage_sql(days, percentages):
    """:func:`loss_percentage` as an SQL expression, for set-based reports.

    :param days: SQL expression of the days overdue
    :param percentages: one SQL expression per point of
        :data:`LOSS_CURVE_DAYS`: the percentage lost at that age
    :return: SQL text (no user input goes into it: both parameters are
        column expressions chosen by the caller)
    """
    if len(percentages) != len(LOSS_CURVE_DAYS):
        raise ValueError("one percentage per point of the loss curve")
    branches = [f"WHEN {days} <= 0 THEN 0"]
    previous_days, previous_pct = 0, "0"
    for point, pct in zip(LOSS_CURVE_DAYS, percentages, strict=True):
        branches.append(
            f"WHEN {days} <= {point} THEN {previous_pct} + ({pct} - {previous_pct})"
            f" * ({days} - {previous_days}) / {float(point - previous_days)}"
        )
        previous_days, previous_pct = point, pct
    return f"CASE {' '.join(branches)} ELSE {previous_pct} END"
