"""Dutch statutory collection costs and statutory interest, as plain arithmetic.

Nothing here touches the database: the models know the principal, the dates
and the company's choices, and ask this module what the law adds to a claim.
Amounts come in as ``Decimal``, ``int``, ``str`` or ``float`` (a float is read
through its shortest ``repr``, so ``300.3`` is ``Decimal("300.3")``) and go out
as ``Decimal`` rounded to the cent, half up.

Extrajudicial collection costs
------------------------------
Art. 6:96 BW lets the creditor charge the costs of collecting outside court;
the Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012,
141), art. 2, sets the amount as a scale over the *principal* only:

    15%  of the first   EUR 2,500
    10%  of the next    EUR 2,500
     5%  of the next    EUR 5,000
     1%  of the next    EUR 190,000
    0.5% of the rest
    at least EUR 40 and at most EUR 6,775 (reached at a principal of 1,000,000)

For a consumer the scale is mandatory: the caller must use
:data:`ARRANGEMENT_SCALE` (the 14-day reminder the law requires before the
costs are owed is the caller's business too). Between businesses the scale is
the default, but the company may have agreed on something else:

- :data:`ARRANGEMENT_FIXED`: the fixed EUR 40 of directive 2011/7/EU, art. 6;
- :data:`ARRANGEMENT_PERCENTAGE`: an agreed percentage of the principal, but
  at least an agreed minimum (no statutory cap applies to it here);
- :data:`ARRANGEMENT_NONE`: no collection costs at all.

A creditor that cannot deduct VAT may add it on top. The costs are rounded to
the cent first and the VAT is computed over that rounded amount and rounded
in turn, so the total is the sum of the two lines an invoice would show.

The law's amounts (the brackets, the minimum and maximum of the scale, the
fixed EUR 40) are euros: :data:`EURO_FIGURES`. A claim kept in another
currency is computed with :meth:`CostFigures.converted`, the same figures in
that currency; the principal is then in that currency too. Which
arrangements use them: :func:`uses_euro_figures`.

Statutory interest
------------------
Art. 6:119 BW (the statutory rate, consumers) and art. 6:119a BW (the
commercial rate, directive 2011/7/EU: the ECB reference rate + 8 points);
art. 6:120 BW has the rates set twice a year. :func:`statutory_interest`
takes the rate table as ``(date_start, yearly_percent)`` pairs and uses these
conventions:

- interest runs for ``(date_to - date_from).days`` days: ``date_from`` is
  the first day that bears interest, ``date_to`` is the first that no longer
  does; an empty or reversed period bears nothing;
- a rate is valid from its start date up to the day before the next start;
  the last one stays valid; a period that crosses a change is split there;
- one day's interest is the yearly rate / 365, or / 366 when the day itself
  falls in a leap year, so a calendar year always earns exactly the yearly
  rate;
- with ``compound=True``, at the end of every full year counted from
  ``date_from`` (its anniversaries) the interest of that year is added to
  the principal and bears interest itself (art. 6:119 lid 2 BW);
- an anniversary of 29 February in a year without one falls on 1 March: the
  year that started on 29 February ends with 28 February, so no year is
  shorter than a calendar year and interest is never capitalised early;
- ``compound=False`` is simple interest, for claims under a law that does
  not capitalise (the directive itself only sets the rate);
- all arithmetic keeps full precision and the result is rounded once, to
  the cent, half up.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

ARRANGEMENT_SCALE = "scale"
ARRANGEMENT_FIXED = "fixed"
ARRANGEMENT_PERCENTAGE = "percentage"
ARRANGEMENT_NONE = "none"
ARRANGEMENTS = (
    ARRANGEMENT_SCALE,
    ARRANGEMENT_FIXED,
    ARRANGEMENT_PERCENTAGE,
    ARRANGEMENT_NONE,
)

SCALE_MINIMUM = Decimal("40")
SCALE_MAXIMUM = Decimal("6775")
FIXED_COSTS = Decimal("40")

# (width of the bracket, percentage); ``None`` is the open-ended last bracket.
SCALE_BRACKETS = (
    (Decimal("2500"), Decimal("15")),
    (Decimal("2500"), Decimal("10")),
    (Decimal("5000"), Decimal("5")),
    (Decimal("190000"), Decimal("1")),
    (None, Decimal("0.5")),
)


@dataclass(frozen=True)
class CostFigures:
    """The amounts of the law's collection costs, in one currency."""

    # ((width of the bracket, percentage), ...); the last width is ``None``
    brackets: tuple
    minimum: Decimal
    maximum: Decimal
    fixed: Decimal

    def converted(self, convert):
        """These figures with every amount (not the percentages) passed
        through ``convert``, a function from an amount in this currency to
        the amount in another one."""
        return CostFigures(
            brackets=tuple(
                (None if width is None else to_decimal(convert(width)), percent)
                for width, percent in self.brackets
            ),
            minimum=to_decimal(convert(self.minimum)),
            maximum=to_decimal(convert(self.maximum)),
            fixed=to_decimal(convert(self.fixed)),
        )


EURO_FIGURES = CostFigures(SCALE_BRACKETS, SCALE_MINIMUM, SCALE_MAXIMUM, FIXED_COSTS)


def uses_euro_figures(arrangement):
    """Whether the costs of ``arrangement`` come from the law's euro amounts
    (an agreed percentage and minimum are the company's own, in its own
    currency)."""
    return arrangement in (ARRANGEMENT_SCALE, ARRANGEMENT_FIXED)


CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# Room for the day fractions (rate / 365) without losing a digit that matters.
WORKING_PRECISION = 50


def to_decimal(value, name="amount"):
    """``value`` as a finite ``Decimal``; raises ``ValueError`` otherwise."""
    if isinstance(value, bool):
        raise ValueError("%s must be a number, not a boolean" % name)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("%s is not a number: %r" % (name, value)) from None
    else:
        raise ValueError("%s must be a number, got %r" % (name, value))
    if not number.is_finite():
        raise ValueError("%s must be a finite number, got %r" % (name, value))
    return number


def round_cent(amount):
    """``amount`` rounded to the cent, half up (0.005 becomes 0.01)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------
# Collection costs
# ---------------------------------------------------------------------------


def _scale_unrounded(principal, figures=EURO_FIGURES):
    """The scale over a positive principal, unrounded, within min and max."""
    costs = Decimal(0)
    rest = principal
    for width, percent in figures.brackets:
        part = rest if width is None else min(rest, width)
        costs += part * percent / HUNDRED
        rest -= part
        if rest <= 0:
            break
    return min(max(costs, figures.minimum), figures.maximum)


def scale_costs(principal, figures=EURO_FIGURES):
    """The collection costs of the statutory scale, rounded to the cent.

    0 for a principal of 0 or less; otherwise between EUR 40 and EUR 6,775
    (or the ``figures`` of another currency).
    """
    principal = to_decimal(principal, "principal")
    if principal <= 0:
        return ZERO
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        return round_cent(_scale_unrounded(principal, figures))


def collection_costs_and_vat(
    principal,
    arrangement=ARRANGEMENT_SCALE,
    percentage=0,
    minimum=0,
    vat_percent=0,
    figures=EURO_FIGURES,
):
    """The collection costs and the VAT over them, each rounded to the cent.

    :param arrangement: one of :data:`ARRANGEMENTS`
    :param percentage: the agreed percentage, for
        :data:`ARRANGEMENT_PERCENTAGE` only
    :param minimum: the agreed minimum, for :data:`ARRANGEMENT_PERCENTAGE` only
    :param vat_percent: VAT rate in percent added on top; 0 adds none
    :param figures: the law's amounts in the principal's currency
        (:data:`EURO_FIGURES` for a principal in euros)
    :return: ``(costs, vat)``; both 0 for a principal of 0 or less
    """
    principal = to_decimal(principal, "principal")
    percentage = to_decimal(percentage, "percentage")
    minimum = to_decimal(minimum, "minimum")
    vat_percent = to_decimal(vat_percent, "vat_percent")
    if arrangement not in ARRANGEMENTS:
        raise ValueError(
            "Unknown collection costs arrangement %r; expected one of %s"
            % (arrangement, ", ".join(ARRANGEMENTS))
        )
    for name, number in (
        ("percentage", percentage),
        ("minimum", minimum),
        ("vat_percent", vat_percent),
    ):
        if number < 0:
            raise ValueError("%s cannot be negative, got %s" % (name, number))
    if principal <= 0 or arrangement == ARRANGEMENT_NONE:
        return ZERO, ZERO
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        if arrangement == ARRANGEMENT_SCALE:
            costs = _scale_unrounded(principal, figures)
        elif arrangement == ARRANGEMENT_FIXED:
            costs = figures.fixed
        else:
            costs = max(principal * percentage / HUNDRED, minimum)
        costs = round_cent(costs)
        vat = round_cent(costs * vat_percent / HUNDRED)
    return costs, vat


def collection_costs(
    principal,
    arrangement=ARRANGEMENT_SCALE,
    percentage=0,
    minimum=0,
    vat_percent=0,
    figures=EURO_FIGURES,
):
    """The collection costs including VAT, rounded to the cent.

    See :func:`collection_costs_and_vat` for the parameters; this is the sum
    of its two amounts.
    """
    costs, vat = collection_costs_and_vat(
        principal, arrangement, percentage, minimum, vat_percent, figures
    )
    return costs + vat


# ---------------------------------------------------------------------------
# Statutory interest
# ---------------------------------------------------------------------------


def anniversary(date_from, years):
    """The day ``years`` full years after ``date_from``.

    The same day and month; 29 February becomes 1 March in a year without
    it. ``date.max`` when the year lies beyond the calendar.
    """
    year = date_from.year + years
    if year > date.max.year:
        return date.max
    try:
        return date_from.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def _next_new_year(day):
    if day.year >= date.max.year:
        return date.max
    return date(day.year + 1, 1, 1)


def rate_table(rates):
    """The ``(date_start, yearly_percent)`` pairs sorted by start date.

    Raises ``ValueError`` for an empty table, two rates starting on the same
    day or a negative rate.
    """
    table = sorted(
        ((start, to_decimal(percent, "yearly_percent")) for start, percent in rates),
        key=lambda rate: rate[0],
    )
    if not table:
        raise ValueError("No statutory interest rates were given")
    for (start, _percent), (next_start, _next_percent) in zip(
        table, table[1:], strict=False
    ):
        if start == next_start:
            raise ValueError("Two interest rates start on the same day, %s" % start)
    for start, percent in table:
        if percent < 0:
            raise ValueError("The interest rate from %s is negative" % start)
    return table


def statutory_interest(principal, date_from, date_to, rates, compound=True):
    """The statutory interest on ``principal`` over a period, to the cent.

    :param date_from: first day that bears interest (included)
    :param date_to: first day that no longer bears interest (excluded)
    :param rates: iterable of ``(date_start, yearly_percent)``, in any order
    :param compound: add each full year's interest to the principal
        (art. 6:119 lid 2 BW); ``False`` gives simple interest
    :return: 0 when ``date_to <= date_from`` or the principal is 0 or less
    :raises ValueError: when the period starts before the first rate

    The module docstring describes the day count and the anniversaries.
    """
    principal = to_decimal(principal, "principal")
    table = rate_table(rates)
    if date_to <= date_from or principal <= 0:
        return ZERO
    first_start = table[0][0]
    if date_from < first_start:
        raise ValueError(
            "No statutory interest rate is known for %s: the first rate in the "
            "table starts on %s" % (date_from, first_start)
        )
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        base = principal
        capitalised = Decimal(0)
        year_interest = Decimal(0)
        years_done = 0
        next_anniversary = anniversary(date_from, 1) if compound else date.max
        rate_index = 0
        day = date_from
        while day < date_to:
            while rate_index + 1 < len(table) and table[rate_index + 1][0] <= day:
                rate_index += 1
            percent = table[rate_index][1]
            segment_end = min(date_to, _next_new_year(day), next_anniversary)
            if rate_index + 1 < len(table):
                segment_end = min(segment_end, table[rate_index + 1][0])
            days = (segment_end - day).days
            days_in_year = 366 if calendar.isleap(day.year) else 365
            year_interest += base * percent * days / (HUNDRED * days_in_year)
            day = segment_end
            if day == next_anniversary:
                base += year_interest
                capitalised += year_interest
                year_interest = Decimal(0)
                years_done += 1
                next_anniversary = anniversary(date_from, years_done + 1)
        return round_cent(capitalised + year_interest)
