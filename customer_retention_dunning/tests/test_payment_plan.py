"""Payment plans as the collector, the credit manager and the customer see
them: proposal, four-eyes approval, instalments, broken and kept plans."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestPaymentPlan(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        collector_group = cls.env.ref("customer_retention_dunning.group_collector")
        manager_group = cls.env.ref("customer_retention_dunning.group_credit_manager")
        cls.collector = cls._user("sanne.plan", collector_group, name="Sanne Collector")
        cls.other_collector = cls._user(
            "joris.plan", collector_group, name="Joris Collector"
        )
        cls.manager = cls._user("carla.plan", manager_group, name="Carla Credit")
        cls.env.company.write(
            {
                "payment_plan_approval_amount": 5000.0,
                "payment_plan_max_months": 12,
                "payment_plan_min_instalment": 25.0,
                "payment_plan_break_days": 7,
                "payment_plan_reminder_days": 3,
            }
        )
        cls.first = cls._invoice(
            600, TODAY - timedelta(days=70), TODAY - timedelta(days=40)
        )
        cls.second = cls._invoice(
            300, TODAY - timedelta(days=50), TODAY - timedelta(days=20)
        )

    def _propose(self, invoices=None, user=None, **values):
        invoices = invoices if invoices is not None else self.first | self.second
        with freeze_time(TODAY):
            action = invoices.with_user(
                user or self.collector
            ).action_propose_payment_plan()
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(user or self.collector)
                .with_context(**action["context"])
            )
            if "instalment_amount" in values:
                wizard.schedule_by = "amount"
                wizard.instalment_amount = values["instalment_amount"]
            else:
                wizard.instalment_count = values.get("count", 3)
            wizard.frequency = values.get("frequency", "monthly")
            wizard.first_date = values.get("first_date", TODAY + timedelta(days=5))
            wizard.down_payment = values.get("down_payment", 0.0)
            result = wizard.save().action_propose()
        return self.env["payment.plan"].browse(result["res_id"])

    def _plans(self):
        return self.env["payment.plan"].search([("partner_id", "=", self.customer.id)])

    def _run_nightly(self, on_date):
        with freeze_time(on_date):
            self.env["payment.plan"].sudo()._cron_monitor()
            self.env["dunning.escalation"].sudo()._cron_escalate()
            self._deliver_outbox()

    def test_a_collector_proposes_from_two_overdue_invoices(self):
        plan = self._propose()
        self.assertRecordValues(
            plan,
            [
                {
                    "state": "to_approve",
                    "partner_id": self.customer.id,
                    "amount_total": 900.0,
                    "proposed_by_id": self.collector.id,
                }
            ],
        )
        self.assertEqual(plan.move_ids, self.first | self.second)
        self.assertEqual(plan.line_ids.mapped("amount"), [300.0, 300.0, 300.0])
        self.assertEqual(
            plan.line_ids.mapped("date"),
            [date(2026, 7, 5), date(2026, 8, 5), date(2026, 9, 5)],
        )
        # every credit manager finds it in their activities, the author not
        activities = plan.sudo().activity_ids
        managers = self.env.ref("customer_retention_dunning.group_credit_manager").users
        self.assertIn(self.manager, activities.user_id)
        self.assertNotIn(self.collector, activities.user_id)
        self.assertLessEqual(activities.user_id, managers)
        with freeze_time(TODAY):
            plan.with_user(self.manager).action_approve()
        self.assertFalse(plan.sudo().activity_ids)

    def test_other_modules_create_a_draft_plan_by_the_public_names(self):
        with freeze_time(TODAY):
            wizard = (
                self.env["payment.plan.wizard"]
                .with_user(self.collector)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [Command.set((self.first | self.second).ids)],
                        "installment_count": 3,
                        "frequency": "monthly",
                        "first_date": TODAY + timedelta(days=5),
                        "down_payment": 0.0,
                    }
                )
            )
            wizard.action_create()
        plan = self._plans()
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.instalment_count, 3)
        self.assertEqual(
            plan.line_ids.sorted("date_due").mapped("date_due"),
            [date(2026, 7, 5), date(2026, 8, 5), date(2026, 9, 5)],
        )
        self.assertEqual(sum(plan.line_ids.mapped("amount")), 900.0)
        self.assertFalse(plan.activity_ids)

    def test_an_instalment_amount_sets_the_number_of_instalments(self):
        plan = self._propose(instalment_amount=400)
        self.assertEqual(plan.line_ids.mapped("amount"), [400.0, 400.0, 100.0])
        self.assertEqual(sum(plan.line_ids.mapped("amount")), plan.amount_total)

    def test_a_plan_sent_for_approval_is_never_deleted(self):
        plan = self._propose()
        with self.assertRaisesRegex(UserError, "never deleted"):
            plan.sudo().unlink()
        self.assertTrue(plan.exists())

    def test_bad_proposals_are_refused_and_leave_nothing_behind(self):
        other = self.env["res.partner"].create({"name": "Slagerij Vos"})
        foreign = self._invoice(
            200, TODAY - timedelta(days=40), TODAY - timedelta(days=10), other
        )
        paid = self._invoice(
            100, TODAY - timedelta(days=40), TODAY - timedelta(days=10)
        )
        self._pay(paid, TODAY - timedelta(days=5))
        cases = [
            ({"invoices": self.first | foreign}, "one customer"),
            ({"invoices": self.first | paid}, "not open"),
            ({"count": 24}, "at most 12 months"),
            ({"count": 40, "frequency": "weekly"}, "below the minimum"),
            ({"first_date": TODAY - timedelta(days=1)}, "in the past"),
            ({"count": 0}, "at least one instalment"),
        ]
        for values, message in cases:
            # refused before anything is written, not only rolled back
            with self.subTest(message), self.assertRaisesRegex(UserError, message):
                self._propose(**values)
            self.assertFalse(self._plans(), message)
        with (
            freeze_time(TODAY),
            self.assertRaisesRegex(UserError, "at least one open invoice"),
        ):
            self.env["payment.plan.wizard"].with_user(self.collector).create(
                {"partner_id": self.customer.id}
            ).action_propose()
        self.assertFalse(self._plans())

    def test_four_eyes_and_the_credit_manager_above_the_limit(self):
        plan = self._propose()
        with self.assertRaisesRegex(UserError, "Four eyes"):
            plan.with_user(self.collector).action_approve()
        # a credit manager is bound by it too
        own = self._propose(user=self.manager, invoices=self.first)
        with self.assertRaisesRegex(UserError, "Four eyes"):
            own.with_user(self.manager).action_approve()
        self.env.company.payment_plan_approval_amount = 500.0
        self.assertTrue(plan.needs_credit_manager)
        with self.assertRaisesRegex(UserError, "credit manager"):
            plan.with_user(self.other_collector).action_approve()
        with freeze_time(TODAY):
            plan.with_user(self.manager).action_approve()
        self.assertRecordValues(
            plan, [{"state": "active", "approved_by_id": self.manager.id}]
        )

    def test_approval_confirms_the_schedule_and_pauses_dunning(self):
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        self.assertEqual((self.first | self.second).payment_plan_id, plan)
        confirmation = plan.communication_ids
        self.assertEqual(len(confirmation), 1)
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", confirmation.mail_message_id.id)]
        )
        self.assertIn(plan.name, mail.subject)
        self.assertIn("300.00", mail.body_html)
        self.assertIn("07/05/2026", mail.body_html)
        self.assertIn(plan.name, str(self.first.message_ids[:1].body))
        self.assertIn(plan.name, str(self.customer.message_ids.mapped("body")))
        # no reminder for invoices in an active plan
        self._run_nightly(TODAY + timedelta(days=1))
        reminders = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id), ("trigger", "=", "cron")]
        )
        self.assertFalse(reminders)

    def test_rejection_returns_the_plan_to_its_author_with_the_reason(self):
        plan = self._propose()
        wizard = (
            self.env["payment.plan.reason.wizard"]
            .with_user(self.other_collector)
            .create(
                {
                    "plan_id": plan.id,
                    "action": "reject",
                    "reason": "Ask for a down payment",
                }
            )
        )
        wizard.action_confirm()
        self.assertRecordValues(
            plan, [{"state": "draft", "reject_reason": "Ask for a down payment"}]
        )
        # the author finds it in their activities
        self.assertEqual(
            plan.with_user(self.collector).activity_ids.user_id, self.collector
        )
        self.assertFalse((self.first | self.second).payment_plan_id)

    def test_payments_fill_the_instalments_in_date_order(self):
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        with freeze_time(TODAY + timedelta(days=4)):
            self._pay(self.first, TODAY + timedelta(days=4), amount=450)
        # the instalments follow the payment at once, not only at night
        self.assertEqual(plan.line_ids.mapped("amount_paid"), [300.0, 150.0, 0.0])
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "open", "open"])
        self.assertEqual(plan.amount_paid, 450.0)
        self.assertAlmostEqual(plan.progress, 50.0)
        plan._update_payments(date(2026, 8, 6))
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "late", "open"])

    def test_a_friendly_reminder_before_each_instalment_once(self):
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        self._run_nightly(date(2026, 7, 1))
        self.assertFalse(plan.communication_ids.filtered("payment_plan_line_id"))
        self._run_nightly(date(2026, 7, 2))
        self._run_nightly(date(2026, 7, 3))
        reminder = plan.communication_ids.filtered("payment_plan_line_id")
        self.assertEqual(len(reminder), 1)
        self.assertRecordValues(
            reminder,
            [
                {
                    "trigger": "plan",
                    "amount": 300.0,
                    "payment_plan_line_id": plan.line_ids[0].id,
                }
            ],
        )

    def test_a_missed_instalment_breaks_the_plan_and_dunning_resumes_where_it_was(self):
        # the invoice had reached a level before the plan
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._cron_escalate()
            self._deliver_outbox()
        level = self.first.dunning_level_id
        self.assertTrue(level)
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        self._run_nightly(date(2026, 7, 12))
        self.assertEqual(plan.state, "active")
        self._run_nightly(date(2026, 7, 13))
        self.assertEqual(plan.state, "broken")
        self.assertFalse((self.first | self.second).payment_plan_id)
        self.assertGreaterEqual(self.first.dunning_level_id.sequence, level.sequence)
        told = plan.communication_ids.filtered(
            lambda c: (
                c.mail_template_id
                == self.env.ref(
                    "customer_retention_dunning.mail_template_payment_plan_broken"
                )
            )
        )
        self.assertEqual(len(told), 1)
        self.assertIn(
            "broken",
            " ".join(self.customer.activity_ids.mapped("summary")),
        )
        self.assertEqual(
            self.customer._payment_score_commitments()[self.customer.id][
                "plans_broken"
            ],
            1,
        )
        # back in the nightly dunning, at the next step after the one it had
        reminders = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id), ("trigger", "=", "cron")]
        )
        self.assertIn(self.first, reminders.move_ids)

    def test_a_broken_plan_is_reopened_once_by_a_credit_manager(self):
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        self._run_nightly(date(2026, 7, 13))
        self.assertEqual(plan.state, "broken")
        with self.assertRaises(UserError):
            plan.with_user(self.collector).action_reopen()
        with freeze_time(date(2026, 7, 14)):
            plan.with_user(self.manager).action_reopen()
            self.assertEqual(plan.state, "draft")
            plan.with_user(self.collector).action_submit()
            plan.with_user(self.manager).action_approve()
        self._run_nightly(date(2026, 8, 30))
        self.assertEqual(plan.state, "broken")
        with self.assertRaisesRegex(UserError, "once"):
            plan.with_user(self.manager).action_reopen()

    def test_a_plan_paid_in_full_is_done_and_the_customer_thanked(self):
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        self._pay(self.first | self.second, date(2026, 7, 4))
        self._run_nightly(date(2026, 7, 4))
        self.assertEqual(plan.state, "done")
        self.assertEqual(plan.line_ids.mapped("state"), ["paid"] * 3)
        thanks = plan.communication_ids.filtered(
            lambda c: (
                c.mail_template_id
                == self.env.ref(
                    "customer_retention_dunning.mail_template_payment_plan_done"
                )
            )
        )
        self.assertEqual(len(thanks), 1)
        self.assertEqual(
            self.customer._payment_score_commitments()[self.customer.id]["plans_kept"],
            1,
        )

    def _credit(self, invoice, on_date):
        """A credit note for all the invoice still owes, matched with it as
        the accountant does: a reversal, or a credit note of its own."""
        with freeze_time(on_date):
            return invoice._reverse_moves(
                [{"date": on_date, "invoice_date": on_date}], cancel=True
            )

    def _monitor(self, on_date):
        with freeze_time(on_date):
            self.env["payment.plan"].sudo()._cron_monitor()

    def _thanks(self, plan):
        done = self.env.ref(
            "customer_retention_dunning.mail_template_payment_plan_done"
        )
        return plan.communication_ids.filtered(lambda c: c.mail_template_id == done)

    def test_a_plan_whose_invoices_were_credited_is_settled_not_kept(self):
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        reversal = self._credit(self.first, date(2026, 7, 2))
        # the second one by a credit note of its own, matched by hand
        credit_note = self._invoice(
            300, date(2026, 7, 2), partner=self.customer, move_type="out_refund"
        )
        receivable = credit_note.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        self.second.js_assign_outstanding_line(receivable.id)
        self.assertEqual(
            (self.first | self.second).mapped("payment_state"), ["reversed"] * 2
        )
        self._monitor(date(2026, 7, 3))
        self.assertEqual(plan.state, "settled_credit")
        self.assertFalse((self.first | self.second).payment_plan_id)
        # no thank-you, not counted as kept by the score nor the outcomes
        self.assertFalse(self._thanks(plan))
        self.assertNotIn(
            "plans_kept", self.customer._payment_score_commitments()[self.customer.id]
        )
        outcome = self.env["dunning.outcome.report"].search(
            [("partner_id", "=", self.customer.id), ("kind", "=", "plan")]
        )
        self.assertEqual(outcome.mapped("outcome"), ["credited"])
        note = plan.message_ids.filtered(
            lambda message: "credit notes" in str(message.body)
        )
        self.assertEqual(len(note), 1)
        for name in (reversal.name, credit_note.name):
            self.assertIn(name, str(note.body))
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        # closed: a credit manager cannot cancel it any more
        with self.assertRaisesRegex(UserError, "already closed"):
            plan.with_user(self.manager).action_cancel("Too late")
        # the next night leaves it as it is
        self._monitor(date(2026, 7, 4))
        self.assertEqual(plan.state, "settled_credit")

    def test_a_plan_partly_credited_and_the_rest_paid_is_kept(self):
        # positive control of the rule: one invoice credited, the other paid
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        self._credit(self.first, date(2026, 7, 2))
        self._pay(self.second, date(2026, 7, 3))
        self.assertEqual(self.first.payment_state, "reversed")
        self.assertIn(self.second.payment_state, ("paid", "in_payment"))
        self._monitor(date(2026, 7, 3))
        self.assertEqual(plan.state, "done")
        self.assertEqual(len(self._thanks(plan)), 1)
        self.assertEqual(
            self.customer._payment_score_commitments()[self.customer.id]["plans_kept"],
            1,
        )
        outcome = self.env["dunning.outcome.report"].search(
            [("partner_id", "=", self.customer.id), ("kind", "=", "plan")]
        )
        self.assertEqual(outcome.mapped("outcome"), ["kept"])

    def test_only_a_credit_manager_cancels_with_a_reason(self):
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        with self.assertRaisesRegex(UserError, "credit manager"):
            plan.with_user(self.collector).action_cancel("No longer needed")
        with self.assertRaisesRegex(UserError, "reason"):
            plan.with_user(self.manager).action_cancel("")
        plan.with_user(self.manager).action_cancel("Customer sold the business")
        self.assertRecordValues(
            plan,
            [{"state": "cancelled", "cancel_reason": "Customer sold the business"}],
        )
        self.assertFalse((self.first | self.second).payment_plan_id)
        self.assertTrue(plan.exists())

    def test_a_portal_user_sees_only_their_own_companys_plans(self):
        plan = self._propose()
        with freeze_time(TODAY):
            plan.with_user(self.other_collector).action_approve()
        other = self.env["res.partner"].create(
            {"name": "Slagerij Vos", "is_company": True}
        )
        invoice = self._invoice(
            800, TODAY - timedelta(days=40), TODAY - timedelta(days=10), other
        )
        other_plan = self._propose(invoices=invoice)
        with freeze_time(TODAY):
            other_plan.with_user(self.other_collector).action_approve()
        contact = self.env["res.partner"].create(
            {
                "name": "Anna de Vries",
                "parent_id": self.customer.id,
                "email": "anna@x.nl",
            }
        )
        portal = self.env["res.users"].create(
            {
                "name": "Anna",
                "login": "anna.portal.plan",
                "partner_id": contact.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        visible = self.env["payment.plan"].with_user(portal).search([])
        self.assertEqual(visible, plan)
        self.assertEqual(
            self.env["payment.plan.line"].with_user(portal).search([]), plan.line_ids
        )
        with self.assertRaises(AccessError):
            other_plan.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            plan.with_user(portal).write({"instalment_count": 1})
