"""One customer that fails never stops the night for the others: each step
handles its records one by one, notes a failure on the record itself with
the reason, and leaves that record as it was."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.customer_retention_dunning.models.dunning_escalation import (
    DunningEscalation,
)
from odoo.addons.customer_retention_dunning.models.dunning_promise import (
    DunningPromise,
)
from odoo.addons.customer_retention_dunning.models.payment_plan import PaymentPlan

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestNightIsolation(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Slagerij Vos",
                "is_company": True,
                "email": "vos@example.nl",
                "street": "Dorpsstraat 2",
                "zip": "1234 AB",
                "city": "Edam",
                "country_id": cls.env.ref("base.nl").id,
            }
        )
        cls.invoice = cls._invoice(
            500, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        cls.other_invoice = cls._invoice(
            700, TODAY - timedelta(days=60), TODAY - timedelta(days=30), cls.other
        )

    def _note(self, record):
        return " ".join(record.message_ids.mapped("body"))

    def test_a_failing_promise_is_noted_and_the_others_are_checked(self):
        with freeze_time(TODAY - timedelta(days=20)):
            failing, checked = (
                self.env["dunning.promise"].create(
                    {
                        "partner_id": partner.id,
                        "move_ids": [Command.set(invoice.ids)],
                        "date": TODAY - timedelta(days=10),
                    }
                )
                for partner, invoice in (
                    (self.customer, self.invoice),
                    (self.other, self.other_invoice),
                )
            )
        original = DunningPromise._release_invoices

        def release(promises):
            if promises == failing:
                raise ValueError("invoice locked by an import")
            return original(promises)

        with (
            freeze_time(TODAY),
            patch.object(DunningPromise, "_release_invoices", release),
            mute_logger("odoo.addons.customer_retention_dunning.models.cron_batches"),
        ):
            self.env["dunning.promise"].sudo()._check_promises(TODAY)
        # both were broken (10 days ago, grace passed); one could not be
        self.assertEqual(checked.state, "broken")
        self.assertEqual(checked.move_ids.promise_date, False)
        self.assertEqual(failing.state, "open")
        self.assertEqual(failing.move_ids.promise_date, TODAY - timedelta(days=10))
        self.assertIn("invoice locked by an import", self._note(failing))
        self.assertIn("promise check", self._note(failing))

    def test_a_failing_credit_hold_is_noted_and_the_others_are_held(self):
        for partner in (self.customer, self.other):
            partner.credit_hold_date = TODAY - timedelta(days=1)
        original = DunningEscalation._start_credit_hold

        def start(escalation, partner, company, still_overdue):
            if partner == self.customer:
                raise ValueError("customer row locked")
            return original(escalation, partner, company, still_overdue)

        with (
            patch.object(DunningEscalation, "_start_credit_hold", start),
            mute_logger("odoo.addons.customer_retention_dunning.models.cron_batches"),
        ):
            self.env["dunning.escalation"].sudo()._apply_credit_holds(TODAY)
        self.assertTrue(self.other.credit_hold)
        self.assertFalse(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_date, TODAY - timedelta(days=1))
        self.assertIn("customer row locked", self._note(self.customer))

    def test_a_failing_plan_is_noted_and_the_others_are_monitored(self):
        self.env.company.write(
            {"payment_plan_break_days": 3, "payment_plan_min_instalment": 10.0}
        )
        approver = self._user(
            "carla.night",
            self.env.ref("customer_retention_dunning.group_credit_manager"),
        )
        plans = self.env["payment.plan"]
        for invoice in (self.invoice, self.other_invoice):
            with freeze_time(TODAY):
                wizard = self.env["payment.plan.wizard"].create(
                    {
                        "move_ids": [Command.set(invoice.ids)],
                        "installment_count": 2,
                        "frequency": "monthly",
                        "first_date": TODAY + timedelta(days=5),
                    }
                )
                plan = plans.browse(wizard.action_create()["res_id"])
                plan.action_submit()
                plan.with_user(approver).action_approve()
            plans |= plan
        failing, monitored = plans
        original = PaymentPlan._monitor

        def monitor(plan, today):
            if plan == failing:
                raise ValueError("corrupt schedule")
            return original(plan, today)

        # nothing paid 10 days after the first instalment: both are broken
        with (
            freeze_time(TODAY + timedelta(days=15)),
            patch.object(PaymentPlan, "_monitor", monitor),
            mute_logger("odoo.addons.customer_retention_dunning.models.cron_batches"),
        ):
            self.env["payment.plan"].sudo()._cron_monitor(batch_size=1)
        self.assertEqual(monitored.state, "broken")
        self.assertEqual(failing.state, "active")
        self.assertIn("corrupt schedule", self._note(failing))

    def test_a_run_killed_between_two_batches_finishes_the_day_without_duplicates(self):
        third = self.env["res.partner"].create(
            {"name": "Bloemist Roos", "is_company": True, "email": "roos@example.nl"}
        )
        self._invoice(
            900, TODAY - timedelta(days=60), TODAY - timedelta(days=30), third
        )
        customers = self.customer | self.other | third
        original = DunningEscalation._escalate_partners
        calls = []

        def killed_on_the_second_batch(escalation, partner_ids, today):
            # batches go by customer id: the customer's, then the other's
            if self.other.id in partner_ids:
                raise MemoryError("the worker was killed")
            calls.append(partner_ids)
            return original(escalation, partner_ids, today)

        Communication = self.env["dunning.communication"]
        killed = False
        with (
            freeze_time(TODAY),
            patch.object(
                DunningEscalation, "_escalate_partners", killed_on_the_second_batch
            ),
        ):
            # not assertRaises: Odoo's rolls back what was done before
            try:
                self.env["dunning.escalation"].sudo()._cron_escalate(batch_size=1)
            except MemoryError:
                killed = True
        self.assertTrue(killed)
        # the batches before it were done (committed, outside a test)
        done = Communication.search([("partner_id", "in", customers.ids)])
        self.assertEqual(done.partner_id, self.customer)
        self.assertIn([self.customer.id], calls)
        # started again the same day: every customer once, the first not again
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._cron_escalate(batch_size=1)
        reminders = Communication.search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(reminders), 3)
        self.assertEqual(reminders.partner_id, customers)
        self.assertIn(done, reminders)
