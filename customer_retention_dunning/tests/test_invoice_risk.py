"""Days overdue, expected payment date and value at risk on the invoice."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from ..tools.value_at_risk import loss_percentage_sql
from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestInvoiceRisk(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overdue_180 = cls._invoice(
            1000, TODAY - timedelta(days=210), TODAY - timedelta(days=180)
        )
        cls.overdue_45 = cls._invoice(
            2000, TODAY - timedelta(days=75), TODAY - timedelta(days=45)
        )
        cls.not_due = cls._invoice(
            500, TODAY - timedelta(days=5), TODAY + timedelta(days=25)
        )
        cls.paid = cls._invoice(
            800, TODAY - timedelta(days=130), TODAY - timedelta(days=100)
        )
        cls._pay(cls.paid, TODAY - timedelta(days=90))

    def test_days_overdue_and_value_at_risk(self):
        self.assertEqual(self.overdue_180.days_overdue, 180)
        self.assertEqual(self.overdue_180.value_at_risk, 360.0)
        self.assertEqual(self.overdue_45.days_overdue, 45)
        self.assertEqual(self.overdue_45.value_at_risk, 130.0)
        self.assertEqual(self.not_due.days_overdue, 0)
        self.assertEqual(self.not_due.value_at_risk, 0.0)
        self.assertEqual(self.paid.days_overdue, 0)

    def test_value_at_risk_follows_the_open_amount_and_the_company_curve(self):
        self._pay(self.overdue_180, TODAY, amount=500)
        self.env.company.dunning_loss_6m = 50.0
        self.overdue_180.invalidate_recordset()
        self.assertEqual(self.overdue_180.value_at_risk, 250.0)

    def test_overdue_filters_find_the_right_invoices(self):
        mine = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("move_type", "=", "out_invoice")]
        )

        def find(domain):
            return self.env["account.move"].search(domain + [("id", "in", mine.ids)])

        self.assertEqual(
            find([("days_overdue", ">", 30)]), self.overdue_180 | self.overdue_45
        )
        self.assertEqual(find([("days_overdue", ">", 90)]), self.overdue_180)
        self.assertEqual(find([("days_overdue", ">=", 180)]), self.overdue_180)
        self.assertFalse(find([("days_overdue", ">", 180)]))
        self.assertEqual(find([("days_overdue", "=", 45)]), self.overdue_45)
        self.assertEqual(find([("days_overdue", "=", 0)]), self.not_due | self.paid)
        self.assertEqual(
            find([("days_overdue", "<", 100)]),
            self.overdue_45 | self.not_due | self.paid,
        )

    def test_expected_payment_date_uses_the_customer_delay(self):
        for days_ago in (300, 270, 240):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 20)
        self.customer._update_payment_score()
        self.assertAlmostEqual(self.customer.payment_avg_days_late, 20 * 3 / 4, delta=3)
        delay = round(self.customer.payment_avg_days_late)
        self.not_due.invalidate_recordset()
        self.assertEqual(
            self.not_due.payment_predicted_date,
            self.not_due.invoice_date_due + timedelta(days=delay),
        )
        # already later than the usual delay: expected from today on
        self.assertEqual(self.overdue_180.payment_predicted_date, TODAY)
        self.assertFalse(self.paid.payment_predicted_date)

    def test_the_reports_sql_curve_is_the_invoices_curve(self):
        # worked out by hand on 13/36/57/91 % at 90/180/365/730 days
        expected = {
            -5: 0.0,
            0: 0.0,
            45: 6.5,
            90: 13.0,
            135: 24.5,
            180: 36.0,
            365: 57.0,
            547.5: 74.0,
            730: 91.0,
            2000: 91.0,
        }
        for days, pct in expected.items():
            with self.subTest(days=days):
                self.env.cr.execute(
                    "SELECT "
                    + loss_percentage_sql(
                        "%(days)s::numeric", ("13.0", "36.0", "57.0", "91.0")
                    ),
                    {"days": days},
                )
                self.assertAlmostEqual(float(self.env.cr.fetchone()[0]), pct)
