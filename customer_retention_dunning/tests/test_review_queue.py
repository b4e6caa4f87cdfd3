"""The personal touch: the night prepares a reminder and a collector
reviews, edits and sends it (or skips it). Nothing goes out unseen, only a
reminder that went out moves the ladder, and one left too long goes to a
senior collector."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_delivery import TODAY, DeliveryCase
from .test_letter import _speak_dutch


@tagged("post_install", "-at_install")
class TestReviewQueue(DeliveryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.senior = cls._user(
            "joost.review",
            cls.env.ref("customer_retention_dunning.group_collector_senior"),
        )
        for partner in (cls.customer, cls.other):
            partner.with_company(cls.env.company).dunning_collector_id = cls.collector
        cls.customer.with_company(cls.env.company).dunning_personal_touch = True

    def _mails(self, communication):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", communication.mail_message_id.id)])
            if communication.mail_message_id
            else self.env["mail.mail"]
        )

    def test_the_night_prepares_the_reminder_and_sends_nothing(self):
        invoice = self._overdue()
        other_invoice = self._overdue(partner=self.other)
        self._night(TODAY)
        reminder = self._reminders()
        self.assertRecordValues(
            reminder,
            [{"state": "to_review", "channel": "email", "user_id": self.collector.id}],
        )
        self.assertIn("a friendly reminder", reminder.review_subject)
        self.assertIn(invoice.name, reminder.review_body)
        self.assertFalse(reminder.mail_message_id)
        self.assertEqual(reminder.activity_ids.user_id, self.collector)
        # the invoice has not taken its step, and the next night adds nothing
        self.assertFalse(invoice.dunning_level_id)
        self._night(TODAY + timedelta(days=1))
        self.assertEqual(self._reminders(), reminder)
        # positive control: the customer without the personal touch got it
        other = self._reminders(self.other)
        self.assertEqual(other.state, "queued")
        self.assertTrue(self._mails(other))
        self.assertFalse(other_invoice.dunning_level_id)  # not out yet either
        # the overview counts the one waiting for review, not the queued one
        overview = (
            self.env["dunning.overview"]
            .with_user(self.collector)
            .create({"company_id": self.env.company.id})
        )
        self.assertEqual(overview.to_review_count, 1)
        self.assertEqual(
            self.env["dunning.communication"].search(
                overview.action_open_to_review()["domain"]
            ),
            reminder,
        )

    def test_the_text_is_prepared_in_the_customers_language(self):
        _speak_dutch(self.env, self.customer)
        self._overdue()
        self._night(TODAY)
        reminder = self._reminders()
        self.assertIn("Geachte Bakkerij De Korenbloem", reminder.review_body)
        self.assertNotIn("Dear", reminder.review_body)

    def test_the_collector_edits_and_the_customer_receives_the_edited_text(self):
        invoice = self._overdue()
        self._night(TODAY)
        reminder = self._reminders().with_user(self.collector)
        reminder.write(
            {
                "review_subject": "About our call of this morning",
                "review_body": "<p>Dear Anna, as agreed on the phone: the "
                "invoice of 800 by Friday. Thank you!</p>",
            }
        )
        with freeze_time(TODAY):
            reminder.action_send_reviewed()
        self.assertEqual(reminder.state, "queued")
        self.assertEqual(reminder.reviewed_by_id, self.collector)
        self.assertFalse(reminder.activity_ids)
        mail = self._mails(reminder)
        self.assertEqual(mail.subject, "About our call of this morning")
        self.assertIn("as agreed on the phone", mail.body_html)
        # it moves the ladder only once it went out
        self.assertFalse(invoice.dunning_level_id)
        self._mail_queue(TODAY)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.friendly)

    def test_only_a_collector_reviews_and_only_while_it_waits(self):
        self._overdue()
        self._night(TODAY)
        reminder = self._reminders()
        with self.assertRaises(AccessError):
            reminder.with_user(self.seller).write({"review_body": "<p>Pay!</p>"})
        with self.assertRaises(AccessError):
            reminder.with_user(self.seller).action_send_reviewed()
        self.assertEqual(reminder.state, "to_review")
        self.assertNotIn("Pay!", reminder.review_body)
        # positive control: the collector may; once sent, nobody edits it
        reminder.with_user(self.collector).write({"review_body": "<p>Hello</p>"})
        with freeze_time(TODAY):
            reminder.with_user(self.collector).action_send_reviewed()
        with self.assertRaisesRegex(UserError, "waiting for review"):
            reminder.with_user(self.collector).write({"review_body": "<p>Later</p>"})
        # the review fields are the review's own: no other way writes them
        with self.assertRaises(AccessError):
            reminder.with_user(self.senior).write(
                {"review_body": "<p>Later</p>", "user_id": self.senior.id}
            )

    def test_a_collector_switches_to_a_channel_the_customer_has(self):
        self._overdue()
        self._night(TODAY)
        reminder = self._reminders().with_user(self.collector)
        # no mobile number: no text message
        with self.assertRaisesRegex(UserError, "cannot be reached"):
            reminder.write({"channel": "sms"})
        self.assertEqual(reminder.channel, "email")
        # positive control: the customer has a postal address
        reminder.write({"channel": "letter"})
        self.assertEqual(reminder.channel, "letter")
        self.assertFalse(reminder.review_body)
        with freeze_time(TODAY):
            reminder.action_send_reviewed()
        self.assertTrue(reminder.attachment_id)

    def test_a_skipped_reminder_waits_the_steps_interval(self):
        invoice = self._overdue()
        self._night(TODAY)
        reminder = self._reminders().with_user(self.collector)
        with self.assertRaisesRegex(UserError, "reason to skip"):
            reminder.action_skip_review()
        self.assertEqual(reminder.state, "to_review")
        reminder.review_skip_reason = "Spoke to the owner: paying on Friday"
        with freeze_time(TODAY):
            reminder.action_skip_review()
        interval = self.friendly.min_interval_days
        self.assertRecordValues(
            reminder,
            [
                {
                    "state": "cancelled",
                    "reviewed_by_id": self.collector.id,
                    "review_skipped_until": TODAY + timedelta(days=interval),
                }
            ],
        )
        self.assertFalse(invoice.dunning_level_id)
        # nothing new until the interval has passed, then the step again
        self._night(TODAY + timedelta(days=interval))
        self.assertEqual(self._reminders(), reminder)
        self._night(TODAY + timedelta(days=interval + 1))
        again = self._reminders() - reminder
        self.assertEqual(again.state, "to_review")
        self.assertEqual(again.level_id, self.friendly)

    def test_an_unreviewed_reminder_goes_to_a_senior_never_out(self):
        self.env.company.dunning_review_max_days = 3
        self._overdue()
        self._night(TODAY)
        reminder = self._reminders()
        Communication = self.env["dunning.communication"]
        with freeze_time(TODAY + timedelta(days=2)):
            Communication._cron_pass_stale_reviews()
        self.assertEqual(reminder.user_id, self.collector)
        self.assertFalse(reminder.review_escalated)
        with freeze_time(TODAY + timedelta(days=3)):
            Communication._cron_pass_stale_reviews()
        # the company's seniors: the test's own user (a credit manager, so
        # a senior too, created first) and Joost; the first of them takes it
        self.assertEqual(
            self.env.ref("customer_retention_dunning.group_collector_senior").users
            & self.env.company.user_ids,
            self.env.user | self.senior,
        )
        self.assertRecordValues(
            reminder,
            [
                {
                    "state": "to_review",
                    "review_escalated": True,
                    "user_id": self.env.user.id,
                }
            ],
        )
        self.assertEqual(reminder.activity_ids.user_id, self.env.user)
        self.assertFalse(reminder.mail_message_id)

    def test_a_level_that_asks_for_review_holds_every_customers_reminder(self):
        self.customer.with_company(self.env.company).dunning_personal_touch = False
        self.friendly.review_before_send = True
        self._overdue()
        self._overdue(partner=self.other)
        self._night(TODAY)
        self.assertEqual(
            (self._reminders() | self._reminders(self.other)).mapped("state"),
            ["to_review", "to_review"],
        )
        # positive control: the same night without the flag sends (first test)
