"""The thank-you after a late payment, as the customer receives it."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DunningTestCommon
from .test_letter import _speak_dutch

TODAY = date(2026, 6, 30)
THANKS = "customer_retention_dunning.mail_template_thank_late_payment"
DUTCH_BODY = "We hebben uw betaling ontvangen"


@tagged("post_install", "-at_install")
class TestThankYouAfterLatePayment(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        # a friendly step on the due date, a firm one ten days later
        cls.ladder = cls.env["dunning.profile"].create(
            {
                "name": "Aftercare ladder",
                "level_ids": [
                    Command.create(
                        {
                            "sequence": 10,
                            "name": "Friendly reminder",
                            "days_after_due": 1,
                            "min_interval_days": 1,
                            "tone": "friendly",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 20,
                            "name": "Firm reminder",
                            "days_after_due": 10,
                            "min_interval_days": 5,
                            "tone": "firm",
                        }
                    ),
                ],
            }
        )
        cls.customer.dunning_profile_id = cls.ladder

    @classmethod
    def _other_customer(cls, name):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.split()[0].lower()}@example.nl",
            }
        )
        partner.dunning_profile_id = cls.ladder
        return partner

    def _night(self, day):
        """The ladder's night as the scheduler runs it, then the outbox."""
        with freeze_time(day):
            self.env["dunning.escalation"].sudo()._cron_escalate()
            self._deliver_outbox()

    def _aftercare(self, day):
        with freeze_time(day):
            return self.env["dunning.communication"].sudo()._cron_thank_late_payers()

    def _thanks(self, partner):
        return self.env["dunning.communication"].search(
            [("partner_id", "=", partner.id), ("trigger", "=", "aftercare")]
        )

    def _firm_reminder_then_paid(self, partner, paid_on=TODAY + timedelta(days=12)):
        """An invoice due yesterday: friendly today, firm in ten days, paid
        in full two days after that."""
        invoice = self._invoice(
            800, TODAY - timedelta(days=31), TODAY - timedelta(days=1), partner=partner
        )
        self._night(TODAY)
        self._night(TODAY + timedelta(days=10))
        self.assertEqual(
            self.env["dunning.communication"]
            .search([("partner_id", "=", partner.id), ("state", "=", "sent")])
            .mapped("tone"),
            ["firm", "friendly"],
        )
        if paid_on:
            self._pay(invoice, paid_on)
        return invoice

    # ------------------------------------------------------------
    # WHEN
    # ------------------------------------------------------------

    def test_paying_after_a_firm_reminder_is_thanked_once(self):
        invoice = self._firm_reminder_then_paid(self.customer)
        made = self._aftercare(TODAY + timedelta(days=12))
        self.assertEqual(made, self._thanks(self.customer))
        self.assertRecordValues(
            made,
            [
                {
                    "channel": "email",
                    "trigger": "aftercare",
                    "state": "queued",
                    "date": TODAY + timedelta(days=12),
                    "recipient_id": self.customer.id,
                    "mail_template_id": self.env.ref(THANKS).id,
                }
            ],
        )
        self.assertEqual(made.move_ids, invoice)
        # the cron twice the same night, and the nights after: once per episode
        self.assertFalse(self._aftercare(TODAY + timedelta(days=12)))
        self.assertFalse(self._aftercare(TODAY + timedelta(days=13)))
        self.assertFalse(self._aftercare(TODAY + timedelta(days=40)))
        self.assertEqual(len(self._thanks(self.customer)), 1)

    def test_a_new_episode_of_firm_reminders_is_thanked_again(self):
        self._firm_reminder_then_paid(self.customer)
        self.assertEqual(len(self._aftercare(TODAY + timedelta(days=12))), 1)
        # a month later: a new invoice, late again, firmly reminded, paid
        start = TODAY + timedelta(days=30)
        later = self._invoice(
            800, start - timedelta(days=31), start - timedelta(days=1)
        )
        self.assertFalse(self._aftercare(start), "nothing firm in this episode yet")
        self._night(start)
        self._night(start + timedelta(days=10))
        self.assertFalse(self._aftercare(start + timedelta(days=11)), "not paid yet")
        self._pay(later, start + timedelta(days=12))
        second = self._aftercare(start + timedelta(days=12))
        self.assertEqual(second.move_ids, later)
        self.assertEqual(len(self._thanks(self.customer)), 2)

    def test_only_a_firm_reminder_earns_a_thank_you(self):
        # reminded kindly only, paid before the firm step: nothing to thank
        # for; the customer beside it was reminded firmly and is thanked
        friendly = self._other_customer("Friendly Tuinen")
        kindly_reminded = self._invoice(
            500, TODAY - timedelta(days=31), TODAY - timedelta(days=1), partner=friendly
        )
        firmly_reminded = self._invoice(
            800, TODAY - timedelta(days=31), TODAY - timedelta(days=1)
        )
        self._night(TODAY)
        self._pay(kindly_reminded, TODAY + timedelta(days=3))
        self._night(TODAY + timedelta(days=10))
        self._pay(firmly_reminded, TODAY + timedelta(days=12))
        sent = self.env["dunning.communication"].search([("state", "=", "sent")])
        self.assertEqual(
            sent.filtered(lambda c: c.partner_id == friendly).mapped("tone"),
            ["friendly"],
        )
        self.assertEqual(
            sent.filtered(lambda c: c.partner_id == self.customer).mapped("tone"),
            ["firm", "friendly"],
        )
        made = self._aftercare(TODAY + timedelta(days=12))
        self.assertEqual(made.partner_id, self.customer)
        self.assertFalse(self._thanks(friendly))

    def test_nothing_while_something_is_still_overdue(self):
        invoice = self._firm_reminder_then_paid(self.customer, paid_on=None)
        self._pay(invoice, TODAY + timedelta(days=12), amount=500)
        self.assertFalse(self._aftercare(TODAY + timedelta(days=12)))
        self._pay(invoice, TODAY + timedelta(days=14), amount=300)
        self.assertEqual(len(self._aftercare(TODAY + timedelta(days=14))), 1)

    def test_a_customer_excluded_from_dunning_is_not_thanked(self):
        excluded = self._other_customer("Uitgesloten Bouw")
        self._firm_reminder_then_paid(excluded, paid_on=None)
        self._pay(excluded.invoice_ids, TODAY + timedelta(days=12))
        self._firm_reminder_then_paid(self.customer, paid_on=None)
        self._pay(self.customer.invoice_ids, TODAY + timedelta(days=12))
        excluded.dunning_excluded = True
        made = self._aftercare(TODAY + timedelta(days=12))
        self.assertEqual(made.partner_id, self.customer)
        self.assertFalse(self._thanks(excluded))

    def test_a_profile_that_does_not_thank_sends_nothing(self):
        self._firm_reminder_then_paid(self.customer)
        self.ladder.thank_after_payment = False
        self.assertFalse(self._aftercare(TODAY + timedelta(days=12)))
        self.ladder.thank_after_payment = True
        self.assertEqual(len(self._aftercare(TODAY + timedelta(days=13))), 1)

    def test_a_payment_older_than_a_month_is_not_thanked_any_more(self):
        # the first night after going live does not thank for old payments
        self._firm_reminder_then_paid(self.customer)
        paid_on = TODAY + timedelta(days=12)
        self.assertFalse(self._aftercare(paid_on + timedelta(days=31)))
        self.assertEqual(len(self._aftercare(paid_on + timedelta(days=30))), 1)

    def test_one_customer_failing_does_not_stop_the_others(self):
        other = self._other_customer("Tweede Klant")
        self._firm_reminder_then_paid(other, paid_on=None)
        self._pay(other.invoice_ids, TODAY + timedelta(days=12))
        self._firm_reminder_then_paid(self.customer, paid_on=None)
        self._pay(self.customer.invoice_ids, TODAY + timedelta(days=12))
        Communication = type(self.env["dunning.communication"])
        original = Communication._thank_late_payer

        def broken(model, partner, company, today):
            if partner == self.customer:
                raise ValueError("the customer's record is broken")
            return original(model, partner, company, today)

        with (
            patch.object(Communication, "_thank_late_payer", broken),
            mute_logger("odoo.addons.customer_retention_dunning.models.cron_batches"),
        ):
            made = self._aftercare(TODAY + timedelta(days=12))
        self.assertEqual(made.partner_id, other)
        self.assertIn("record is broken", self.customer.message_ids[0].body)
        # the next night it is thanked
        self.assertEqual(
            self._aftercare(TODAY + timedelta(days=13)).partner_id, self.customer
        )

    # ------------------------------------------------------------
    # WHAT
    # ------------------------------------------------------------

    def test_the_thank_you_reads_as_a_thank_you_in_english(self):
        self._firm_reminder_then_paid(self.customer)
        made = self._aftercare(TODAY + timedelta(days=12))
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", made.mail_message_id.id)]
        )
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(
            mail.subject, f"{self.env.company.name}: thank you for your payment"
        )
        self.assertIn("Dear Bakkerij De Korenbloem", mail.body_html)
        self.assertIn("We have received your payment", mail.body_html)
        # the customer's own layout, headed as what it is: not a reminder
        self.assertNotIn("Payment reminder", mail.body_html)
        self.assertNotIn("Overdue", mail.body_html)
        with freeze_time(TODAY + timedelta(days=12)):
            self._deliver_outbox()
        self.assertEqual(made.state, "sent")

    def test_the_thank_you_speaks_dutch_to_a_dutch_customer(self):
        _speak_dutch(self.env, self.customer)
        self._firm_reminder_then_paid(self.customer)
        made = self._aftercare(TODAY + timedelta(days=12))
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", made.mail_message_id.id)]
        )
        self.assertIn("bedankt voor uw betaling", mail.subject)
        self.assertIn(DUTCH_BODY, mail.body_html)
        self.assertNotIn("We have received your payment", mail.body_html)

    def test_the_thank_you_shows_in_the_effectiveness_report(self):
        self._firm_reminder_then_paid(self.customer)
        made = self._aftercare(TODAY + timedelta(days=12))
        with freeze_time(TODAY + timedelta(days=12)):
            self._deliver_outbox()
        self.env.flush_all()
        rows = self.env["dunning.effectiveness.report"].search(
            [("partner_id", "=", self.customer.id)], order="id"
        )
        self.assertEqual(
            rows.mapped(lambda row: (row.trigger, row.tone, row.state)),
            [
                ("cron", "friendly", "sent"),
                ("cron", "firm", "sent"),
                ("aftercare", False, "sent"),
            ],
        )
        self.assertEqual(rows[-1].communication_id, made)
        label = dict(rows._fields["trigger"]._description_selection(self.env))[
            "aftercare"
        ]
        self.assertEqual(label, "Thank-you after payment")
