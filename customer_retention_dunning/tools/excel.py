"""Excel helpers of the workbook: plain functions, tested without a
database."""

import re

STRFTIME_TO_EXCEL = {
    "%d": "dd",
    "%m": "mm",
    "%Y": "yyyy",
    "%y": "yy",
    "%b": "mmm",
    "%B": "mmmm",
    "%a": "ddd",
    "%A": "dddd",
    "%e": "d",
}


def excel_date_format(strftime_format):
    """Odoo's (strftime) date format of a language as an Excel format."""
    return re.sub(
        r"%[a-zA-Z]",
        lambda match: STRFTIME_TO_EXCEL.get(match.group(0), ""),
        strftime_format or "%Y-%m-%d",
    )


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
