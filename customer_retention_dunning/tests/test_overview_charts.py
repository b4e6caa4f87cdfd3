"""The overview's two charts: the open amount per age and DSO per month.
They state the same numbers as the overview's figures, and a bar or a month
opens exactly the records behind it, of the overview's company only."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DunningTestCommon

TODAY = date(2026, 6, 15)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestOverviewCharts(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # each invoice is dated 30 days before its due date
        cls.not_due = cls._due(400.0, date(2026, 6, 25))  # sold in May
        cls.credit = cls._invoice(40.0, TODAY, move_type="out_refund")  # June
        cls.late_10 = cls._due(300.0, date(2026, 6, 5))  # 10 days, May
        cls.late_45 = cls._due(200.0, date(2026, 5, 1))  # 45 days, April
        cls.late_75 = cls._due(100.0, date(2026, 4, 1))  # 75 days, March
        cls.late_120 = cls._due(50.0, date(2026, 2, 15))  # 120 days, January
        cls.late_410 = cls._due(25.0, date(2025, 5, 1))  # 410 days, April 2025
        # a sister company with money of its own 45 days overdue
        cls.sister = cls.setup_other_company(name="Zuster B.V.")["company"]
        cls.env.user.company_ids |= cls.sister
        cls.sister_invoice = (
            cls.env["account.move"]
            .with_company(cls.sister)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": date(2026, 4, 1),
                    "date": date(2026, 4, 1),
                    "invoice_date_due": date(2026, 5, 1),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Services", "price_unit": 999.0, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        cls.sister_invoice.action_post()

    @classmethod
    def _due(cls, amount, due_date):
        return cls._invoice(amount, due_date - timedelta(days=30), due_date)

    def _overview(self, user=None, company=None):
        Overview = self.env["dunning.overview"]
        if user:
            Overview = Overview.with_user(user)
        if company:
            Overview = Overview.with_company(company)
        return Overview.create({})

    def _bars(self, overview):
        return {
            point["key"]: point["value"] for point in overview.ageing_chart["points"]
        }

    def _opened(self, action):
        return self.env[action["res_model"]].search(action["domain"])

    def test_the_ageing_bars_add_up_to_the_overviews_totals(self):
        overview = self._overview()
        bars = self._bars(overview)
        self.assertEqual(
            bars,
            {
                "0_not_due": 400.0 - 40.0,
                "1_30": 300.0,
                "2_60": 200.0,
                "3_90": 100.0,
                # 120 and 410 days: one bar
                "over_90": 50.0 + 25.0,
            },
        )
        self.assertEqual(overview.open_total, 1035.0)
        self.assertEqual(sum(bars.values()), overview.open_total)
        self.assertEqual(overview.overdue_total, 675.0)
        self.assertEqual(sum(bars.values()) - bars["0_not_due"], overview.overdue_total)
        self.assertEqual(
            [point["label"] for point in overview.ageing_chart["points"]],
            ["Not Due", "1-30 Days", "31-60 Days", "61-90 Days", "Over 90 Days"],
        )

    def test_a_bar_opens_the_ageing_of_that_age(self):
        overview = self._overview()
        opened = {
            key: self._opened(overview.action_open_ageing_bucket(key))
            for key in self._bars(overview)
        }
        self.assertEqual(opened["0_not_due"].move_id, self.not_due | self.credit)
        self.assertEqual(opened["1_30"].move_id, self.late_10)
        self.assertEqual(opened["2_60"].move_id, self.late_45)
        self.assertEqual(opened["3_90"].move_id, self.late_75)
        self.assertEqual(opened["over_90"].move_id, self.late_120 | self.late_410)
        # each list adds up to its bar
        for key, amount in self._bars(overview).items():
            self.assertEqual(sum(opened[key].mapped("amount_residual")), amount, key)
        action = overview.action_open_ageing_bucket("2_60")
        self.assertEqual(action["res_model"], "dunning.ageing.report")
        self.assertEqual(action["views"][0][1], "list")
        self.assertEqual(action["name"], "Receivables Ageing: 31-60 Days")

    def test_an_unknown_age_is_refused(self):
        with self.assertRaisesRegex(UserError, "no age 7_forever"):
            self._overview().action_open_ageing_bucket("7_forever")

    def test_the_dso_line_ends_on_the_overviews_dso(self):
        overview = self._overview()
        points = overview.dso_chart["points"]
        self.assertEqual(
            [point["key"] for point in points],
            [f"2025-{month:02d}-01" for month in range(7, 13)]
            + [f"2026-{month:02d}-01" for month in range(1, 7)],
        )
        self.assertEqual(points[0]["label"], "Jul 2025")
        # June: 1,035 open; June's sales are -40 (its 15 days count whole),
        # May's 700 (31), April's 200 (30), March's 100 (31), February has
        # none (28), then 35 of January's 50 (35 / 50 x 31 = 21.7)
        self.assertAlmostEqual(overview.dso_countback, 156.7, places=6)
        self.assertEqual(points[-1]["value"], overview.dso_countback)
        # May: 1,075 open at its end covers May's 700 (31 days), April's
        # 200 (30), March's 100 (31), February (28, no sales), January's 50
        # (31), eight months without sales (244 days) and April 2025's 25
        # (30): the old invoice of 25 keeps 426 days outstanding
        self.assertAlmostEqual(points[-2]["value"], 426.0, places=6)

    def test_a_month_opens_that_months_figures(self):
        overview = self._overview()
        may = overview.dso_chart["points"][-2]
        action = overview.action_open_dso_month(may["key"])
        self.assertEqual(action["res_model"], "dunning.kpi.report.month")
        self.assertEqual(action["name"], "DSO and CEI: May 2026")
        month = self._opened(action)
        self.assertEqual(len(month), 1)
        self.assertEqual(month.month, date(2026, 5, 1))
        self.assertEqual(month.report_id.company_id, self.env.company)
        self.assertEqual(month.receivables_end, 1075.0)
        self.assertEqual(month.credit_sales, 700.0)
        # the figures show one decimal, as the chart's tooltip
        self.assertAlmostEqual(month.dso_countback, may["value"], delta=0.05)
        # 1,075 / 700 x 31 days
        self.assertAlmostEqual(month.dso_simple, 1075.0 / 700.0 * 31, delta=0.05)

    def test_the_cei_of_last_month_is_the_reports(self):
        # 100 of the invoice due 25 June paid on 28 May, before it was due
        self._pay(self.not_due, date(2026, 5, 28), amount=100.0)
        overview = self._overview()
        # 375 open at the end of April, May's sales 700, 975 open at the end
        # of May, of which 600 not yet due (the 300 due 5 June and what is
        # left of the 400 due 25 June): (375 + 700 - 975) / (375 + 700 - 600)
        self.assertAlmostEqual(overview.cei_last_month, 100 / 475 * 100, delta=0.05)
        may = self._opened(overview.action_open_dso_month("2026-05-01"))
        self.assertEqual(may.current_end, 600.0)
        self.assertAlmostEqual(may.cei, overview.cei_last_month, delta=0.05)

    def test_a_month_the_overview_does_not_show_is_refused(self):
        overview = self._overview()
        for month in ("2025-06-01", "2026-07-01", "2026-05-15", "May"):
            with self.assertRaisesRegex(UserError, f"no month {month}"):
                overview.action_open_dso_month(month)
        # positive control: the first month shown opens
        self.assertTrue(self._opened(overview.action_open_dso_month("2025-07-01")))

    def test_each_company_charts_its_own_receivables(self):
        self.assertEqual(self._bars(self._overview())["2_60"], 200.0)
        sister = self._overview(company=self.sister)
        self.assertEqual(self._bars(sister)["2_60"], 999.0)
        self.assertEqual(sister.open_total, 999.0)
        # the list behind the bar holds the sister's invoice only, although
        # the user works in both companies
        opened = self._opened(
            sister.with_context(
                allowed_company_ids=[self.sister.id, self.env.company.id]
            ).action_open_ageing_bucket("2_60")
        )
        self.assertEqual(opened.move_id, self.sister_invoice)

    def test_a_user_opens_the_charts_of_their_own_company_only(self):
        dutch_user = self._user(
            "femke.nl", self.env.ref("account.group_account_invoice")
        )
        # positive control: their own company's bar and month open
        own = self._overview(user=dutch_user)
        self.assertEqual(self._bars(own)["2_60"], 200.0)
        self.assertTrue(own.action_open_ageing_bucket("2_60")["domain"])
        self.assertTrue(own.action_open_dso_month("2026-05-01")["domain"])
        # the id of an overview of the sister company, made by someone who
        # works there, in a call of the Dutch user
        sister = (
            self.env["dunning.overview"]
            .with_user(dutch_user)
            .browse(self._overview(company=self.sister).id)
        )
        with self.assertRaisesRegex(AccessError, "Zuster"):
            sister.action_open_ageing_bucket("2_60")
        with self.assertRaisesRegex(AccessError, "Zuster"):
            sister.action_open_dso_month("2026-05-01")

    def test_a_user_without_invoicing_rights_gets_no_overview(self):
        employee = self._user("joost.nl", self.env.ref("base.group_user"))
        with self.assertRaises(AccessError):
            self._overview(user=employee)
        # positive control: with invoicing rights the same call works
        employee.groups_id |= self.env.ref("account.group_account_invoice")
        self.assertEqual(self._bars(self._overview(user=employee))["1_30"], 300.0)
