"""Good payers are rewarded with Odoo's own early-payment discount."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestRewards(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reward = cls.env.ref("customer_retention_dunning.payment_term_reward")
        cls.env.company.write(
            {
                "dunning_payment_term_excellent_id": cls.reward.id,
                "dunning_payment_term_watch_id": False,
                "dunning_payment_term_none_id": False,
            }
        )
        with freeze_time(TODAY):
            for days_ago in (150, 120, 90, 60):
                cls._paid_invoice(1000, TODAY - timedelta(days=days_ago), -2)
            cls.customer._update_payment_score()

    def _new_invoice(self, partner=None):
        with freeze_time(TODAY):
            form = Form(
                self.env["account.move"].with_context(default_move_type="out_invoice")
            )
            form.partner_id = partner or self.customer
            form.invoice_date = TODAY
            with form.invoice_line_ids.new() as line:
                line.name = "Bread flour"
                line.quantity = 1
                line.price_unit = 1000
                line.tax_ids.clear()
            return form.save()

    def test_the_shipped_term_rewards_the_best_band_from_install(self):
        company = self.env["res.company"].search([], order="id", limit=1)
        self.assertEqual(company.dunning_payment_term_excellent_id, self.reward)
        self.assertTrue(self.reward.early_discount)
        self.assertEqual(
            (self.reward.discount_percentage, self.reward.discount_days), (2.0, 10)
        )

    def test_the_best_payers_get_the_early_discount_term(self):
        self.assertEqual(self.customer.payment_score_band, "excellent")
        invoice = self._new_invoice()
        self.assertEqual(invoice.invoice_payment_term_id, self.reward)
        with freeze_time(TODAY):
            invoice.action_post()
        self.assertEqual(invoice.invoice_date_due, TODAY + timedelta(days=30))
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.discount_date, TODAY + timedelta(days=10))
        self.assertEqual(receivable.discount_amount_currency, 980.0)

    def test_the_customers_own_term_and_the_users_choice_win(self):
        own = self.env.ref("account.account_payment_term_15days")
        self.customer.property_payment_term_id = own
        self.assertEqual(self._new_invoice().invoice_payment_term_id, own)
        self.customer.property_payment_term_id = False
        chosen = self.env.ref("account.account_payment_term_45days")
        with freeze_time(TODAY):
            invoice = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": TODAY,
                    "invoice_payment_term_id": chosen.id,
                }
            )
        self.assertEqual(invoice.invoice_payment_term_id, chosen)

    def test_leaving_the_band_gives_the_normal_term_again(self):
        self.customer.sudo().payment_score_band = "watch"
        self.assertFalse(self._new_invoice().invoice_payment_term_id)

    def test_paying_within_the_discount_period_takes_the_discount_natively(self):
        invoice = self._new_invoice()
        invoice.action_post()
        with freeze_time(TODAY + timedelta(days=5)):
            wizard = (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"payment_date": TODAY + timedelta(days=5)})
            )
            # Odoo proposes the discounted amount: 2% off 1,000
            self.assertEqual(wizard.amount, 980.0)
            wizard._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0.0)

    def test_after_the_discount_period_the_full_amount_is_due(self):
        invoice = self._new_invoice()
        invoice.action_post()
        with freeze_time(TODAY + timedelta(days=20)):
            wizard = (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"payment_date": TODAY + timedelta(days=20)})
            )
            self.assertEqual(wizard.amount, 1000.0)

    def test_the_proactive_reminder_states_the_discount_and_its_last_day(self):
        self.customer.write({"email": "inkoop@korenbloem.example.nl"})
        profile = self.env.ref("customer_retention_dunning.dunning_profile_standard")
        self.customer.dunning_profile_id = profile
        # a heads-up 25 days before the due date, within the discount period
        profile.level_ids.sorted("sequence")[0].sudo().days_after_due = -25
        invoice = self._new_invoice()
        with freeze_time(TODAY):
            invoice.action_post()
        with freeze_time(TODAY + timedelta(days=6)):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        communication = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertRecordValues(
            communication.line_ids,
            [{"discount_date": TODAY + timedelta(days=10), "discount_amount": 980.0}],
        )
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", communication.mail_message_id.id)]
        )
        self.assertIn("Pay early and save", mail.body_html)
        self.assertIn("980.00", mail.body_html)
        self.assertIn("07/10/2026", mail.body_html)

    def test_entering_the_best_band_is_announced_once_when_asked(self):
        self.customer.write({"email": "inkoop@korenbloem.example.nl"})
        Mail = self.env["mail.mail"]
        domain = [("model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        # off by default
        self.customer.sudo().payment_score_band = "good"
        with freeze_time(TODAY):
            self.customer._update_payment_score()
        self.assertFalse(Mail.search(domain))
        self.env.company.dunning_reward_message = True
        self.customer.sudo().payment_score_band = "good"
        with freeze_time(TODAY):
            self.customer._update_payment_score()
        mail = Mail.search(domain)
        self.assertEqual(len(mail), 1)
        self.assertIn("thank you for paying on time", mail.subject)
        self.assertIn(self.reward.name, mail.body_html)
        # staying in the band sends nothing more
        with freeze_time(TODAY):
            self.customer._update_payment_score()
        self.assertEqual(len(Mail.search(domain)), 1)
