"""Query-count guards on the nightly work: what one more customer, reminder
or plan costs in SQL queries. A regression fails here, not in a customer's
night. Each guard measures the same work for a few and for more records and
bounds the difference per record (the fixed cost of a batch is left out),
beside a positive control that the work was really done."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import DunningTestCommon

TODAY = date(2026, 7, 1)

# what one more record may cost, in queries (measured, with some room)
PER_EMAIL_REMINDER = 4
PER_CALL_REMINDER = 5
PER_SCORED_CUSTOMER = 1
PER_MONITORED_PLAN = 28


@tagged("post_install", "-at_install")
class TestNightQueryGuards(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        collector_group = cls.env.ref("customer_retention_dunning.group_collector")
        cls.collector = cls._user("sanne.guard", collector_group)
        cls.approver = cls._user("joris.guard", collector_group)
        cls.serial = 0

    def _customers(self, count, amount):
        """``count`` customers, each with one invoice 30 days overdue."""
        customers = self.env["res.partner"]
        for _index in range(count):
            type(self).serial += 1
            customer = self.env["res.partner"].create(
                {
                    "name": f"Guard Customer {self.serial}",
                    "is_company": True,
                    "email": f"guard{self.serial}@example.nl",
                    "phone": "+31 20 123 4567",
                }
            )
            self._invoice(
                amount,
                TODAY - timedelta(days=60),
                TODAY - timedelta(days=30),
                partner=customer,
            )
            customers |= customer
        return customers

    def _queries(self, work):
        self.env.flush_all()
        before = self.cr.sql_log_count
        work()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _night_for(self, customers):
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._escalate_batch(
                customers.ids, TODAY.isoformat()
            )

    def _reminders(self, customers):
        return self.env["dunning.communication"].search(
            [("partner_id", "in", customers.ids)]
        )

    def _per_record(self, few, many, work):
        """Queries of ``work(few)`` and ``work(many)``, per extra record."""
        cost_few = self._queries(lambda: work(few))
        cost_many = self._queries(lambda: work(many))
        return (cost_many - cost_few) / (len(many) - len(few))

    def test_one_more_e_mail_reminder_costs_a_bounded_number_of_queries(self):
        few, many = self._customers(2, 400.0), self._customers(8, 400.0)
        per_reminder = self._per_record(few, many, self._night_for)
        made = self._reminders(few | many)
        # positive control: every customer got its e-mail
        self.assertEqual(len(made), 10)
        self.assertEqual(set(made.mapped("channel")), {"email"})
        self.assertEqual(len(made.mail_message_id), 10)
        self.assertLessEqual(per_reminder, PER_EMAIL_REMINDER)

    def test_one_more_call_costs_a_bounded_number_of_queries(self):
        few, many = self._customers(2, 20000.0), self._customers(8, 20000.0)
        # the collector's own customers: the calls are theirs
        (few | many).user_id = self.collector
        per_reminder = self._per_record(few, many, self._night_for)
        made = self._reminders(few | many)
        self.assertEqual(len(made), 10)
        self.assertEqual(set(made.mapped("channel")), {"phone"})
        # each call is an activity for the collector, on the customer
        self.assertEqual(len(made.activity_id), 10)
        self.assertEqual(
            sorted(made.activity_id.mapped("res_id")), sorted((few | many).ids)
        )
        self.assertEqual(made.activity_id.user_id, self.collector)
        # the calls wait in the collector's activities: no e-mail for each
        self.assertFalse(
            self.env["mail.mail"].search(
                [("recipient_ids", "in", self.collector.partner_id.ids)]
            )
        )
        self.assertLessEqual(per_reminder, PER_CALL_REMINDER)

    def test_one_more_scored_customer_costs_a_bounded_number_of_queries(self):
        few, many = self._customers(2, 400.0), self._customers(8, 400.0)
        for customer in few | many:
            for days_ago in (150, 120, 90):
                self._paid_invoice(
                    300.0, TODAY - timedelta(days=days_ago), 20, partner=customer
                )

        def score(customers):
            with freeze_time(TODAY):
                self.env["res.partner"]._payment_score_batch(customers.ids)

        per_customer = self._per_record(few, many, score)
        # positive control: each customer has a score band from its history
        self.assertNotIn("none", (few | many).mapped("payment_score_band"))
        self.assertLessEqual(per_customer, PER_SCORED_CUSTOMER)

    def _active_plan(self, customer):
        invoice = self.env["account.move"].search(
            [("partner_id", "=", customer.id), ("move_type", "=", "out_invoice")]
        )
        with freeze_time(TODAY):
            action = invoice.with_user(self.collector).action_propose_payment_plan()
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(self.collector)
                .with_context(**action["context"])
            )
            wizard.instalment_count = 2
            wizard.first_date = TODAY + timedelta(days=5)
            plan = self.env["payment.plan"].browse(
                wizard.save().action_propose()["res_id"]
            )
            plan.with_user(self.approver).action_approve()
        return plan

    def test_one_more_monitored_plan_costs_a_bounded_number_of_queries(self):
        few = self._customers(1, 400.0)
        many = self._customers(4, 400.0)
        plans = {customer: self._active_plan(customer) for customer in few | many}

        def monitor(customers):
            with freeze_time(TODAY + timedelta(days=2)):
                self.env["payment.plan"].sudo()._monitor_batch(
                    [plans[customer].id for customer in customers],
                    (TODAY + timedelta(days=2)).isoformat(),
                )

        per_plan = self._per_record(few, many, monitor)
        # positive control: the instalment due in three days was announced
        monitored = self.env["payment.plan"].browse([p.id for p in plans.values()])
        self.assertEqual(set(monitored.mapped("state")), {"active"})
        self.assertTrue(all(plan.communication_ids for plan in monitored))
        self.assertLessEqual(per_plan, PER_MONITORED_PLAN)
