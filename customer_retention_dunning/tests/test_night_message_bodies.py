"""The night writes its messages' bodies after making them (see
message_bodies.py): the customer still receives the whole reminder, its
chatter shows it, the customer's own chatter notes it, and a rendered body
is still sanitised once."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from markupsafe import Markup

from odoo.tests import tagged

from ..models import dunning_communication
from .common import DunningTestCommon

TODAY = date(2026, 7, 1)
Communication = dunning_communication.DunningCommunication


@tagged("post_install", "-at_install")
class TestNightMessageBodies(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        # 640.00 is below the Standard letter threshold of 2,500: an e-mail
        cls.invoice = cls._invoice(
            640.0, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )

    def _night(self):
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._escalate_batch(
                self.customer.ids, TODAY.isoformat()
            )
        reminder = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(reminder.channel, "email")
        return reminder

    def _mail(self, reminder):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", reminder.mail_message_id.id)])
        )

    def test_the_customer_receives_the_whole_reminder_and_its_chatter_shows_it(
        self,
    ):
        reminder = self._night()
        body = str(reminder.mail_message_id.body)
        self.assertIn(self.invoice.name, body)
        self.assertIn("640.00", body)
        self.assertIn("Answer online", body)
        self.assertIn(reminder.answer_url.replace("&", "&amp;"), body)
        # what goes out is that body in the customer's layout
        mail = self._mail(reminder)
        self.assertEqual(len(mail), 1)
        self.assertIn(self.invoice.name, mail.body_html)
        self.assertIn("Answer online", mail.body_html)
        # the reminder's chatter reads the same body back
        self.assertEqual(
            reminder.message_ids.filtered(lambda m: m.message_type == "comment").body,
            reminder.mail_message_id.body,
        )
        # the customer's chatter notes it, with the invoice and the total
        note = self.customer.message_ids.filtered(
            lambda m: "Reminder e-mail queued" in str(m.body)
        )
        self.assertEqual(len(note), 1)
        self.assertIn(self.invoice.name, str(note.body))
        self.assertIn("640.00", str(note.body))

    def test_a_rendered_body_is_still_sanitised(self):
        original = Communication._prepare_emails

        def with_a_script(records):
            prepared = original(records)
            for values in prepared.values():
                # markup, as a template's QWeb could put out
                values["body_html"] = values["body_html"] + Markup(
                    '<script>alert("x")</script>'
                    '<p onclick="steal()">Kind regards from the script test</p>'
                )
            return prepared

        with patch.object(Communication, "_prepare_emails", with_a_script):
            reminder = self._night()
        body = str(reminder.mail_message_id.body)
        self.assertNotIn("<script", body)
        self.assertNotIn("onclick", body)
        # positive control: the harmless rest of it is kept, the reminder too
        self.assertIn("Kind regards from the script test", body)
        self.assertIn(self.invoice.name, body)
        self.assertNotIn("<script", self._mail(reminder).body_html)
