"""Bad input is refused with a clear message and writes nothing."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestBoundedInput(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.env.company.write(
            {
                "dunning_promise_max_days": 30,
                "payment_plan_min_instalment": 10.0,
                "payment_plan_max_months": 12,
            }
        )
        cls.invoice = cls._invoice(
            600, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )

    def _promise(self, days_ahead, amount=None):
        values = {
            "partner_id": self.customer.id,
            "move_ids": [Command.set(self.invoice.ids)],
            "date": TODAY + timedelta(days=days_ahead),
        }
        if amount is not None:
            values["amount"] = amount
        return self.env["dunning.promise"].create(values)

    def test_a_promise_reaches_no_further_than_the_companys_limit(self):
        with self.assertRaisesRegex(ValidationError, "30 days ahead at most"):
            self._promise(31)
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._promise(10, amount=-5.0)
        self.assertFalse(self.invoice.promise_date)
        # positive control: the last day of the limit is fine
        promise = self._promise(30)
        self.assertEqual(self.invoice.promise_date, date(2026, 7, 30))
        self.assertEqual(promise.state, "open")

    def test_the_promise_limit_is_at_least_a_day(self):
        with self.assertRaises(ValidationError):
            self.env.company.dunning_promise_max_days = 0
        with self.assertRaises(ValidationError):
            self.env.company.dunning_promise_grace_days = -1
        self.assertEqual(self.env.company.dunning_promise_max_days, 30)

    def test_a_level_waits_at_least_a_day_after_the_previous_reminder(self):
        manager = self._user(
            "carla.levels",
            self.env.ref("customer_retention_dunning.group_credit_manager"),
        )
        profile = (
            self.env["dunning.profile"]
            .with_user(manager)
            .create(
                {
                    "name": "Kort",
                    "level_ids": [
                        Command.create(
                            {"sequence": 10, "name": "Vooraf", "days_after_due": -2}
                        ),
                        Command.create(
                            {"sequence": 20, "name": "Herinnering", "days_after_due": 3}
                        ),
                    ],
                }
            )
        )
        proactive, overdue = profile.level_ids.sorted("sequence")
        # a proactive level (before the due date) as much as a later one
        for level in (proactive, overdue):
            for days in (0, -1):
                with (
                    self.subTest(level=level.name, days=days),
                    self.assertRaisesRegex(ValidationError, "at least 1"),
                    self.env.cr.savepoint(),
                ):
                    level.min_interval_days = days
            self.assertEqual(level.min_interval_days, 15)
        with (
            self.assertRaisesRegex(ValidationError, "at least 1"),
            self.env.cr.savepoint(),
        ):
            profile.write(
                {
                    "level_ids": [
                        Command.create(
                            {
                                "sequence": 30,
                                "name": "Direct",
                                "days_after_due": 5,
                                "min_interval_days": 0,
                            }
                        )
                    ]
                }
            )
        self.assertEqual(len(profile.level_ids), 2)
        # positive control: one day is enough, for either kind of level
        proactive.min_interval_days = 1
        overdue.min_interval_days = 1
        self.assertEqual(profile.level_ids.mapped("min_interval_days"), [1, 1])

    def _wizard(self, **values):
        return self.env["payment.plan.wizard"].create(
            {
                "move_ids": [Command.set(self.invoice.ids)],
                "installment_count": 3,
                "frequency": "monthly",
                "first_date": TODAY + timedelta(days=5),
                **values,
            }
        )

    def test_plan_amounts_are_never_negative(self):
        # positive control first: without a negative amount the plan is made
        plan = self.env["payment.plan"].browse(self._wizard().action_create()["res_id"])
        self.assertEqual(plan.amount_total, 600.0)
        # a refused call is rolled back, as an RPC request would be
        with (
            self.assertRaisesRegex(ValidationError, "cannot be negative"),
            self.env.cr.savepoint(),
        ):
            plan.down_payment = -50.0
        self.assertEqual(plan.down_payment, 0.0)
        for field in ("down_payment", "costs_amount", "interest_amount"):
            with (
                self.subTest(field=field),
                self.assertRaisesRegex(ValidationError, "cannot be negative"),
                self.env.cr.savepoint(),
            ):
                self._wizard(**{field: -1.0})

    def test_a_plan_approved_after_its_first_date_is_refused(self):
        plan = self.env["payment.plan"].browse(self._wizard().action_create()["res_id"])
        plan.action_submit()
        approver = self._user(
            "carla.bounds",
            self.env.ref("customer_retention_dunning.group_credit_manager"),
        )
        # the first instalment was due on 5 July; approved on 8 July
        with (
            freeze_time(TODAY + timedelta(days=8)),
            self.assertRaisesRegex(UserError, "has passed"),
        ):
            plan.with_user(approver).action_approve()
        self.assertEqual(plan.state, "to_approve")
        # positive control: approved in time, it runs
        plan.with_user(approver).action_approve()
        self.assertEqual(plan.state, "active")

    def test_the_portal_pays_an_instalment_in_the_invoices_currency(self):
        euro = self.env.ref("base.EUR")
        euro.active = True
        company_currency = self.env.company.currency_id
        self.assertNotEqual(company_currency, euro)
        # 1 unit of the company's currency is 0.40 EUR
        self.env["res.currency.rate"].create(
            {
                "currency_id": euro.id,
                "company_id": self.env.company.id,
                "name": TODAY - timedelta(days=30),
                "rate": 0.4,
            }
        )
        invoice = self._invoice(
            360, TODAY - timedelta(days=60), TODAY - timedelta(days=30), currency=euro
        )
        self.assertEqual(invoice.amount_residual_signed, 900.0)
        wizard = self.env["payment.plan.wizard"].create(
            {
                "move_ids": [Command.set(invoice.ids)],
                "installment_count": 7,
                "frequency": "monthly",
                "first_date": TODAY + timedelta(days=5),
            }
        )
        plan = self.env["payment.plan"].browse(wizard.action_create()["res_id"])
        # 900 / 7 = 128.57 in the company's currency, 51.428 EUR: 51.43 EUR
        self.assertEqual(plan.next_line_id.amount, 128.57)
        self.assertEqual(plan._instalment_payment(TODAY), (invoice, 51.43))
