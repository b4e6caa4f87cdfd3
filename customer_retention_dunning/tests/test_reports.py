"""The ageing and the reminder effectiveness, checked against a small book
whose figures are worked out by hand."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import Form, tagged

from ..tools.value_at_risk import value_at_risk
from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestAgeing(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "dunning_loss_3m": 13.0,
                "dunning_loss_6m": 36.0,
                "dunning_loss_12m": 57.0,
                "dunning_loss_24m": 91.0,
            }
        )
        # the user's today, as the report counts
        cls.today = fields.Date.context_today(cls.env["res.partner"])

    def _due(self, amount, days_overdue, partner=None):
        due = self.today - timedelta(days=days_overdue)
        return self._invoice(amount, due - timedelta(days=30), due, partner=partner)

    def _rows(self, moves):
        return self.env["dunning.ageing.report"].search([("move_id", "in", moves.ids)])

    def test_each_open_item_lands_in_its_bucket_with_its_value_at_risk(self):
        cases = [
            # (amount, days overdue, bucket, value at risk worked out by hand)
            (1000.0, -10, "0_not_due", 0.0),
            (500.0, 1, "1_30", 0.72),  # 500 x 13% x 1/90 = 0.7222
            (500.0, 30, "1_30", 21.67),  # 500 x 13% x 30/90 = 21.6667
            (800.0, 31, "2_60", 35.82),  # 800 x 13% x 31/90 = 35.8222
            (400.0, 90, "3_90", 52.0),  # 400 x 13% = 52
            # 300 x (13 + 23 x 30/90)% = 300 x 20.6667% = 62.00
            (300.0, 120, "4_180", 62.0),
            # 250 x (36 + 21 x 20/185)% = 250 x 38.2703% = 95.68
            (250.0, 200, "5_365", 95.68),
            # 200 x (57 + 34 x 35/365)% = 200 x 60.2603% = 120.52
            (200.0, 400, "6_older", 120.52),
            # beyond the last point the loss stays at 91%
            (100.0, 900, "6_older", 91.0),
        ]
        moves = self.env["account.move"]
        for amount, days, bucket, risk in cases:
            move = self._due(amount, days)
            moves |= move
            with self.subTest(days=days):
                row = self._rows(move)
                self.assertRecordValues(
                    row,
                    [
                        {
                            "partner_id": self.customer.id,
                            "bucket": bucket,
                            "days_overdue": max(days, 0),
                            "amount_residual": amount,
                            "value_at_risk": risk,
                            "amount_recoverable": amount - risk,
                        }
                    ],
                )
                # the same figure as the invoice's own and the Python rule's
                with freeze_time(self.today):
                    move.invalidate_recordset(["value_at_risk"])
                    self.assertEqual(move.value_at_risk, risk)
                self.assertEqual(
                    value_at_risk(amount, max(days, 0)), risk, "the shipped curve"
                )
        totals = {
            group["bucket"]: group["amount_residual"]
            for group in self.env["dunning.ageing.report"].read_group(
                [("move_id", "in", moves.ids)], ["amount_residual:sum"], ["bucket"]
            )
        }
        self.assertEqual(
            totals,
            {
                "0_not_due": 1000.0,
                "1_30": 1000.0,
                "2_60": 800.0,
                "3_90": 400.0,
                "4_180": 300.0,
                "5_365": 250.0,
                "6_older": 300.0,
            },
        )

    def test_partial_payments_credit_notes_and_paid_invoices(self):
        partly = self._due(1000.0, 60)
        self._pay(partly, self.today - timedelta(days=1), amount=400.0)
        paid = self._due(700.0, 10)
        self._pay(paid, self.today)
        credit = self._invoice(
            150.0,
            self.today - timedelta(days=5),
            self.today - timedelta(days=5),
            move_type="out_refund",
        )
        rows = self._rows(partly | paid | credit)
        self.assertEqual(rows.move_id, partly | credit)
        partly_row = rows.filtered(lambda row: row.move_id == partly)
        # 600 open x 13% x 60/90 = 52.00; the bucket columns add up per row
        self.assertRecordValues(
            partly_row,
            [
                {
                    "amount_residual": 600.0,
                    "amount_31_60": 600.0,
                    "amount_1_30": 0.0,
                    "value_at_risk": 52.0,
                }
            ],
        )
        credit_row = rows - partly_row
        self.assertRecordValues(
            credit_row,
            [
                {
                    "move_type": "out_refund",
                    "amount_residual": -150.0,
                    "amount_1_30": -150.0,
                    "value_at_risk": 0.0,
                }
            ],
        )

    def test_a_foreign_currency_invoice_counts_in_company_currency(self):
        other = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        due = self.today - timedelta(days=10)
        invoice = self._invoice(500.0, due - timedelta(days=30), due, currency=other)
        row = self._rows(invoice)
        # 500 in the invoice's currency at 2 per company unit: 250
        self.assertRecordValues(
            row,
            [
                {
                    "invoice_currency_id": other.id,
                    "amount_residual_currency": 500.0,
                    "currency_id": self.env.company.currency_id.id,
                    "amount_residual": 250.0,
                    "amount_1_30": 250.0,
                }
            ],
        )

    def test_grouped_by_collector_band_and_profile(self):
        collector = self.env.ref("base.user_admin")
        other = self.env["res.partner"].create({"name": "Café Het Hoekje"})
        self.customer.dunning_collector_id = collector
        self._due(100.0, 40)
        self._due(60.0, 5, partner=other)
        groups = self.env["dunning.ageing.report"].read_group(
            [("partner_id", "in", (self.customer | other).ids)],
            ["amount_residual:sum"],
            ["collector_id"],
        )
        by_collector = {
            group["collector_id"] and group["collector_id"][0]: group["amount_residual"]
            for group in groups
        }
        self.assertEqual(by_collector, {collector.id: 100.0, False: 60.0})
        profile = self.env["dunning.ageing.report"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(profile.dunning_profile_id, self.customer.dunning_profile_id)
        self.assertEqual(profile.payment_score_band, self.customer.payment_score_band)


@tagged("post_install", "-at_install")
class TestReminderEffectiveness(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.env.company.dunning_minimum_amount = 10.0
        cls.late = cls.env["res.partner"].create(
            {"name": "Café Het Hoekje", "email": "hoekje@example.nl"}
        )

    def test_what_was_paid_within_7_14_and_30_days_of_each_reminder(self):
        run_day = date(2026, 3, 10)
        paid_in_parts = self._invoice(1000.0, date(2026, 1, 20), date(2026, 2, 19))
        never_paid = self._invoice(
            400.0, date(2026, 1, 20), date(2026, 2, 19), partner=self.late
        )
        with freeze_time(run_day):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        reminders = self.env["dunning.communication"].search(
            [("partner_id", "in", (self.customer | self.late).ids)]
        )
        self.assertEqual(len(reminders), 2)
        # 300 after 5 days, 200 after 12, 500 after 25
        self._pay(paid_in_parts, run_day + timedelta(days=5), amount=300.0)
        self._pay(paid_in_parts, run_day + timedelta(days=12), amount=200.0)
        self._pay(paid_in_parts, run_day + timedelta(days=25), amount=500.0)
        # paid before the reminder: not the reminder's doing
        self.assertTrue(never_paid.amount_residual)
        report = self.env["dunning.effectiveness.report"]
        row = report.search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            row,
            [
                {
                    "communication_id": reminders.filtered(
                        lambda r: r.partner_id == self.customer
                    ).id,
                    "amount": 1000.0,
                    "amount_paid_7": 300.0,
                    "amount_paid_14": 500.0,
                    "amount_paid_30": 1000.0,
                    "share_paid_7": 30.0,
                    "share_paid_14": 50.0,
                    "share_paid_30": 100.0,
                }
            ],
        )
        level = row.level_id
        group = report.read_group(
            [("partner_id", "in", (self.customer | self.late).ids)],
            [
                "reminder_count:sum",
                "amount:sum",
                "amount_paid_30:sum",
                "share_paid_30:avg",
            ],
            ["level_id", "channel"],
            lazy=False,
        )
        self.assertEqual(len(group), 1)
        self.assertEqual(group[0]["level_id"][0], level.id)
        self.assertEqual(group[0]["reminder_count"], 2)
        self.assertEqual(group[0]["amount"], 1400.0)
        self.assertEqual(group[0]["amount_paid_30"], 1000.0)
        self.assertEqual(group[0]["share_paid_30"], 50.0)

    def test_payments_before_the_reminder_do_not_count(self):
        invoice = self._invoice(600.0, date(2026, 1, 20), date(2026, 2, 19))
        self._pay(invoice, date(2026, 3, 1), amount=100.0)
        with freeze_time(date(2026, 3, 10)):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        self._pay(invoice, date(2026, 3, 12), amount=100.0)
        row = self.env["dunning.effectiveness.report"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(row.amount, 500.0)
        self.assertEqual(row.amount_paid_7, 100.0)
        self.assertEqual(row.amount_paid_30, 100.0)


@tagged("post_install", "-at_install")
class TestOutcomes(DunningTestCommon):
    def _promise(self, invoice, promised):
        action = invoice.action_record_promise()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.date = promised
        return form.save()

    def _rows(self):
        return self.env["dunning.outcome.report"].search(
            [("partner_id", "=", self.customer.id)]
        )

    def test_promises_kept_and_broken_and_discounts_taken(self):
        today = date.today()
        first = self._invoice(
            300.0, today - timedelta(days=60), today - timedelta(days=30)
        )
        second = self._invoice(
            200.0, today - timedelta(days=50), today - timedelta(days=20)
        )
        self._promise(first, today + timedelta(days=3)).sudo().state = "kept"
        self._promise(second, today + timedelta(days=5)).sudo().state = "broken"
        # 2% within 10 days, net 30; paid on day 5
        reward = self.env.ref("customer_retention_dunning.payment_term_reward")
        discounted = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": today - timedelta(days=5),
                "invoice_payment_term_id": reward.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Bread flour",
                            "quantity": 1,
                            "price_unit": 1000.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        discounted.action_post()
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=discounted.ids)
            .create({"payment_date": today})
        )
        self.assertEqual(wizard.amount, 980.0)
        wizard._create_payments()
        rows = self._rows()
        summary = sorted((row.kind, row.outcome, row.amount) for row in rows)
        self.assertEqual(
            summary,
            [
                ("discount", "granted", 20.0),
                ("promise", "broken", 200.0),
                ("promise", "kept", 300.0),
            ],
        )
        discount = rows.filtered(lambda row: row.kind == "discount")
        # due 30 days after the invoice date, paid 5 days after it
        self.assertEqual(discount.days_sooner, 25.0)
        self.assertEqual(discount.date, today)

    def test_a_discount_not_taken_is_not_counted(self):
        today = date.today()
        reward = self.env.ref("customer_retention_dunning.payment_term_reward")
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": today - timedelta(days=20),
                "invoice_payment_term_id": reward.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Rye",
                            "price_unit": 500.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self._pay(invoice, today)
        self.assertFalse(self._rows())
