"""Promises to pay: dunning waits, a kept promise counts, a broken one acts."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningPromise(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "administratie@korenbloem.example.nl"
        cls.invoice = cls._invoice(
            800, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )

    def _promise(self, promised):
        action = self.invoice.action_record_promise()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.date = promised
        return form.save()

    def _run(self, on_date):
        with freeze_time(on_date):
            self.env["dunning.escalation"].sudo()._cron_escalate()
            self._deliver_outbox()

    def test_recording_a_promise_pauses_the_invoice(self):
        promise = self._promise(TODAY + timedelta(days=7))
        self.assertEqual(promise.partner_id, self.customer)
        self.assertEqual(promise.amount, 800.0)
        self.assertEqual(promise.user_id, self.env.user)
        self.assertEqual(self.invoice.promise_date, TODAY + timedelta(days=7))
        self.assertIn("Promise to pay", self.customer.message_ids[0].body)
        self._run(TODAY)
        self.assertFalse(self.invoice.dunning_level_id)

    def test_a_kept_promise_is_counted_by_the_score(self):
        promise = self._promise(TODAY + timedelta(days=7))
        self._pay(self.invoice, TODAY + timedelta(days=5))
        self._run(TODAY + timedelta(days=5))
        self.assertEqual(promise.state, "kept")
        self.assertEqual(
            self.customer._payment_score_commitments()[self.customer.id],
            {"promises_kept": 1},
        )

    def test_a_broken_promise_resumes_dunning_and_calls_the_collector(self):
        promise = self._promise(TODAY + timedelta(days=7))
        grace = self.env.company.dunning_promise_grace_days
        self._run(TODAY + timedelta(days=7 + grace))
        self.assertEqual(promise.state, "open")
        self._run(TODAY + timedelta(days=8 + grace))
        self.assertEqual(promise.state, "broken")
        self.assertFalse(self.invoice.promise_date)
        self.assertTrue(self.invoice.dunning_level_id)
        call = self.customer.activity_ids.filtered(
            lambda a: a.summary == "Promise to pay broken"
        )
        self.assertEqual(call.user_id, self.env.user)
        self.assertEqual(
            self.customer._payment_score_commitments()[self.customer.id],
            {"promises_broken": 1},
        )

    def test_a_promise_in_the_past_is_refused(self):
        with self.assertRaises(ValidationError):
            self._promise(TODAY - timedelta(days=1))

    def test_a_promise_covers_one_customer(self):
        other = self.env["res.partner"].create({"name": "Other"})
        foreign = self._invoice(
            100, TODAY - timedelta(days=40), TODAY - timedelta(days=10), other
        )
        with self.assertRaises(UserError):
            (self.invoice | foreign).action_record_promise()
