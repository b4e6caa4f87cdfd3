"""A reminder reads what really became of it, and what it sets off waits.

Every test plays the night and then what happens after it, as it happens in
a real Odoo: the mail queue sends (or the mail server refuses), the SMS
gateway answers, a collector makes the call, someone posts the letter. The
faults are injected where they happen in real life: the mail server's
connection, the template, the gateway, the PDF printer.
"""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.modules import module
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DunningTestCommon
from .euro_company import EuroCompanyMixin

# a Wednesday; the invoices fell due on 1 June: 30 days overdue, so the
# standard ladder's next step is its friendly reminder (7 days after due)
TODAY = date(2026, 7, 1)
DUE = date(2026, 6, 1)
QUIET = (
    "odoo.addons.mail.models.mail_mail",
    "odoo.addons.customer_retention_dunning.models.dunning_communication",
    "odoo.addons.customer_retention_dunning.models.dunning_communication_delivery",
    "odoo.addons.customer_retention_dunning.models.cron_batches",
)


class DeliveryCase(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Kaasboerderij Het Zuiden",
                "is_company": True,
                "email": "boekhouding@hetzuiden.example.nl",
                "street": "Dorpsweg 4",
                "zip": "5211 AB",
                "city": "Den Bosch",
                "country_id": cls.env.ref("base.nl").id,
            }
        )
        cls.levels = cls.env.ref(
            "customer_retention_dunning.dunning_profile_standard"
        ).level_ids.sorted("sequence")
        cls.friendly = cls.levels[1]
        cls.collector = cls._user(
            "sanne.delivery",
            cls.env.ref("customer_retention_dunning.group_collector"),
        )
        cls.seller = cls._user("piet.verkoop", cls.env.ref("base.group_user"))

    def _overdue(self, amount=800.0, partner=None):
        return self._invoice(amount, DUE - timedelta(days=30), DUE, partner=partner)

    def _night(self, day):
        with freeze_time(day):
            return self.env["dunning.escalation"].sudo()._cron_escalate()

    def _reminders(self, partner=None):
        return self.env["dunning.communication"].search(
            [("partner_id", "=", (partner or self.customer).id)], order="id"
        )

    def _mail_queue(self, day, refuse=None):
        """Odoo's mail cron on ``day``: the server takes the queued e-mails
        (Odoo's test mode: it accepts without sending), or, with ``refuse``,
        the connection to it fails with that error."""
        mails = self.env["mail.mail"].sudo().search([("state", "=", "outgoing")])
        with freeze_time(day), patch.object(module, "current_test", True):
            if refuse is None:
                mails.send()
                return
            server = type(self.env["ir.mail_server"])
            with (
                patch.object(server, "connect", side_effect=refuse),
                mute_logger(*QUIET),
            ):
                mails.send()


@tagged("post_install", "-at_install")
class TestDeliveryStates(DeliveryCase):
    def test_an_email_refused_by_the_mail_server_fails_and_nothing_moves(self):
        invoice = self._overdue()
        other_invoice = self._overdue(partner=self.other)
        self._night(TODAY)
        reminder, other_reminder = self._reminders(), self._reminders(self.other)
        self.assertEqual((reminder | other_reminder).mapped("state"), ["queued"] * 2)
        # the other customer's e-mail goes first, then the server goes down
        other_mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", other_reminder.mail_message_id.id)]
        )
        with freeze_time(TODAY), patch.object(module, "current_test", True):
            other_mail.send()
        self._mail_queue(TODAY, refuse=ConnectionRefusedError(111, "refused"))
        self.assertRecordValues(
            reminder,
            [{"state": "failed", "needs_retry": True, "sent_date": False}],
        )
        self.assertIn("Connection failed", reminder.failure_reason)
        # the step, the date and the next reminder wait for a reminder that
        # really went out
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(invoice.dunning_last_date)
        self.assertIn(
            "did not reach the customer",
            " ".join(self.customer.message_ids.mapped("body")),
        )
        # positive control: the e-mail that left counts
        self.assertRecordValues(other_reminder, [{"state": "sent", "sent_date": TODAY}])
        self.assertEqual(other_invoice.dunning_level_id, self.friendly)
        self.assertEqual(other_invoice.dunning_last_date, TODAY)

    def test_the_next_night_tries_a_failed_email_again_by_letter(self):
        invoice = self._overdue()
        self._night(TODAY)
        first = self._reminders()
        self.assertEqual(self.customer.dunning_waiting_count, 1)
        self._mail_queue(TODAY, refuse=ConnectionRefusedError(111, "refused"))
        self.assertEqual(first.state, "failed")
        # the customer screen says so
        self.customer.invalidate_recordset(["dunning_failed_count"])
        self.assertEqual(self.customer.dunning_failed_count, 1)
        self.assertEqual(self.customer.dunning_waiting_count, 0)
        tomorrow = TODAY + timedelta(days=1)
        self._night(tomorrow)
        self.customer.invalidate_recordset(["dunning_failed_count"])
        self.assertEqual(self.customer.dunning_failed_count, 0)
        self.assertEqual(self.customer.dunning_waiting_count, 1)
        retry = self._reminders() - first
        self.assertRecordValues(
            retry,
            [
                {
                    "channel": "letter",
                    "state": "queued",
                    "attempt": 2,
                    "retry_of_id": first.id,
                    "level_id": self.friendly.id,
                    "date": tomorrow,
                    "amount": 800.0,
                }
            ],
        )
        self.assertTrue(retry.attachment_id, "the letter is printed the same night")
        self.assertEqual(retry.line_ids.move_id, invoice)
        self.assertEqual(first.retry_ids, retry)
        self.assertFalse(first.needs_retry)
        # a third night makes no second retry and no new reminder: the
        # invoice waits for the letter
        self._night(tomorrow + timedelta(days=1))
        self.assertEqual(self._reminders(), first | retry)
        # the letter is posted: the step counts from that day
        posted_on = tomorrow + timedelta(days=1)
        with freeze_time(posted_on):
            retry.with_user(self.collector).action_mark_posted()
        self.assertRecordValues(retry, [{"state": "sent", "sent_date": posted_on}])
        self.assertEqual(invoice.dunning_level_id, self.friendly)
        self.assertEqual(invoice.dunning_last_date, posted_on)

    def test_a_failed_email_sent_again_by_a_person_is_not_tried_again(self):
        invoice = self._overdue()
        self._night(TODAY)
        reminder = self._reminders()
        self._mail_queue(TODAY, refuse=ConnectionRefusedError(111, "refused"))
        self.assertEqual(reminder.state, "failed")
        # the server is back; the accountant retries the e-mail in Odoo
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", reminder.mail_message_id.id)])
        )
        self.assertEqual(mail.state, "exception")
        mail.action_retry()
        self._mail_queue(TODAY)
        self.assertRecordValues(
            reminder, [{"state": "sent", "needs_retry": False, "sent_date": TODAY}]
        )
        self.assertEqual(invoice.dunning_level_id, self.friendly)
        self._night(TODAY + timedelta(days=1))
        self.assertEqual(self._reminders(), reminder)

    def test_an_email_that_goes_after_all_withdraws_the_letter_waiting(self):
        invoice = self._overdue()
        self._night(TODAY)
        email = self._reminders()
        self._mail_queue(TODAY, refuse=ConnectionRefusedError(111, "refused"))
        self._night(TODAY + timedelta(days=1))
        letter = self._reminders() - email
        self.assertRecordValues(letter, [{"channel": "letter", "state": "queued"}])
        # before anyone posts the letter, the e-mail is retried and leaves
        self.env["mail.mail"].sudo().search(
            [("mail_message_id", "=", email.mail_message_id.id)]
        ).action_retry()
        self._mail_queue(TODAY + timedelta(days=1))
        self.assertEqual(email.state, "sent")
        self.assertRecordValues(letter, [{"state": "cancelled"}])
        self.assertEqual(invoice.dunning_level_id, self.friendly)

    def test_an_email_that_left_the_queue_without_a_word_is_failed_and_tried_again(
        self,
    ):
        self._overdue()
        self._night(TODAY)
        email = self._reminders()
        # someone emptied Odoo's mail queue
        self.env["mail.mail"].sudo().search(
            [("mail_message_id", "=", email.mail_message_id.id)]
        ).unlink()
        # the same night it is still in time: nothing happens yet
        self._night(TODAY)
        self.assertEqual(email.state, "queued")
        with mute_logger(*QUIET):
            self._night(TODAY + timedelta(days=1))
        self.assertEqual(email.state, "failed")
        self.assertIn("left Odoo's queue", email.failure_reason)
        self.assertEqual((self._reminders() - email).channel, "letter")

    def test_a_failed_reminder_is_not_tried_again_for_an_invoice_now_disputed(self):
        disputed = self._overdue()
        self._overdue(partner=self.other)
        self._night(TODAY)
        self._mail_queue(TODAY, refuse=ConnectionRefusedError(111, "refused"))
        reminder, other = self._reminders(), self._reminders(self.other)
        self.assertEqual((reminder | other).mapped("state"), ["failed"] * 2)
        disputed.write({"dunning_blocked": True, "dunning_block_reason": "Wrong price"})
        self._night(TODAY + timedelta(days=1))
        self.assertEqual(self._reminders(), reminder)
        self.assertFalse(reminder.needs_retry)
        # positive control: the other customer's is tried again
        self.assertEqual((self._reminders(self.other) - other).channel, "letter")

    def test_a_bounce_after_sending_fails_the_reminder_and_undoes_its_step(self):
        invoice = self._overdue()
        self._night(TODAY)
        reminder = self._reminders()
        self._mail_queue(TODAY)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.friendly)
        # what Odoo's bounce handling writes when the bounce comes in
        notification = self.env["mail.notification"].search(
            [("mail_message_id", "=", reminder.mail_message_id.id)]
        )
        with freeze_time(TODAY + timedelta(hours=2)), mute_logger(*QUIET):
            notification.sudo().write(
                {
                    "notification_status": "bounce",
                    "failure_type": "mail_bounce",
                    "failure_reason": "550 5.1.1 mailbox unknown",
                }
            )
        self.assertRecordValues(
            reminder,
            [
                {
                    "state": "failed",
                    "failure_reason": "550 5.1.1 mailbox unknown",
                    "needs_retry": True,
                    "sent_date": False,
                }
            ],
        )
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(invoice.dunning_last_date)
        self._night(TODAY + timedelta(days=1))
        self.assertEqual((self._reminders() - reminder).channel, "letter")

    def test_an_sms_the_gateway_refuses_is_tried_again_by_email(self):
        self.customer.write(
            {"dunning_preferred_channel": "sms", "mobile": "06 12 34 56 78"}
        )
        self._overdue()
        self._night(TODAY)
        text = self._reminders()
        self.assertRecordValues(text, [{"channel": "sms", "state": "queued"}])
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search([("mail_message_id", "=", text.mail_message_id.id)])
        )
        with freeze_time(TODAY), mute_logger(*QUIET):
            sms._update_sms_state_and_trackers("error", failure_type="sms_server")
        self.assertEqual(text.state, "failed")
        self.assertTrue(text.failure_reason)
        self._night(TODAY + timedelta(days=1))
        retry = self._reminders() - text
        self.assertRecordValues(
            retry, [{"channel": "email", "attempt": 2, "state": "queued"}]
        )

    def test_the_tries_end_with_a_call_for_the_collector(self):
        self.env.company.dunning_retry_limit = 1
        self.customer.dunning_collector_id = self.collector
        invoice = self._overdue()
        self._night(TODAY)
        self._mail_queue(TODAY, refuse=ConnectionRefusedError(111, "refused"))
        # the letter cannot be printed either
        report = type(self.env["ir.actions.report"])
        with (
            patch.object(
                report,
                "_render_qweb_pdf",
                side_effect=OSError("wkhtmltopdf exited with code 1"),
            ),
            mute_logger(*QUIET),
        ):
            self._night(TODAY + timedelta(days=1))
        email, letter = self._reminders()
        self.assertRecordValues(
            letter,
            [
                {
                    "channel": "letter",
                    "state": "failed",
                    "attempt": 2,
                    "needs_retry": True,
                    "failure_reason": "wkhtmltopdf exited with code 1",
                }
            ],
        )
        day_three = TODAY + timedelta(days=2)
        self._night(day_three)
        call = self._reminders() - email - letter
        self.assertRecordValues(
            call,
            [
                {
                    "channel": "phone",
                    "state": "queued",
                    "attempt": 3,
                    "retry_of_id": letter.id,
                    "user_id": self.collector.id,
                }
            ],
        )
        self.assertEqual(call.activity_id.user_id, self.collector)
        self.assertFalse(invoice.dunning_level_id)
        # the collector called: the reminder went out that day
        with freeze_time(day_three):
            call.activity_id.with_user(self.collector).action_feedback(
                "Will pay Friday"
            )
        self.assertRecordValues(call, [{"state": "sent", "sent_date": day_three}])
        self.assertEqual(invoice.dunning_level_id, self.friendly)
        self.assertEqual(invoice.dunning_last_date, day_three)

    def test_a_call_removed_without_being_made_is_planned_again(self):
        invoice = self._overdue(12000.0)
        self._night(TODAY)
        call = self._reminders()
        self.assertRecordValues(call, [{"channel": "phone", "state": "queued"}])
        call.activity_id.unlink()
        self.assertEqual(call.state, "cancelled")
        self.assertFalse(invoice.dunning_level_id)
        self._night(TODAY + timedelta(days=1))
        again = self._reminders() - call
        self.assertRecordValues(again, [{"channel": "phone", "state": "queued"}])
        self.assertTrue(again.activity_id)

    def test_one_customers_broken_template_fails_alone(self):
        self._overdue()
        self._overdue(partner=self.other)
        template = type(self.env["mail.template"])
        original = template._generate_template
        mine = self.env["dunning.communication"]

        def broken_for_the_customer(records, res_ids, render_fields, **kwargs):
            if mine.browse(res_ids).partner_id == self.customer:
                raise ValueError("the template refers to a field that is gone")
            return original(records, res_ids, render_fields, **kwargs)

        with (
            patch.object(template, "_generate_template", broken_for_the_customer),
            mute_logger(*QUIET),
        ):
            self._night(TODAY)
        self.assertRecordValues(
            self._reminders(),
            [
                {
                    "state": "failed",
                    "needs_retry": True,
                    "failure_reason": "the template refers to a field that is gone",
                }
            ],
        )
        self._mail_queue(TODAY)
        self.assertEqual(self._reminders(self.other).state, "sent")
        self._night(TODAY + timedelta(days=1))
        self.assertEqual(self._reminders()[-1:].channel, "letter")

    def test_one_letter_that_cannot_be_printed_fails_alone(self):
        self._overdue(3000.0)
        self._overdue(3000.0, partner=self.other)
        report = type(self.env["ir.actions.report"])
        original = report._render_qweb_pdf
        mine = self.env["dunning.communication"]

        def broken_for_the_customer(records, report_ref, res_ids=None, data=None):
            if mine.browse(res_ids).partner_id == self.customer:
                raise OSError("wkhtmltopdf exited with code 1")
            return original(records, report_ref, res_ids=res_ids, data=data)

        printing = type(mine)
        original_batch = printing._run_pdf_engine

        def batch_broken_by_the_customer(letters, *args):
            # the night prints its letters together first: that fails, and
            # each is then printed on its own
            if self.customer in mine.search([("date", "=", TODAY)]).partner_id:
                raise OSError("wkhtmltopdf exited with code 1")
            return original_batch(letters, *args)

        with (
            patch.object(report, "_render_qweb_pdf", broken_for_the_customer),
            patch.object(printing, "_run_pdf_engine", batch_broken_by_the_customer),
            mute_logger(
                *QUIET,
                "odoo.addons.customer_retention_dunning.models.dunning_letter_print",
            ),
        ):
            self._night(TODAY)
        self.assertRecordValues(
            self._reminders(),
            [{"channel": "letter", "state": "failed", "attachment_id": False}],
        )
        printed = self._reminders(self.other)
        self.assertRecordValues(printed, [{"channel": "letter", "state": "queued"}])
        self.assertEqual(printed.attachment_id.mimetype, "application/pdf")
        # the next night: a letter fails by a call
        self._night(TODAY + timedelta(days=1))
        self.assertEqual(self._reminders()[-1:].channel, "phone")

    def test_the_preview_leaves_out_invoices_waiting_for_a_reminder(self):
        self._overdue()
        self._night(TODAY)
        self.assertEqual(self._reminders().state, "queued")
        # a new customer overdue since: the night would send it one
        self._overdue(partner=self.other)
        with freeze_time(TODAY + timedelta(days=1)):
            preview = self.env["dunning.preview.wizard"].create(
                {"partner_ids": [(6, 0, (self.customer | self.other).ids)]}
            )
        self.assertEqual(preview.line_ids.partner_id, self.other)

    def test_only_a_collector_marks_a_printed_letter_posted(self):
        self._overdue(3000.0)
        self._overdue(partner=self.other)
        self._night(TODAY)
        letter, email = self._reminders(), self._reminders(self.other)
        with self.assertRaises(AccessError):
            letter.with_user(self.seller).action_mark_posted()
        self.assertEqual(letter.state, "queued")
        with self.assertRaises(UserError):
            email.with_user(self.collector).action_mark_posted()
        self.assertEqual(email.state, "queued")
        with freeze_time(TODAY):
            letter.with_user(self.collector).action_mark_posted()
        self.assertRecordValues(letter, [{"state": "sent", "sent_date": TODAY}])

    def test_a_collector_of_another_company_cannot_mark_our_letter_posted(self):
        other_company = self.setup_other_company(name="Noorderlicht Belgie")["company"]
        elsewhere = self._user(
            "lotte.elders",
            self.env.ref("customer_retention_dunning.group_collector"),
            companies=other_company,
        )
        self._overdue(3000.0)
        self._night(TODAY)
        letter = self._reminders()
        self.assertEqual(letter.channel, "letter")
        with self.assertRaises(AccessError):
            letter.with_user(elsewhere).action_mark_posted()
        self.assertEqual(letter.state, "queued")
        # positive control: a collector of the letter's own company may
        with freeze_time(TODAY):
            letter.with_user(self.collector).action_mark_posted()
        self.assertEqual(letter.state, "sent")

    def test_the_states_show_in_the_effectiveness_report(self):
        self._overdue()
        self._overdue(partner=self.other)
        self._night(TODAY)
        other_mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", self._reminders(self.other).mail_message_id.id)]
        )
        with freeze_time(TODAY), patch.object(module, "current_test", True):
            other_mail.send()
        self._mail_queue(TODAY, refuse=ConnectionRefusedError(111, "refused"))
        rows = self.env["dunning.effectiveness.report"].search(
            [("partner_id", "in", (self.customer | self.other).ids)]
        )
        self.assertEqual(
            {row.partner_id: row.state for row in rows},
            {self.customer: "failed", self.other: "sent"},
        )
        waiting = self.env["dunning.communication"].search(
            [("state", "in", ("queued", "to_review")), ("id", "in", rows.ids)]
        )
        self.assertFalse(waiting)


@tagged("post_install", "-at_install")
class TestWhatWaitsForTheReminder(DeliveryCase):
    def _final_notice_ladder(self):
        profile = self.env["dunning.profile"].create(
            {
                "name": "Final notice only",
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "sequence": 10,
                            "name": "Final notice",
                            "days_after_due": 0,
                            "min_interval_days": 1,
                            "tone": "final",
                            "action": "credit_hold",
                            "notice_days": 7,
                        },
                    )
                ],
            }
        )
        self.customer.dunning_profile_id = profile

    def test_the_hold_notice_runs_from_the_day_the_notice_went_out(self):
        self._final_notice_ladder()
        self._overdue()
        self._night(TODAY)
        notice = self._reminders()
        self.assertEqual(notice.state, "queued")
        self.assertFalse(self.customer.credit_hold_date)
        # the mail server was down for two days; the mail leaves on the third
        third = TODAY + timedelta(days=2)
        self._mail_queue(third)
        self.assertEqual(notice.sent_date, third)
        self.assertEqual(self.customer.credit_hold_date, third + timedelta(days=7))
        self.assertEqual(notice.hold_notice_date, third + timedelta(days=7))
        self.assertFalse(self.customer.credit_hold)

    def test_a_notice_that_bounces_lapses(self):
        self._final_notice_ladder()
        self._overdue()
        self._night(TODAY)
        notice = self._reminders()
        self._mail_queue(TODAY)
        self.assertEqual(self.customer.credit_hold_date, TODAY + timedelta(days=7))
        notification = self.env["mail.notification"].search(
            [("mail_message_id", "=", notice.mail_message_id.id)]
        )
        with mute_logger(*QUIET):
            notification.sudo().write(
                {"notification_status": "bounce", "failure_type": "mail_bounce"}
            )
        self.assertEqual(notice.state, "failed")
        self.assertFalse(self.customer.credit_hold_date)
        # a week later, nobody is put on hold on the strength of it
        self._night(TODAY + timedelta(days=8))
        self.assertFalse(self.customer.credit_hold)


@tagged("post_install", "-at_install")
class TestDemandSentLater(EuroCompanyMixin, DeliveryCase):
    def _at_the_step_before_the_demand(self, values):
        """A consumer with 2,000 due on 1 June whose invoice was reminded at
        the level before the formal demand: the next step is the demand."""
        consumer = self.env["res.partner"].create(values)
        formal = self.levels.filtered(lambda level: level.tone == "formal")[:1]
        before = self.levels.filtered(lambda level: level.sequence < formal.sequence)
        invoice = self._invoice(
            2000.0, date(2026, 5, 2), date(2026, 6, 1), partner=consumer
        )
        invoice.sudo().write(
            {"dunning_level_id": before[-1].id, "dunning_last_date": date(2026, 6, 1)}
        )
        return consumer, formal

    def test_the_14_days_count_from_the_day_the_demand_went_out(self):
        self.env.company.write(
            {
                "dunning_costs_arrangement": "fixed",
                "dunning_costs_vat": False,
                "dunning_receipt_working_days": 2,
            }
        )
        consumer, formal = self._at_the_step_before_the_demand(
            {
                "name": "Jan Jansen",
                "email": "jan@example.nl",
                "country_id": self.env.ref("base.nl").id,
            }
        )
        # made on Tuesday 7 July: received Thursday 9, 14 days up to 23 July
        self._night(date(2026, 7, 7))
        demand = self._reminders(consumer)
        self.assertRecordValues(
            demand,
            [
                {
                    "level_id": formal.id,
                    "state": "queued",
                    "pay_by_date": date(2026, 7, 23),
                    "costs_claimable_from": date(2026, 7, 24),
                }
            ],
        )
        # the e-mail leaves on Friday 10 July: received Tuesday 14 July
        # (two working days), 14 days up to 28 July, costs from 29 July
        self._mail_queue(date(2026, 7, 10))
        self.assertRecordValues(
            demand,
            [
                {
                    "state": "sent",
                    "sent_date": date(2026, 7, 10),
                    "assumed_receipt_date": date(2026, 7, 14),
                    "pay_by_date": date(2026, 7, 28),
                    "costs_claimable_from": date(2026, 7, 29),
                }
            ],
        )
        with freeze_time(date(2026, 7, 28)):
            self.assertFalse(demand.can_charge)
        demand.invalidate_recordset(["can_charge"])  # computed for today
        with freeze_time(date(2026, 7, 29)):
            self.assertTrue(demand.can_charge)

    def test_a_demand_that_never_went_out_is_never_charged(self):
        consumer, _formal = self._at_the_step_before_the_demand(
            {"name": "Piet Pieters", "email": "piet@example.nl"}
        )
        self._night(date(2026, 7, 7))
        demand = self._reminders(consumer)
        self._mail_queue(date(2026, 7, 7), refuse=ConnectionRefusedError(111, "x"))
        self.assertEqual(demand.state, "failed")
        with freeze_time(date(2026, 9, 1)):
            self.assertFalse(demand.can_charge)
            with self.assertRaisesRegex(UserError, "not sent"):
                demand.action_charge_costs()
