"""What a collector does by hand from the Action menu: escalate now, pause
and resume, send the current reminder again, preview."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestDunningActions(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.collector = cls.env["res.users"].create(
            {
                "name": "Sanne Collector",
                "login": "sanne.actions",
                "email": "sanne@example.nl",
                "groups_id": [
                    (4, cls.env.ref("customer_retention_dunning.group_collector").id)
                ],
            }
        )
        cls.levels = cls.env.ref(
            "customer_retention_dunning.dunning_profile_standard"
        ).level_ids.sorted("sequence")

    def _run(self, on_date):
        with freeze_time(on_date):
            self.env["dunning.escalation"].sudo()._cron_escalate()
            self._deliver_outbox()

    def _communications(self):
        return self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)], order="id"
        )

    def _server_action(self, xmlid, records):
        action = self.env.ref(f"customer_retention_dunning.{xmlid}").with_user(
            self.collector
        )
        return action.with_context(
            active_model=records._name, active_ids=records.ids, active_id=records[:1].id
        ).run()

    def test_escalate_now_takes_the_next_step_without_waiting(self):
        # 3 days overdue: the friendly reminder would wait until day 7
        invoice = self._invoice(
            500, TODAY - timedelta(days=33), TODAY - timedelta(days=3)
        )
        with freeze_time(TODAY):
            result = self._server_action(
                "account_move_action_dunning_escalate_now", invoice
            )
            self._deliver_outbox()
        communication = self._communications()
        self.assertRecordValues(
            communication,
            [{"trigger": "manual", "level_id": self.levels[1].id, "state": "sent"}],
        )
        self.assertEqual(result["res_id"], communication.id)
        self.assertEqual(invoice.dunning_level_id, self.levels[1])
        # one step a day, even by hand
        with freeze_time(TODAY), self.assertRaises(UserError):
            invoice.with_user(self.collector).action_dunning_escalate_now()
        self.assertEqual(invoice.dunning_level_id, self.levels[1])

    def test_escalate_now_from_the_customer_covers_its_invoices(self):
        first = self._invoice(
            500, TODAY - timedelta(days=33), TODAY - timedelta(days=3)
        )
        second = self._invoice(
            200, TODAY - timedelta(days=31), TODAY - timedelta(days=1)
        )
        with freeze_time(TODAY):
            self._server_action(
                "res_partner_action_dunning_escalate_now", self.customer
            )
        communication = self._communications()
        self.assertEqual(communication.move_ids, first | second)
        self.assertEqual(communication.amount, 700.0)

    def test_a_paused_customer_gets_nothing_until_the_day_after(self):
        self._invoice(500, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        with freeze_time(TODAY):
            wizard = Form(
                self.env["dunning.pause.wizard"]
                .with_user(self.collector)
                .with_context(active_model="res.partner", active_ids=self.customer.ids)
            )
            wizard.date_until = TODAY + timedelta(days=10)
            wizard.reason = "Owner in hospital, back in ten days"
            wizard.save().action_pause()
        self.assertEqual(self.customer.dunning_paused_until, TODAY + timedelta(days=10))
        self._run(TODAY)
        self._run(TODAY + timedelta(days=10))
        self.assertFalse(self._communications())
        self._run(TODAY + timedelta(days=11))
        self.assertEqual(len(self._communications()), 1)

    def test_resume_lifts_the_pause_at_once(self):
        self._invoice(500, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        self.customer.write(
            {
                "dunning_paused_until": TODAY + timedelta(days=10),
                "dunning_pause_reason": "x",
            }
        )
        self._run(TODAY)
        self.assertFalse(self._communications())
        self._server_action("res_partner_action_dunning_resume", self.customer)
        self.assertFalse(self.customer.dunning_paused_until)
        self._run(TODAY + timedelta(days=1))
        self.assertEqual(len(self._communications()), 1)

    def test_a_paused_invoice_is_left_out_and_the_others_go(self):
        paused = self._invoice(
            500, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        other = self._invoice(
            300, TODAY - timedelta(days=50), TODAY - timedelta(days=20)
        )
        with freeze_time(TODAY):
            wizard = (
                self.env["dunning.pause.wizard"]
                .with_user(self.collector)
                .with_context(active_model="account.move", active_ids=paused.ids)
                .create(
                    {
                        "date_until": TODAY + timedelta(days=5),
                        "reason": "Checking delivery",
                    }
                )
            )
            wizard.action_pause()
        self._run(TODAY)
        self.assertEqual(self._communications().move_ids, other)
        self.assertFalse(paused.dunning_level_id)
        paused.action_dunning_resume()
        self.assertFalse(paused.dunning_paused_until)

    def test_a_pause_in_the_past_or_beyond_a_year_is_refused(self):
        invoice = self._invoice(
            500, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        with freeze_time(TODAY):
            for until in (TODAY - timedelta(days=1), TODAY + timedelta(days=400)):
                wizard = (
                    self.env["dunning.pause.wizard"]
                    .with_user(self.collector)
                    .with_context(active_model="account.move", active_ids=invoice.ids)
                    .create({"date_until": until, "reason": "x"})
                )
                with self.assertRaises(UserError):
                    wizard.action_pause()
        self.assertFalse(invoice.dunning_paused_until)

    def test_send_again_repeats_the_current_level_without_moving_up(self):
        invoice = self._invoice(
            500, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        self._run(TODAY)
        first = self._communications()
        level = invoice.dunning_level_id
        with freeze_time(TODAY + timedelta(days=2)):
            self._server_action("res_partner_action_dunning_send_again", self.customer)
            self.assertEqual((self._communications() - first).state, "queued")
            self._deliver_outbox()
        again = self._communications() - first
        self.assertRecordValues(
            again,
            [
                {
                    "trigger": "manual",
                    "level_id": level.id,
                    "amount": 500.0,
                    "state": "sent",
                }
            ],
        )
        self.assertEqual(invoice.dunning_level_id, level)
        self.assertEqual(invoice.dunning_last_date, TODAY)

    def test_send_again_needs_a_reminder_to_repeat(self):
        invoice = self._invoice(
            500, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        with freeze_time(TODAY), self.assertRaises(UserError):
            invoice.action_dunning_send_again()

    def test_an_excluded_customer_or_a_paid_invoice_is_refused_clearly(self):
        invoice = self._invoice(
            500, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        self.customer.dunning_excluded = True
        with self.assertRaisesRegex(UserError, "Excluded from dunning"):
            self.customer.action_dunning_escalate_now()
        self.customer.dunning_excluded = False
        self._pay(invoice, TODAY)
        with self.assertRaisesRegex(UserError, "still open"):
            invoice.action_dunning_escalate_now()

    def test_the_preview_opens_from_invoices_for_their_customers(self):
        invoice = self._invoice(
            500, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        action = self._server_action("account_move_action_dunning_preview", invoice)
        self.assertEqual(action["res_model"], "dunning.preview.wizard")
        with freeze_time(TODAY):
            wizard = (
                self.env["dunning.preview.wizard"]
                .with_context(**action["context"])
                .create({})
            )
        self.assertEqual(wizard.line_ids.partner_id, self.customer)
        self.assertFalse(self._communications())
