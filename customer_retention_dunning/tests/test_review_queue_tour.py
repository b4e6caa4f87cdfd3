"""The review queue in a real browser: a collector edits and sends."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ReceivablesMixin

# the first page load builds the asset bundles: slow on a busy 2-core machine
TOUR_TIMEOUT = 180


@tagged("post_install", "-at_install")
class TestReviewQueueTour(ReceivablesMixin, HttpCase):
    def test_a_collector_edits_and_the_customer_receives_the_edited_text(self):
        collector = new_test_user(
            self.env,
            login="review_collector",
            groups="base.group_user,customer_retention_dunning.group_collector",
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Hoveniers Groen",
                "is_company": True,
                "email": "info@groen.example.nl",
            }
        )
        customer = partner.with_company(self.env.company)
        customer.dunning_personal_touch = True
        customer.dunning_collector_id = collector
        today = fields.Date.context_today(partner)
        self._invoice(
            800, today - timedelta(days=60), today - timedelta(days=30), partner=partner
        )
        self.env["dunning.escalation"].sudo()._cron_escalate()
        reminder = self.env["dunning.communication"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual(reminder.state, "to_review")
        self.start_tour(
            "/odoo/action-customer_retention_dunning.dunning_communication_action_to_review",
            "customer_retention_dunning_review_send",
            login="review_collector",
            timeout=TOUR_TIMEOUT,
        )
        self.assertEqual(reminder.state, "queued")
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", reminder.mail_message_id.id)])
        )
        self.assertIn("as agreed on the phone this morning", mail.body_html)
        self.assertEqual(mail.recipient_ids, partner)
