"""Days sales outstanding and the collection effectiveness index, from
monthly totals (no invoices here: the queries aggregate them first).

DSO, simple (Odoo's own method)
    receivables at the end / credit sales of the period x days in the period.

DSO, countback
    Start from the receivables at the end and walk back month by month
    (the newest month first, which may be a part month). While what is
    left covers a month's credit sales, take that month's days and subtract
    its sales; for the month it does not cover, take the fraction
    left / sales of its days. A month without sales adds its days and
    takes nothing. Walking past the oldest month given stops there.

CEI (collection effectiveness index)
    (receivables at the start + credit sales - receivables at the end)
    / (receivables at the start + credit sales - current receivables at
    the end) x 100, where *current* means not yet due. 100 means everything
    that could be collected was.
"""


def dso_simple(receivables, credit_sales, days):
    """Receivables / credit sales x days; 0 without sales."""
    if credit_sales <= 0 or days <= 0:
        return 0.0
    return max(receivables, 0.0) / credit_sales * days


def dso_countback(receivables, months):
    """Days of the newest sales that the receivables stand for.

    :param receivables: receivables at the end of the newest month
    :param months: ``(credit_sales, days)`` per month, the newest first
    """
    left = receivables
    days_total = 0.0
    for sales, days in months:
        if left <= 0:
            break
        if sales <= 0:
            days_total += days
            continue
        if left >= sales:
            days_total += days
            left -= sales
        else:
            days_total += left / sales * days
            left = 0.0
    return days_total


def cei(receivables_start, credit_sales, receivables_end, current_end):
    """Collection effectiveness index in %, or None when nothing could be
    collected (the denominator is zero or less)."""
    collectible = receivables_start + credit_sales - current_end
    if collectible <= 0:
        return None
    return (receivables_start + credit_sales - receivables_end) / collectible * 100.0
