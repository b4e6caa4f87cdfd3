"""DSO and CEI on a small book worked out by hand."""

from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import DunningTestCommon

PERIOD = (date(2026, 2, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestCollectionKpi(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Bakkerij: 1,000 in January (paid 20 Feb), 2,000 in February
        # (500 paid 25 Mar), 3,000 in March (1,000 paid 28 Mar, before its
        # due date) and a credit note of 500 in March
        january = cls._invoice(1000.0, date(2026, 1, 10), date(2026, 2, 9))
        february = cls._invoice(2000.0, date(2026, 2, 15), date(2026, 3, 17))
        march = cls._invoice(3000.0, date(2026, 3, 5), date(2026, 4, 4))
        cls._invoice(
            500.0, date(2026, 3, 20), date(2026, 3, 20), move_type="out_refund"
        )
        cls._pay(january, date(2026, 2, 20))
        cls._pay(february, date(2026, 3, 25), amount=500.0)
        cls._pay(march, date(2026, 3, 28), amount=1000.0)
        # Café: 600 in March, due 20 March, unpaid
        cls.cafe = cls.env["res.partner"].create({"name": "Café Het Hoekje"})
        cls._invoice(600.0, date(2026, 3, 10), date(2026, 3, 20), partner=cls.cafe)

    def _report(self, partner=None):
        report = self.env["dunning.kpi.report"].create(
            {
                "date_from": PERIOD[0],
                "date_to": PERIOD[1],
                "partner_id": partner and partner.id,
            }
        )
        report.action_compute()
        return report

    def test_the_company_over_the_period_and_by_month(self):
        report = self._report()
        self.assertRecordValues(
            report,
            [
                {
                    "receivables_start": 1000.0,
                    "credit_sales": 5100.0,
                    "receivables_end": 3600.0,
                    # the March invoice, less what was paid before it was due
                    "current_end": 2000.0,
                }
            ],
        )
        # 3,600 / 5,100 x 59 days
        self.assertAlmostEqual(report.dso_simple, 41.647, delta=0.05)
        # 3,600 covers March's 3,100 (31 days); 500 / 2,000 of February's
        # 28 days = 7
        self.assertAlmostEqual(report.dso_countback, 38.0)
        # (1,000 + 5,100 - 3,600) / (1,000 + 5,100 - 2,000)
        self.assertAlmostEqual(report.cei, 2500 / 4100 * 100, delta=0.05)
        february, march = report.month_ids.sorted("month")
        self.assertRecordValues(
            february,
            [
                {
                    "month": date(2026, 2, 1),
                    "receivables_start": 1000.0,
                    "credit_sales": 2000.0,
                    "receivables_end": 2000.0,
                    "current_end": 2000.0,
                    "dso_simple": 28.0,
                    "dso_countback": 28.0,
                    "cei": 100.0,
                }
            ],
        )
        self.assertRecordValues(
            march,
            [
                {
                    "credit_sales": 3100.0,
                    "receivables_end": 3600.0,
                    "current_end": 2000.0,
                }
            ],
        )
        # 3,600 / 3,100 x 31
        self.assertAlmostEqual(march.dso_simple, 36.0, delta=0.05)
        # (2,000 + 3,100 - 3,600) / (2,000 + 3,100 - 2,000)
        self.assertAlmostEqual(march.cei, 1500 / 3100 * 100, delta=0.05)

    def test_per_customer(self):
        report = self._report()
        lines = {line.partner_id: line for line in report.partner_line_ids}
        self.assertEqual(set(lines), {self.customer, self.cafe})
        bakery = lines[self.customer]
        self.assertEqual(bakery.receivables_end, 3000.0)
        self.assertEqual(bakery.credit_sales, 4500.0)
        self.assertAlmostEqual(bakery.dso_simple, 3000 / 4500 * 59, delta=0.05)
        # 3,000 - March's 2,500 (31 days); 500 / 2,000 x 28 = 7
        self.assertAlmostEqual(bakery.dso_countback, 38.0)
        self.assertAlmostEqual(bakery.cei, 2500 / 3500 * 100, delta=0.05)
        cafe = lines[self.cafe]
        self.assertAlmostEqual(cafe.dso_simple, 59.0)
        self.assertAlmostEqual(cafe.dso_countback, 31.0)
        self.assertEqual(cafe.cei, 0.0)

    def test_one_customer(self):
        report = self._report(self.cafe)
        self.assertFalse(report.partner_line_ids)
        self.assertEqual(report.receivables_end, 600.0)
        self.assertEqual(report.credit_sales, 600.0)

    def test_no_figures_of_a_company_the_user_does_not_work_in(self):
        other = self.env["res.company"].create({"name": "Zustermaatschappij B.V."})
        report = self.env["dunning.kpi.report"].create(
            {"company_id": other.id, "date_from": PERIOD[0], "date_to": PERIOD[1]}
        )
        restricted = report.with_context(allowed_company_ids=[self.env.company.id])
        with self.assertRaisesRegex(AccessError, "Zustermaatschappij"):
            restricted.action_compute()

    def test_a_period_that_ends_before_it_starts_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "start before it ends"):
            self.env["dunning.kpi.report"].create(
                {"date_from": date(2026, 3, 1), "date_to": date(2026, 2, 1)}
            )
