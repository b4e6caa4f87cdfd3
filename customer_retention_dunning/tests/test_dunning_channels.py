"""Text messages, WhatsApp and posted letters, as the customer and the
collector see them."""

from datetime import date, timedelta
from urllib.parse import unquote

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestDunningChannels(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.customer.write({"mobile": "06-12 34 56 78"})

    def _run(self, on_date=TODAY):
        with freeze_time(on_date):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        return self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)], order="id"
        )

    def _overdue(self, amount=400):
        return self._invoice(
            amount, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )

    def test_a_customer_who_prefers_sms_gets_a_queued_text(self):
        self.customer.dunning_preferred_channel = "sms"
        invoice = self._overdue()
        communication = self._run()
        self.assertRecordValues(
            communication,
            [{"channel": "sms", "state": "queued", "mobile": "+31612345678"}],
        )
        sms = self.env["sms.sms"].search(
            [("mail_message_id", "=", communication.mail_message_id.id)]
        )
        self.assertEqual(sms.number, "+31612345678")
        # queued for Odoo's SMS cron, not sent from inside the dunning run
        self.assertEqual(sms.state, "outgoing")
        self.assertIn("400.00", sms.body)
        self.assertIn(invoice.get_portal_url().split("?")[0], sms.body)
        self.assertIn("slipped through", sms.body)
        self.assertEqual(communication.mail_message_id.message_type, "sms")
        # the gateway accepts it: sent from then on
        with freeze_time(TODAY):
            sms.sudo()._update_sms_state_and_trackers("pending")
        self.assertEqual(communication.state, "sent")
        self.assertEqual(communication.sent_date, TODAY)
        self.assertEqual(invoice.dunning_level_id, communication.level_id)

    def test_whatsapp_gives_the_collector_a_click_to_chat_link(self):
        collector = self.env["res.users"].create(
            {"name": "Sanne", "login": "sanne.whatsapp", "email": "s@example.nl"}
        )
        self.customer.write(
            {
                "dunning_preferred_channel": "whatsapp",
                "dunning_collector_id": collector.id,
                "dunning_collector_manual": True,
            }
        )
        self._overdue()
        communication = self._run()
        self.assertEqual(communication.channel, "whatsapp")
        activity = communication.activity_id
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("customer_retention_dunning.mail_activity_data_whatsapp"),
        )
        self.assertEqual(activity.user_id, collector)
        self.assertEqual(activity.res_id, self.customer.id)
        note = unquote(str(activity.note))
        self.assertIn("https://wa.me/31612345678?text=", note)
        self.assertIn("400.00", note.split("wa.me/")[1])
        # out only once the collector sent it and marked the activity done
        self.assertEqual(communication.state, "queued")
        with freeze_time(TODAY + timedelta(days=1)):
            activity.with_user(collector).action_feedback("Sent on WhatsApp")
        self.assertRecordValues(
            communication,
            [{"state": "sent", "sent_date": TODAY + timedelta(days=1)}],
        )

    def test_an_invalid_number_is_reported_and_the_reminder_goes_by_email(self):
        self.customer.write({"dunning_preferred_channel": "sms", "mobile": "12345"})
        self.assertEqual(self.customer.dunning_mobile_problem, "invalid")
        self._overdue()
        communication = self._run()
        self.assertRecordValues(
            communication,
            [{"channel": "email", "channel_fallback": "no_sms", "state": "queued"}],
        )
        self.assertFalse(self.env["sms.sms"].search([("number", "ilike", "12345")]))
        report = self.customer.message_ids.filtered(
            lambda message: "could not go by SMS" in str(message.body)
        )
        self.assertEqual(len(report), 1)
        self.assertIn("not a valid phone number", str(report.body))

    def test_a_landline_cannot_take_a_text_and_a_letter_follows(self):
        self.customer.write(
            {
                "dunning_preferred_channel": "sms",
                "mobile": False,
                "phone": "020 123 4567",
                "email": False,
            }
        )
        self.assertEqual(self.customer.dunning_mobile_problem, "not_mobile")
        self._overdue()
        communication = self._run()
        self.assertRecordValues(
            communication, [{"channel": "letter", "channel_fallback": "no_sms"}]
        )

    def test_a_fixed_number_clears_the_problem(self):
        self.customer.write({"dunning_preferred_channel": "sms", "mobile": False})
        self.assertEqual(self.customer.dunning_mobile_problem, "missing")
        self.customer.mobile = "+32 470 12 34 56"
        self.assertFalse(self.customer.dunning_mobile_problem)
        # a foreign number keeps its own country code
        self.assertEqual(self.customer.dunning_mobile_e164, "+32470123456")

    def test_the_invoice_contact_gets_the_text_on_their_own_mobile(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Anna de Vries",
                "parent_id": self.customer.id,
                "type": "invoice",
                "email": "anna@korenbloem.example.nl",
                "mobile": "0687654321",
            }
        )
        self.customer.dunning_preferred_channel = "sms"
        self._invoice(
            400, TODAY - timedelta(days=60), TODAY - timedelta(days=30), contact
        )
        communication = self._run()
        self.assertEqual(communication.recipient_id, contact)
        self.assertEqual(communication.mobile, "+31687654321")

    def test_a_letter_is_handed_to_snailmail_when_the_company_posts_letters(self):
        self.env.company.dunning_letter_by_post = True
        self._overdue(3000)
        communication = self._run()
        self.assertEqual(communication.channel, "letter")
        self.assertTrue(communication.letter_by_post)
        letter = self.env["snailmail.letter"].search(
            [
                ("model", "=", "dunning.communication"),
                ("res_id", "=", communication.id),
            ]
        )
        self.assertEqual(letter.attachment_id, communication.attachment_id)
        self.assertEqual(letter.partner_id, self.customer)
        self.assertEqual(letter.state, "pending")
        self.assertEqual(letter.zip, "1011 AA")

    def test_without_posting_the_letter_waits_on_the_customer(self):
        self._overdue(3000)
        communication = self._run()
        self.assertFalse(communication.letter_by_post)
        self.assertFalse(
            self.env["snailmail.letter"].search(
                [("model", "=", "dunning.communication")]
            )
        )
        self.assertEqual(
            communication.mail_message_id.attachment_ids, communication.attachment_id
        )

    def test_reminder_bodies_render_as_odoo_renders_them(self):
        self._invoice(400, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        self._invoice(250, TODAY - timedelta(days=40), TODAY - timedelta(days=10))
        communication = self._run()
        for tone in ("friendly", "firm", "formal", "final"):
            template = self.env.ref(
                f"customer_retention_dunning.mail_template_dunning_{tone}"
            )
            ours = template._render_template_qweb(
                template.body_html, "dunning.communication", communication.ids
            )[communication.id]
            odoos = self.env["mail.render.mixin"]._render_template_qweb(
                template.body_html, "dunning.communication", communication.ids
            )[communication.id]
            self.assertEqual(ours, odoos, tone)
            self.assertIn("650.00", ours)
        # a second customer gets its own figures from the compiled body
        other = self.env["res.partner"].create(
            {"name": "Slagerij Vos", "email": "vos@example.nl"}
        )
        self._invoice(
            777, TODAY - timedelta(days=60), TODAY - timedelta(days=30), other
        )
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._escalate_partners(other.ids, TODAY)
        mail = self.env["mail.mail"].search(
            [("model", "=", "dunning.communication")], order="id desc", limit=1
        )
        self.assertIn("777.00", mail.body_html)
        self.assertNotIn("650.00", mail.body_html)
