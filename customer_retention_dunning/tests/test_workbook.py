"""The overview's figures and the Excel workbook, opened with openpyxl."""

import base64
import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.tests import tagged

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestOverviewAndWorkbook(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "customer_retention_dunning.group_credit_manager"
        )
        cls.env.company.write(
            {
                "dunning_loss_3m": 13.0,
                "dunning_loss_6m": 36.0,
                "dunning_loss_12m": 57.0,
                "dunning_loss_24m": 91.0,
            }
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.cafe = cls.env["res.partner"].create(
            {"name": "Café Het Hoekje", "is_company": True}
        )
        # 1,000 not yet due; 600 at 45 days (VAR 600 x 6.5% = 39.00);
        # 400 at 120 days (VAR 400 x 20.6667% = 82.67)
        cls.not_due = cls._due(1000.0, -10, cls.customer)
        cls.overdue = cls._due(600.0, 45, cls.customer)
        cls.old = cls._due(400.0, 120, cls.cafe)
        (cls.customer | cls.cafe).write({"dunning_collector_id": cls.env.uid})
        (cls.customer | cls.cafe)._update_payment_score()

    @classmethod
    def _due(cls, amount, days_overdue, partner):
        due = cls.today - timedelta(days=days_overdue)
        return cls._invoice(amount, due - timedelta(days=30), due, partner=partner)

    def _workbook(self, **kwargs):
        action = self.env["dunning.workbook"].action_download(**kwargs)
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertTrue(attachment.name.endswith(".xlsx"))
        content = base64.b64decode(attachment.datas)
        return (
            openpyxl.load_workbook(io.BytesIO(content)),
            openpyxl.load_workbook(io.BytesIO(content), data_only=True),
        )

    def test_the_overview_headlines(self):
        overview = self.env["dunning.overview"].create({})
        self.assertRecordValues(
            overview,
            [
                {
                    "open_total": 2000.0,
                    "overdue_total": 1000.0,
                    "value_at_risk_total": 39.0 + 82.67,
                    "plans_to_approve_count": 0,
                    "credit_hold_count": 0,
                }
            ],
        )
        self.assertGreater(overview.dso_countback, 0.0)
        # every figure opens its list
        self.assertEqual(
            overview.action_open_overdue()["res_model"], "dunning.ageing.report"
        )
        self.assertEqual(
            overview.action_open_plans_to_approve()["res_model"], "payment.plan"
        )
        self.assertEqual(overview.action_open_kpi()["res_model"], "dunning.kpi.report")
        self.assertEqual(overview.action_open_work_list()["res_model"], "res.partner")
        promises = overview.action_open_promises_due()
        self.assertIn(("state", "=", "open"), promises["domain"])

    def test_the_whole_workbook_with_its_sheets_totals_and_charts(self):
        formulas, values = self._workbook()
        self.assertEqual(
            values.sheetnames,
            ["Overview", "Ageing", "DSO and CEI", "Effectiveness", "Work List"],
        )
        ageing = values["Ageing"]
        self.assertEqual(ageing["A1"].value, "Customer")
        self.assertEqual(ageing.freeze_panes, "A2")
        self.assertTrue(ageing.auto_filter.ref)
        rows = list(ageing.iter_rows(min_row=2, values_only=True))
        data, total = rows[:-1], rows[-1]
        self.assertEqual(len(data), 3)
        by_entry = {row[1]: row for row in data}
        old = by_entry[self.old.name]
        self.assertEqual(old[0], "Café Het Hoekje")
        self.assertEqual(old[2].date(), self.old.invoice_date_due)
        self.assertEqual(old[3], 120)
        self.assertEqual(old[4], "91-180 Days")
        # Not Due, 1-30, 31-60, 61-90, 91-180, 181-365, Over 365, Open, VAR
        self.assertEqual(list(old[5:14]), [0, 0, 0, 0, 400, 0, 0, 400, 82.67])
        self.assertEqual(total[0], "Total")
        self.assertEqual(total[12], 2000.0)
        self.assertAlmostEqual(total[13], 121.67, 2)
        formula = formulas["Ageing"].cell(row=5, column=13).value
        self.assertEqual(formula, "=SUBTOTAL(109,M2:M4)")
        # the number and date formats
        self.assertEqual(formulas["Ageing"]["M2"].number_format, "#,##0.00")
        self.assertIn("yy", formulas["Ageing"]["C2"].number_format)
        # native charts: ageing by bucket, DSO trend, effectiveness per level
        self.assertEqual(len(formulas["Overview"]._charts), 1)
        self.assertEqual(len(formulas["DSO and CEI"]._charts), 1)
        overview = {
            row[0]: row[1]
            for row in values["Overview"].iter_rows(
                min_row=4, max_col=2, values_only=True
            )
            if row[0]
        }
        self.assertEqual(overview["Overdue"], 1000.0)
        self.assertEqual(overview["91-180 Days"], 400.0)
        trend = list(values["DSO and CEI"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(trend), 13)  # twelve months and the period
        self.assertEqual(trend[-1][0], "Period")
        work = list(values["Work List"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            [row[0] for row in work[:-1]], ["Bakkerij De Korenbloem", "Café Het Hoekje"]
        )

    def test_a_sheet_of_the_selected_rows_only(self):
        selected = self.env["dunning.ageing.report"].search(
            [("move_id", "=", self.old.id)]
        )
        _formulas, values = self._workbook(sheets=("ageing",), ids=selected.ids)
        self.assertEqual(values.sheetnames, ["Ageing"])
        rows = list(values["Ageing"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([row[1] for row in rows], [self.old.name, None])

    def test_reminder_effectiveness_sheet_has_the_share_of_the_money(self):
        self.customer.email = "administratie@korenbloem.example.nl"
        self.env.company.dunning_minimum_amount = 10.0
        self.env["dunning.escalation"].sudo()._cron_escalate()
        reminder = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertTrue(reminder)
        self._pay(self.overdue, fields.Date.context_today(self.env.user), amount=300.0)
        formulas, values = self._workbook(sheets=("effectiveness",))
        sheet = values["Effectiveness"]
        self.assertEqual(sheet["A1"].value, "Level")
        detail = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
        self.assertEqual(detail[0], reminder.level_id.display_name)
        self.assertEqual(detail[3], 1)
        self.assertEqual(detail[4], reminder.amount)
        self.assertAlmostEqual(detail[10], 300.0 / reminder.amount, 4)
        self.assertEqual(len(formulas["Effectiveness"]._charts), 1)

    def test_the_workbook_speaks_the_users_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env = self.env(context=dict(self.env.context, lang="nl_NL"))
        formulas, values = self._workbook()
        self.assertEqual(
            values.sheetnames,
            ["Overzicht", "Ouderdom", "DSO en CEI", "Effectiviteit", "Werklijst"],
        )
        self.assertEqual(values["Ouderdom"]["A1"].value, "Klant")
        # the Dutch date format
        self.assertEqual(formulas["Ouderdom"]["C2"].number_format, "dd-mm-yyyy")
