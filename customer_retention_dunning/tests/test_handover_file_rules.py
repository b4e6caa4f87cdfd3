"""The hand-over file's rows, CSV and Excel, without a database."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl

from odoo.tests.common import BaseCase

from ..tools.handover_file import (
    LABEL_KEYS,
    Costs,
    Debtor,
    Invoice,
    Reminder,
    csv_bytes,
    handover_rows,
    xlsx_bytes,
)

LABELS = {key: key.replace("_", " ").capitalize() for key in LABEL_KEYS}
DEBTOR = Debtor(
    "Bakkerij De Korenbloem",
    "Molenstraat 1",
    "1011 AA Amsterdam",
    "Netherlands",
    "12345678",
    "NL001234567B01",
    "administratie@korenbloem.example.nl",
    "",
)
INVOICES = [
    Invoice("INV/2026/00001", date(2026, 1, 5), date(2026, 2, 4), 1210, 1210, 12.345),
    Invoice("INV/2026/00002", date(2026, 1, 20), date(2026, 2, 19), 500, 200.1, 3.1),
]
REMINDERS = [
    Reminder(date(2026, 3, 10), "Friendly reminder", "Friendly", "E-mail", 1710),
    Reminder(date(2026, 4, 1), "Formal demand", "Formal demand", "Letter", 1410.1),
]
COSTS = Costs(211.515, "as stated in the formal demand of 2026-04-01")


def _rows(**changes):
    values = {
        "labels": LABELS,
        "debtor": DEBTOR,
        "invoices": INVOICES,
        "reminders": REMINDERS,
        "costs": COSTS,
        "stated_interest": (date(2026, 4, 1), 9.99),
    }
    values.update(changes)
    return handover_rows(**values)


def _after(rows, section):
    """The rows of a section, up to the next blank row."""
    start = next(
        i
        for i, row in enumerate(rows)
        if row.kind == "section" and row.cells == [section]
    )
    end = next(
        (i for i in range(start, len(rows)) if rows[i].kind == "blank"), len(rows)
    )
    return rows[start + 1 : end]


class TestHandoverFileRules(BaseCase):
    def test_the_debtor_is_named_with_address_registry_and_vat(self):
        debtor = {row.cells[0]: row.cells[1] for row in _after(_rows(), "Debtor")}
        self.assertEqual(debtor["Name"], "Bakkerij De Korenbloem")
        self.assertEqual(debtor["Address"], "Molenstraat 1")
        self.assertEqual(debtor["Zip city"], "1011 AA Amsterdam")
        self.assertEqual(debtor["Registry"], "12345678")
        self.assertEqual(debtor["Vat"], "NL001234567B01")
        self.assertEqual(debtor["Phone"], "")

    def test_each_invoice_is_a_row_and_the_totals_add_the_rounded_amounts(self):
        rows = _after(_rows(), "Invoices")
        self.assertEqual(
            [row.kind for row in rows], ["header", "data", "data", "total"]
        )
        self.assertEqual(
            rows[1].cells,
            [
                "INV/2026/00001",
                date(2026, 1, 5),
                date(2026, 2, 4),
                Decimal("1210.00"),
                Decimal("1210.00"),
                # 12.345 to the cent, half up
                Decimal("12.35"),
            ],
        )
        self.assertEqual(
            rows[2].cells[3:], [Decimal("500.00"), Decimal("200.10"), Decimal("3.10")]
        )
        # 1210 + 500, 1210 + 200.10, 12.35 + 3.10
        self.assertEqual(
            rows[3].cells,
            ["Total", "", "", Decimal("1710.00"), Decimal("1410.10"), Decimal("15.45")],
        )

    def test_the_claim_adds_costs_and_interest_to_the_open_amount(self):
        claim = {row.cells[0]: row.cells[1:] for row in _after(_rows(), "Claim")}
        self.assertEqual(claim["Claim open"], [Decimal("1410.10")])
        self.assertEqual(
            claim["Claim costs"],
            [Decimal("211.52"), "as stated in the formal demand of 2026-04-01"],
        )
        self.assertEqual(claim["Claim interest"], [Decimal("15.45")])
        # 1410.10 + 211.52 + 15.45
        self.assertEqual(claim["Claim total"], [Decimal("1637.07")])
        self.assertEqual(claim["Stated interest"], [Decimal("9.99"), date(2026, 4, 1)])

    def test_without_a_formal_demand_no_stated_interest_row(self):
        claim = _after(_rows(stated_interest=None), "Claim")
        self.assertNotIn("Stated interest", [row.cells[0] for row in claim])
        self.assertEqual(claim[-1].cells, ["Claim total", Decimal("1637.07")])

    def test_the_reminders_are_listed_with_date_and_channel(self):
        rows = _after(_rows(), "Reminders")
        self.assertEqual(
            [row.cells for row in rows[1:]],
            [
                [
                    date(2026, 3, 10),
                    "Friendly reminder",
                    "Friendly",
                    "E-mail",
                    Decimal("1710.00"),
                ],
                [
                    date(2026, 4, 1),
                    "Formal demand",
                    "Formal demand",
                    "Letter",
                    Decimal("1410.10"),
                ],
            ],
        )
        none = _after(_rows(reminders=[]), "Reminders")
        self.assertEqual(none[-1].cells, ["No reminders"])

    def test_a_missing_label_is_refused(self):
        labels = dict(LABELS)
        del labels["vat"]
        with self.assertRaisesRegex(ValueError, "vat"):
            _rows(labels=labels)

    def test_the_csv_has_iso_dates_and_amounts_with_a_point(self):
        content = csv_bytes(_rows())
        self.assertTrue(content.startswith("\ufeff".encode()))
        lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        self.assertIn(
            [
                "INV/2026/00001",
                "2026-01-05",
                "2026-02-04",
                "1210.00",
                "1210.00",
                "12.35",
            ],
            lines,
        )
        self.assertIn(["Claim total", "1637.07"], lines)
        self.assertIn(
            ["2026-04-01", "Formal demand", "Formal demand", "Letter", "1410.10"],
            lines,
        )

    def test_the_excel_sheet_has_real_dates_and_numbers(self):
        content = xlsx_bytes(_rows(), "Hand-over", date_format="dd-mm-yyyy")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet.title, "Hand-over")
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        invoice = next(row for row in values if row[0] == "INV/2026/00001")
        self.assertEqual(
            invoice,
            [
                "INV/2026/00001",
                datetime(2026, 1, 5),
                datetime(2026, 2, 4),
                1210.0,
                1210.0,
                12.35,
            ],
        )
        total = next(row for row in values if row[0] == "Claim total")
        self.assertEqual(total[1], 1637.07)
        cell = next(
            row[1] for row in sheet.iter_rows() if row[0].value == "INV/2026/00001"
        )
        self.assertEqual(cell.number_format, "dd-mm-yyyy")
