"""The hand-over file for a collection agency, from plain values.

One layout, two files: the rows below are written as an Excel sheet and as
CSV, so that both say the same. The agency receives the debtor, each
handed-over invoice with its principal, open amount and interest, the claim
(open amounts, collection costs, interest) and the reminders sent before.
Amounts are in one currency, rounded to the cent half up; the totals add
the rounded amounts, as the agency will.
"""

import csv
import io
from collections import namedtuple
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import xlsxwriter

Debtor = namedtuple("Debtor", "name street zip_city country registry vat email phone")
Invoice = namedtuple(
    "Invoice", "number invoice_date due_date principal open_amount interest"
)
Reminder = namedtuple("Reminder", "date step tone channel amount")
# the collection costs claimed, and where the amount comes from (the
# formal demand that stated it, or the statutory scale on the day)
Costs = namedtuple("Costs", "amount basis")
Row = namedtuple("Row", "kind cells")

# the words of the file, given by the caller in the reader's language
LABEL_KEYS = (
    "title",
    "currency",
    "debtor",
    "name",
    "address",
    "zip_city",
    "country",
    "registry",
    "vat",
    "email",
    "phone",
    "invoices",
    "invoice",
    "invoice_date",
    "due_date",
    "principal",
    "open_amount",
    "interest",
    "total",
    "claim",
    "claim_open",
    "claim_costs",
    "claim_interest",
    "claim_total",
    "stated_interest",
    "reminders",
    "reminder_date",
    "step",
    "tone",
    "channel",
    "amount",
    "no_reminders",
)

CENT = Decimal("0.01")


def money(amount):
    """An amount as the file states it: to the cent, half up."""
    return Decimal(str(amount or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def handover_rows(labels, debtor, invoices, reminders, costs, stated_interest=None):
    """The rows of the hand-over file, top to bottom.

    :param labels: {key of :data:`LABEL_KEYS`: text}
    :param debtor: a :class:`Debtor`
    :param invoices: :class:`Invoice` values, oldest due date first
    :param reminders: :class:`Reminder` values, oldest first
    :param costs: the :class:`Costs` claimed
    :param stated_interest: (date, amount) of the interest a formal demand
        stated, or None
    :return: a list of :class:`Row` (``kind`` is ``title``, ``section``,
        ``field``, ``header``, ``data``, ``total`` or ``blank``)
    """
    missing = set(LABEL_KEYS) - set(labels)
    if missing:
        raise ValueError(f"Labels missing: {', '.join(sorted(missing))}")
    rows = [
        Row("title", [labels["title"]]),
        Row("field", [labels["currency"]]),
        Row("blank", []),
        Row("section", [labels["debtor"]]),
    ]
    for key, value in (
        ("name", debtor.name),
        ("address", debtor.street),
        ("zip_city", debtor.zip_city),
        ("country", debtor.country),
        ("registry", debtor.registry),
        ("vat", debtor.vat),
        ("email", debtor.email),
        ("phone", debtor.phone),
    ):
        rows.append(Row("field", [labels[key], value or ""]))

    rows += [
        Row("blank", []),
        Row("section", [labels["invoices"]]),
        Row(
            "header",
            [
                labels["invoice"],
                labels["invoice_date"],
                labels["due_date"],
                labels["principal"],
                labels["open_amount"],
                labels["interest"],
            ],
        ),
    ]
    principal = open_amount = interest = Decimal(0)
    for invoice in invoices:
        amounts = [
            money(invoice.principal),
            money(invoice.open_amount),
            money(invoice.interest),
        ]
        principal += amounts[0]
        open_amount += amounts[1]
        interest += amounts[2]
        rows.append(
            Row(
                "data",
                [invoice.number, invoice.invoice_date, invoice.due_date, *amounts],
            )
        )
    rows.append(
        Row("total", [labels["total"], "", "", principal, open_amount, interest])
    )

    costs_amount = money(costs.amount)
    rows += [
        Row("blank", []),
        Row("section", [labels["claim"]]),
        Row("field", [labels["claim_open"], open_amount]),
        Row("field", [labels["claim_costs"], costs_amount, costs.basis or ""]),
        Row("field", [labels["claim_interest"], interest]),
        Row("total", [labels["claim_total"], open_amount + costs_amount + interest]),
    ]
    if stated_interest:
        stated_on, stated_amount = stated_interest
        rows.append(
            Row("field", [labels["stated_interest"], money(stated_amount), stated_on])
        )

    rows += [
        Row("blank", []),
        Row("section", [labels["reminders"]]),
        Row(
            "header",
            [
                labels["reminder_date"],
                labels["step"],
                labels["tone"],
                labels["channel"],
                labels["amount"],
            ],
        ),
    ]
    for reminder in reminders:
        rows.append(
            Row(
                "data",
                [
                    reminder.date,
                    reminder.step or "",
                    reminder.tone or "",
                    reminder.channel or "",
                    money(reminder.amount),
                ],
            )
        )
    if not reminders:
        rows.append(Row("field", [labels["no_reminders"]]))
    return rows


def _csv_cell(value):
    # machine-readable: ISO dates, a point before the cents
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def csv_bytes(rows):
    """The rows as CSV, UTF-8 with a byte order mark (Excel then reads the
    accents right), comma separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row.cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows, sheet_name, date_format="yyyy-mm-dd", money_format="#,##0.00"):
    """The rows as an Excel workbook of one sheet: dates and amounts as
    Excel dates and numbers, in the given formats."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(sheet_name[:31])
    styles = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "section": workbook.add_format({"bold": True, "font_size": 12}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True}
        ),
        "label": workbook.add_format({"bold": True}),
        "date": workbook.add_format({"num_format": date_format}),
        "money": workbook.add_format({"num_format": money_format}),
        "money_total": workbook.add_format(
            {"num_format": money_format, "bold": True, "top": 1}
        ),
        "total_label": workbook.add_format({"bold": True, "top": 1}),
    }
    for index, row in enumerate(rows):
        for col, value in enumerate(row.cells):
            total = row.kind == "total"
            if value == "":
                continue  # an empty cell, not an empty text
            if isinstance(value, date):
                sheet.write_datetime(index, col, value, styles["date"])
            elif isinstance(value, Decimal):
                sheet.write_number(
                    index,
                    col,
                    float(value),
                    styles["money_total" if total else "money"],
                )
            elif row.kind in ("title", "section", "header"):
                sheet.write_string(index, col, value, styles[row.kind])
            elif col == 0 and row.kind in ("field", "total"):
                sheet.write_string(
                    index, col, value, styles["total_label" if total else "label"]
                )
            else:
                sheet.write_string(index, col, value)
    for col, width in enumerate((30, 16, 16, 16, 16, 16)):
        sheet.set_column(col, col, width)
    workbook.close()
    return buffer.getvalue()
