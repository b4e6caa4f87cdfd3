"""The customer's own answer (dispute, promise, plan request) lands where a
collector would have put it, under the same rules; bad input writes nothing.

The portal routes call these methods after checking who asks; here they are
called as the route calls them (sudo), and what the staff then does with
the answer is done as each role's own user."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestCustomerAnswer(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.today = fields.Date.context_today(cls.customer)
        cls.collector = cls._user(
            "sanne.answer", cls.env.ref("customer_retention_dunning.group_collector")
        )
        cls.senior = cls._user(
            "joost.answer",
            cls.env.ref("customer_retention_dunning.group_collector_senior"),
        )
        cls.manager = cls._user(
            "marieke.answer",
            cls.env.ref("customer_retention_dunning.group_credit_manager"),
        )
        cls.customer.with_company(cls.env.company).dunning_collector_id = cls.collector
        cls.env.company.write(
            {
                "dunning_promise_max_days": 30,
                "payment_plan_max_months": 12,
                "payment_plan_min_instalment": 0.0,
            }
        )
        # 800 due 40 days ago and 400 due 20 days ago: 1,200 open
        cls.old = cls._invoice(
            800, cls.today - timedelta(days=70), cls.today - timedelta(days=40)
        )
        cls.recent = cls._invoice(
            400, cls.today - timedelta(days=50), cls.today - timedelta(days=20)
        )
        cls.invoices = cls.old | cls.recent

    # ------------------------------------------------------------
    # dispute
    # ------------------------------------------------------------

    def test_a_dispute_stops_the_reminders_and_reaches_the_collector(self):
        self.old.sudo()._dunning_customer_dispute(
            "We received 8 pallets, not 10.", ("delivery-note.pdf", b"%PDF-1.4 note")
        )
        self.assertRecordValues(
            self.old,
            [
                {
                    "dunning_blocked": True,
                    "dunning_block_reason": "Customer: We received 8 pallets, not 10.",
                    "dunning_blocked_date": self.today,
                }
            ],
        )
        # the collector's activity, and the customer's words with the file
        activity = self.old.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        self.assertEqual(activity.summary, "Invoice disputed by the customer")
        message = self.old.message_ids.filtered(
            lambda m: "We received 8 pallets" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.customer)
        self.assertEqual(message.attachment_ids.name, "delivery-note.pdf")
        # it shows in the collector's Disputed Invoices, the other does not
        action = self.env.ref("customer_retention_dunning.account_move_action_disputes")
        disputed = (
            self.env["account.move"]
            .with_user(self.collector)
            .search(
                [
                    *safe_eval(action.domain),
                    ("partner_id", "=", self.customer.id),
                ]
            )
        )
        self.assertEqual(disputed, self.old)

    def test_a_bad_dispute_writes_nothing(self):
        for reason, message in (
            ("   ", "Please tell us why"),
            ("x" * 2001, "under 2000 characters"),
        ):
            with self.assertRaisesRegex(UserError, message):
                self.old.sudo()._dunning_customer_dispute(reason)
        self._pay(self.recent, self.today)
        with self.assertRaisesRegex(UserError, "nothing left to pay"):
            self.recent.sudo()._dunning_customer_dispute("Wrong price")
        self.assertFalse((self.old | self.recent).filtered("dunning_blocked"))
        self.assertFalse(self.old.activity_ids)
        # positive control: the same invoice with a reason is disputed
        self.old.sudo()._dunning_customer_dispute("Wrong price")
        self.assertTrue(self.old.dunning_blocked)
        with self.assertRaisesRegex(UserError, "received your dispute"):
            self.old.sudo()._dunning_customer_dispute("Wrong price again")
        self.assertEqual(len(self.old.activity_ids), 1)

    # ------------------------------------------------------------
    # promise
    # ------------------------------------------------------------

    def test_a_promise_is_taken_as_a_collector_would(self):
        promised = self.today + timedelta(days=10)
        promise = self.old.sudo()._dunning_customer_promise(promised)
        self.assertRecordValues(
            promise,
            [
                {
                    "partner_id": self.customer.id,
                    "date": promised,
                    "amount": 800.0,
                    "user_id": self.collector.id,
                    "from_customer": True,
                    "state": "open",
                }
            ],
        )
        self.assertEqual(self.old.promise_date, promised)
        self.assertFalse(self.recent.promise_date)
        # the same check as a collector's promise: broken after date + grace
        grace = self.env.company.dunning_promise_grace_days
        self.env["dunning.promise"]._check_promises(
            promised + timedelta(days=grace + 1)
        )
        self.assertEqual(promise.state, "broken")
        self.assertFalse(self.old.promise_date)
        self.assertEqual(
            self.customer.activity_ids.filtered(
                lambda a: a.summary == "Promise to pay broken"
            ).user_id,
            self.collector,
        )

    def test_a_promise_out_of_bounds_writes_nothing(self):
        Promise = self.env["dunning.promise"]
        with self.assertRaisesRegex(ValidationError, "30 days ahead at most"):
            self.old.sudo()._dunning_customer_promise(self.today + timedelta(days=31))
        with self.assertRaisesRegex(ValidationError, "cannot lie in the past"):
            self.old.sudo()._dunning_customer_promise(self.today - timedelta(days=1))
        with self.assertRaisesRegex(UserError, "choose the date"):
            self.old.sudo()._dunning_customer_promise(None)
        self.assertFalse(Promise.search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(self.old.promise_date)
        # positive control: the last day within the limit is taken, once
        self.old.sudo()._dunning_customer_promise(self.today + timedelta(days=30))
        with self.assertRaisesRegex(UserError, "promised already"):
            self.old.sudo()._dunning_customer_promise(self.today + timedelta(days=5))
        self.assertEqual(
            len(Promise.search([("partner_id", "=", self.customer.id)])), 1
        )

    # ------------------------------------------------------------
    # payment plan request
    # ------------------------------------------------------------

    def _request(self, invoices=None, count=3, frequency="monthly"):
        return (
            self.env["payment.plan"]
            .sudo()
            ._request_from_customer(invoices or self.invoices, count, frequency)
        )

    def test_a_plan_request_goes_through_the_four_eyes(self):
        plan = self._request()
        self.assertRecordValues(
            plan,
            [
                {
                    "state": "draft",
                    "requested_by_customer": True,
                    "partner_id": self.customer.id,
                    "amount_total": 1200.0,
                    "instalment_count": 3,
                    "first_date": self.today + timedelta(days=7),
                }
            ],
        )
        self.assertFalse(plan.proposed_by_id)
        # 1,200 in three: 400 each
        self.assertEqual(plan.line_ids.mapped("amount"), [400.0, 400.0, 400.0])
        self.assertEqual(plan.activity_ids.user_id, self.collector)
        # the collector submits it; as its submitter she may not approve it
        plan.with_user(self.collector).action_submit()
        self.assertEqual(plan.state, "to_approve")
        with self.assertRaisesRegex(UserError, "Four eyes"):
            plan.with_user(self.collector).action_approve()
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "active")
        self.assertEqual(self.invoices.payment_plan_id, plan)
        # the customer is told the outcome
        told = plan.communication_ids.filtered(
            lambda c: (
                c.mail_template_id
                == self.env.ref(
                    "customer_retention_dunning.mail_template_payment_plan_approved"
                )
            )
        )
        self.assertEqual(told.recipient_id, self.customer)
        # headed as what it is about, in the customer's layout
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", told.mail_message_id.id)])
        )
        self.assertIn("Payment plan", mail.body_html)
        self.assertNotIn("Payment reminder", mail.body_html)

    def test_a_declined_request_is_told_to_the_customer(self):
        plan = self._request()
        plan.with_user(self.manager).action_cancel("Twelve months is too long.")
        self.assertEqual(plan.state, "cancelled")
        told = plan.communication_ids
        self.assertEqual(
            told.mail_template_id,
            self.env.ref(
                "customer_retention_dunning.mail_template_payment_plan_declined"
            ),
        )
        self.assertIn("Twelve months is too long.", told.mail_message_id.body)
        # positive control: a plan a collector proposed tells nobody so
        own = self.env["payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [fields.Command.set(self.old.ids)],
                "first_date": self.today + timedelta(days=7),
            }
        )
        own.with_user(self.manager).action_cancel("Entered twice.")
        self.assertFalse(own.communication_ids)

    def test_a_bad_plan_request_writes_nothing(self):
        Plan = self.env["payment.plan"]
        other = self.env["res.partner"].create(
            {"name": "Slagerij Vos", "is_company": True}
        )
        foreign = self._invoice(
            300,
            self.today - timedelta(days=50),
            self.today - timedelta(days=20),
            partner=other,
        )
        for kwargs, message in (
            ({"count": 25}, "between 2 and 24"),
            ({"count": 1}, "between 2 and 24"),
            ({"frequency": "daily"}, "weekly, every two weeks or monthly"),
            ({"invoices": self.old | foreign}, "one customer and one company"),
            # 24 monthly instalments run past the company's 12 months
            ({"count": 24}, "at most 12 months"),
        ):
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(UserError, message),
            ):
                self._request(**kwargs)
        self.assertFalse(
            Plan.search([("partner_id", "in", (self.customer | other).ids)])
        )
        # positive control, then the same invoices once more
        self._request(count=12)
        with self.assertRaisesRegex(UserError, "being reviewed already"):
            self._request(invoices=self.old)
        self.assertEqual(Plan.search_count([("partner_id", "=", self.customer.id)]), 1)

    def test_an_invoice_in_a_plan_is_paid_by_its_instalment(self):
        plan = self._request(count=3)
        plan.with_user(self.collector).action_submit()
        plan.with_user(self.manager).action_approve()
        # 400 due on the first date, for each invoice (never more than it owes)
        for invoice in self.invoices:
            values = invoice._get_invoice_next_payment_values()
            self.assertEqual(values["next_amount_to_pay"], 400.0)
            self.assertEqual(values["next_due_date"], self.today + timedelta(days=7))
            self.assertEqual(values["installment_state"], "next")
        # a promise on a plan invoice is refused: the plan is the promise
        with self.assertRaisesRegex(UserError, "paid through payment plan"):
            self.old.sudo()._dunning_customer_promise(self.today + timedelta(days=5))
        # positive control: an invoice outside the plan pays in full
        single = self._invoice(
            250, self.today - timedelta(days=40), self.today - timedelta(days=10)
        )
        self.assertEqual(
            single._get_invoice_next_payment_values()["next_amount_to_pay"], 250.0
        )
