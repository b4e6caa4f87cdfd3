"""Amounts written the way Odoo writes them for a language and a currency,
for many amounts at once: the language's separators and grouping and the
currency's symbol are looked up once, each amount is then formatted here.
Pure rules: no Odoo."""

NBSP = "\N{NO-BREAK SPACE}"
# a minus sign the line does not break after
MINUS = "-\N{ZERO WIDTH NO-BREAK SPACE}"


def group_digits(digits, grouping, separator):
    """``digits`` with ``separator`` between its groups, counted from the
    right: ``grouping`` lists the group sizes, a 0 repeats the size before
    it to the end, a -1 leaves the rest ungrouped (``[3, 0]``: thousands;
    ``[3, 2, 0]``: lakhs)."""
    groups, rest, size = [], digits, len(digits)
    for count in grouping:
        if not rest or count == -1:
            break
        if count == 0:
            while rest:
                groups.append(rest[-size:])
                rest = rest[:-size]
            break
        groups.append(rest[-count:])
        rest, size = rest[:-count], count
    if rest:
        groups.append(rest)
    return separator.join(reversed(groups))


def money_formatter(decimals, symbol, before, decimal_point, thousands_sep, grouping):
    """A function writing an amount (already rounded to the currency) the
    way Odoo's ``format_amount`` does, with these settings.

    :param int decimals: the currency's decimal places
    :param str symbol: the currency's symbol
    :param bool before: the symbol goes before the amount
    :param str decimal_point: the language's decimal separator
    :param str thousands_sep: the language's thousands separator
    :param list grouping: the language's digit groups (see
        :func:`group_digits`)
    """
    pattern = f"%.{int(decimals)}f"

    def write(amount):
        text = pattern % amount
        sign = ""
        if text.startswith("-"):
            sign, text = "-", text[1:]
        whole, _dot, fraction = text.partition(".")
        number = sign + group_digits(whole, grouping, thousands_sep)
        if _dot:
            number += decimal_point + fraction
        number = number.replace(" ", NBSP).replace("-", MINUS)
        if before:
            return f"{symbol}{NBSP}{number}"
        return f"{number}{NBSP}{symbol}"

    return write
