"""Two cron workers escalating at the same moment send each reminder once.

Odoo runs several cron workers, each in its own transaction; a test
transaction cannot show that. This test commits a customer with an overdue
invoice through real cursors, starts two escalations in two threads that
meet at a barrier right before they take their customers, and removes what
it committed afterwards.
"""

import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name, tagged

from odoo.addons.customer_retention_dunning.models.dunning_escalation import (
    DunningEscalation,
)


@tagged("post_install", "-at_install")
class TestDunningConcurrency(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            today = fields.Date.context_today(env["res.partner"])
            self.partner_id = (
                env["res.partner"]
                .create(
                    {
                        "name": "Gelijktijdig B.V.",
                        "is_company": True,
                        "email": "debiteuren@gelijktijdig.example.nl",
                    }
                )
                .id
            )
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id,
                    "invoice_date": today - timedelta(days=40),
                    "invoice_date_due": today - timedelta(days=10),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Levering", "price_unit": 500, "tax_ids": []}
                        )
                    ],
                }
            )
            invoice.action_post()
            self.invoice_id = invoice.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            # the reminders' own messages (and so their queued e-mails)
            cr.execute(
                """
                DELETE FROM mail_message
                 WHERE model = 'dunning.communication'
                   AND res_id IN (SELECT id FROM dunning_communication
                                   WHERE partner_id = %s)
                """,
                [self.partner_id],
            )
            cr.execute(
                "DELETE FROM dunning_communication WHERE partner_id = %s",
                [self.partner_id],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = %s",
                [self.partner_id],
            )
            cr.execute("DELETE FROM account_move WHERE id = %s", [self.invoice_id])
            cr.execute("DELETE FROM res_partner WHERE id = %s", [self.partner_id])

    def test_two_workers_at_once_send_one_reminder(self):
        barrier = threading.Barrier(2, timeout=30)
        original = DunningEscalation._escalate_partners
        errors = []

        met = threading.local()

        def meet_then_escalate(escalation, partner_ids, today):
            # both workers take their customers at once; the customers one
            # of them found held are taken again after, without meeting
            if not getattr(met, "done", False):
                met.done = True
                barrier.wait()
            return original(escalation, partner_ids, today)

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["dunning.escalation"]._cron_escalate()
            except Exception as error:  # reported below, in the test thread
                errors.append(error)

        with patch.object(DunningEscalation, "_escalate_partners", meet_then_escalate):
            threads = [threading.Thread(target=worker) for _i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(errors)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT channel, state FROM dunning_communication WHERE partner_id = %s",
                [self.partner_id],
            )
            # one e-mail in Odoo's queue; the invoice steps up once it left
            self.assertEqual(cr.fetchall(), [("email", "queued")])
            cr.execute(
                "SELECT count(*) FROM mail_mail mail"
                "  JOIN dunning_communication comm"
                "    ON comm.mail_message_id = mail.mail_message_id"
                " WHERE comm.partner_id = %s",
                [self.partner_id],
            )
            self.assertEqual(cr.fetchall(), [(1,)])
