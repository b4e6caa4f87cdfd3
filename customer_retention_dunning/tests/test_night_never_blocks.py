"""The night never blocks the day, and the day never stops the night.

A user registering a payment or editing a customer works in a transaction
of their own while the nightly run works in another; a test transaction
cannot show that. These tests commit customers with overdue invoices through
real cursors, run the night in a thread of its own (committing as the cron
does), write from a second connection while it runs, and remove what they
committed afterwards.
"""

import threading
import time
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name, tagged

from odoo.addons.customer_retention_dunning.models.dunning_email_queue import (
    DunningCommunication,
)


@tagged("post_install", "-at_install")
class TestNightNeverBlocks(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.partner_ids, self.invoice_ids = [], []
        self.addCleanup(self._remove_committed_data)

    def _customers(self, count):
        """``count`` committed customers, each with an overdue invoice."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            today = fields.Date.context_today(env["res.partner"])
            for number in range(count):
                partner = env["res.partner"].create(
                    {
                        "name": f"Nachtklant {number} B.V.",
                        "is_company": True,
                        "email": f"debiteuren{number}@nachtklant.example.nl",
                    }
                )
                invoice = env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
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
                self.partner_ids.append(partner.id)
                self.invoice_ids.append(invoice.id)
        return self.partner_ids, self.invoice_ids

    def _remove_committed_data(self):
        if not self.partner_ids:
            return
        with self.registry.cursor() as cr:
            cr.execute(
                """
                DELETE FROM mail_message
                 WHERE model = 'dunning.communication'
                   AND res_id IN (SELECT id FROM dunning_communication
                                   WHERE partner_id = ANY(%s))
                """,
                [self.partner_ids],
            )
            cr.execute(
                "DELETE FROM dunning_communication WHERE partner_id = ANY(%s)",
                [self.partner_ids],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%s)",
                [self.partner_ids],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'account.move' AND res_id = ANY(%s)",
                [self.invoice_ids],
            )
            cr.execute(
                "DELETE FROM account_move WHERE id = ANY(%s)", [self.invoice_ids]
            )
            cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", [self.partner_ids])

    def _night_in_a_thread(self, results, errors):
        def night():
            try:
                with self.registry.cursor() as cr:
                    cr.execute("SET lock_timeout = '10s'")
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    results.append(env["dunning.escalation"]._cron_escalate())
            except Exception as error:  # reported in the test's own thread
                errors.append(error)

        return threading.Thread(target=night)

    def _reminders(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT partner_id, count(*) FROM dunning_communication
                 WHERE partner_id = ANY(%s) GROUP BY partner_id
                """,
                [self.partner_ids],
            )
            return dict(cr.fetchall())

    def test_a_customer_a_user_holds_is_left_for_later_not_waited_for(self):
        first, held, last = self._customers(3)[0]
        # a user is editing the customer: their transaction holds its row
        with self.registry.cursor() as user_cr:
            user_env = api.Environment(user_cr, SUPERUSER_ID, {})
            user_env["res.partner"].browse(held).write({"comment": "Belt back Friday"})
            user_env.flush_all()
            results, errors = [], []
            night = self._night_in_a_thread(results, errors)
            started = time.monotonic()
            night.start()
            night.join(timeout=60)
            took = time.monotonic() - started
            self.assertFalse(errors)
            # the night did not wait for the user, and says whom it left
            self.assertLess(took, 10)
            self.assertEqual(results, [[held]])
            self.assertEqual(self._reminders(), {first: 1, last: 1})
        # the user is done; the next run takes the customer, once, and
        # nobody else twice
        results, errors = [], []
        night = self._night_in_a_thread(results, errors)
        night.start()
        night.join(timeout=60)
        self.assertFalse(errors)
        self.assertEqual(results, [[]])
        self.assertEqual(self._reminders(), {first: 1, held: 1, last: 1})

    def _user_writes(self, partner_id, invoice_id):
        """A user's request: a write on the customer and on its invoice, in
        a transaction that gives up after waiting 2 s for a lock. Like
        Odoo's HTTP layer, it runs again when the database reports that the
        night changed the same row meanwhile (no wait, a fresh start)."""
        for _attempt in range(5):
            try:
                with self.registry.cursor() as user_cr:
                    user_cr.execute("SET lock_timeout = '2s'")
                    user_env = api.Environment(user_cr, SUPERUSER_ID, {})
                    user_env["res.partner"].browse(partner_id).write(
                        {"comment": "Called, pays this week"}
                    )
                    user_env["account.move"].browse(invoice_id).write(
                        {"ref": "bank statement line 42"}
                    )
                    user_env.flush_all()
                return
            except errors.SerializationFailure:
                continue

    def test_a_users_write_never_waits_more_than_two_seconds(self):
        partner_ids, invoice_ids = self._customers(8)
        # each reminder takes its time (a heavy template, a slow disk): 8
        # customers take some 2.4 s, more than a user may wait
        started = threading.Event()
        original = DunningCommunication._queue_emails

        def slow_emails(communications, prepared):
            started.set()
            time.sleep(0.3 * len(communications))
            return original(communications, prepared)

        results, errors, waits = [], [], []
        with patch.object(DunningCommunication, "_queue_emails", slow_emails):
            night = self._night_in_a_thread(results, errors)
            night.start()
            self.assertTrue(started.wait(timeout=30))
            # meanwhile: a user edits every customer and registers something
            # on every invoice, each in a transaction that gives up after 2 s
            for partner_id, invoice_id in zip(partner_ids, invoice_ids, strict=True):
                before = time.monotonic()
                self._user_writes(partner_id, invoice_id)
                waits.append(time.monotonic() - before)
            night.join(timeout=120)
        self.assertFalse(errors)
        self.assertEqual(len(waits), 8)
        self.assertLess(max(waits), 2.0)
        # the night reminded every customer once: those a user held at the
        # very moment it came back for them are left for the next run
        reminded = self._reminders()
        self.assertEqual(sorted([*reminded, *results[0]]), sorted(partner_ids))
        self.assertEqual(set(reminded.values()), {1})
