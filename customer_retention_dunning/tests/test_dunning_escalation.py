"""The nightly escalation as the customer and the collector see it."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.customer_retention_dunning.models.dunning_escalation import (
    DunningEscalation,
)

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestDunningEscalation(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.env.user.groups_id |= cls.env.ref(
            "customer_retention_dunning.group_credit_manager"
        )
        cls.standard = cls.env.ref(
            "customer_retention_dunning.dunning_profile_standard"
        )
        cls.levels = cls.standard.level_ids.sorted("sequence")

    def _run(self, on_date, deliver=True):
        # as the scheduler runs it: the superuser; then the reminders go out
        with freeze_time(on_date):
            self.env["dunning.escalation"].sudo()._cron_escalate()
            if deliver:
                self._deliver_outbox()
        return self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)], order="id"
        )

    def test_a_customer_without_history_follows_the_standard_profile(self):
        self.assertEqual(self.customer.payment_score_band, "none")
        self.assertEqual(self.customer.dunning_profile_id, self.standard)
        watch = self.env.ref("customer_retention_dunning.dunning_profile_watch")
        self.customer.dunning_profile_id = watch
        self.assertEqual(self.customer.dunning_profile_manual_id, watch)
        self.customer.action_reset_dunning_profile()
        self.assertEqual(self.customer.dunning_profile_id, self.standard)

    def test_a_manual_profile_is_kept_when_the_band_changes(self):
        watch = self.env.ref("customer_retention_dunning.dunning_profile_watch")
        self.customer.dunning_profile_id = watch
        self.customer.sudo().payment_score_band = "excellent"
        self.assertEqual(self.customer.dunning_profile_id, watch)
        self.customer.action_reset_dunning_profile()
        self.assertEqual(
            self.customer.dunning_profile_id,
            self.env.ref("customer_retention_dunning.dunning_profile_trusted"),
        )

    def test_the_proactive_reminder_goes_out_by_email_before_the_due_date(self):
        invoice = self._invoice(
            800, TODAY - timedelta(days=25), TODAY + timedelta(days=5)
        )
        communications = self._run(TODAY, deliver=False)
        self.assertEqual(len(communications), 1)
        self.assertRecordValues(
            communications,
            [
                {
                    "channel": "email",
                    "state": "queued",
                    "level_id": self.levels[0].id,
                    "amount": 800.0,
                    "recipient_id": self.customer.id,
                    "trigger": "cron",
                    "sent_date": False,
                }
            ],
        )
        self.assertEqual(communications.move_ids, invoice)
        self.assertIn(self.customer, communications.mail_message_id.partner_ids)
        queued = self.env["mail.mail"].search(
            [("mail_message_id", "=", communications.mail_message_id.id)]
        )
        self.assertEqual(queued.recipient_ids, self.customer)
        self.assertIn("friendly reminder", queued.subject)
        self.assertIn(invoice.name, queued.body_html)
        # the e-mail waits in Odoo's queue: the invoice has not moved yet,
        # and no second reminder is planned while it waits
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(invoice.dunning_next_date)
        with freeze_time(TODAY):
            self._deliver_outbox()
        self.assertEqual(communications.state, "sent")
        self.assertEqual(communications.sent_date, TODAY)
        self.assertEqual(invoice.dunning_level_id, self.levels[0])
        self.assertEqual(invoice.dunning_last_date, TODAY)
        # the friendly reminder: 7 days after the due date, but never within
        # 15 days of the proactive one
        self.assertEqual(invoice.dunning_next_date, TODAY + timedelta(days=15))

    def test_running_again_the_same_day_sends_nothing_new(self):
        self._invoice(800, TODAY - timedelta(days=25), TODAY + timedelta(days=5))
        first = self._run(TODAY)
        again = self._run(TODAY)
        self.assertEqual(first, again)

    def test_one_message_per_customer_with_every_due_invoice_netted(self):
        old = self._invoice(
            1000, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        recent = self._invoice(
            400, TODAY - timedelta(days=40), TODAY - timedelta(days=10)
        )
        self._pay(old, TODAY - timedelta(days=20), amount=300)
        self._invoice(100, TODAY - timedelta(days=3), move_type="out_refund")
        communications = self._run(TODAY)
        self.assertEqual(len(communications), 1)
        self.assertEqual(communications.move_ids, old | recent)
        self.assertEqual(
            sorted(communications.line_ids.mapped("amount_residual")), [400.0, 700.0]
        )
        # open amounts minus the open credit note
        self.assertEqual(communications.amount, 1000.0)
        self.assertEqual(communications.line_ids.mapped("days_overdue"), [30, 10])

    def test_one_step_per_run_and_the_interval_is_kept(self):
        invoice = self._invoice(
            800, TODAY - timedelta(days=90), TODAY - timedelta(days=60)
        )
        self._run(TODAY)
        self.assertEqual(invoice.dunning_level_id, self.levels[1])
        self._run(TODAY + timedelta(days=1))
        self.assertEqual(invoice.dunning_level_id, self.levels[1])
        communications = self._run(TODAY + timedelta(days=15))
        self.assertEqual(invoice.dunning_level_id, self.levels[2])
        self.assertEqual(len(communications), 2)
        self.assertEqual(communications[-1].level_id, self.levels[2])

    def test_a_disputed_invoice_is_left_out_and_resumes_where_it_was(self):
        disputed = self._invoice(
            900, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        other = self._invoice(
            300, TODAY - timedelta(days=45), TODAY - timedelta(days=15)
        )
        disputed.write({"dunning_blocked": True, "dunning_block_reason": "Wrong price"})
        communications = self._run(TODAY)
        self.assertEqual(communications.move_ids, other)
        self.assertFalse(disputed.dunning_level_id)
        self.assertFalse(disputed.dunning_next_date)
        disputed.dunning_blocked = False
        communications = self._run(TODAY + timedelta(days=15))
        self.assertIn(disputed, communications[-1].move_ids)
        self.assertEqual(disputed.dunning_level_id, self.levels[1])

    def test_a_promise_pauses_dunning_until_the_date_plus_grace(self):
        invoice = self._invoice(
            800, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        invoice.sudo().promise_date = TODAY + timedelta(days=10)
        self.assertFalse(self._run(TODAY))
        self.assertFalse(self._run(TODAY + timedelta(days=13)))
        self.assertEqual(len(self._run(TODAY + timedelta(days=14))), 1)

    def test_a_large_amount_goes_by_letter_with_the_pdf_in_the_chatter(self):
        self._invoice(3000, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        communication = self._run(TODAY)
        self.assertEqual(communication.channel, "letter")
        self.assertEqual(communication.state, "sent")
        attachment = communication.mail_message_id.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertEqual(communication.mail_message_id.res_id, self.customer.id)

    def test_the_largest_amounts_get_a_call_for_the_collector(self):
        invoice = self._invoice(
            12000, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        # an earlier promise the customer kept shows in the call note
        with freeze_time(TODAY - timedelta(days=50)):
            promise = self.env["dunning.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [(6, 0, invoice.ids)],
                    "date": TODAY - timedelta(days=45),
                    "amount": 3000.0,
                }
            )
        promise.sudo().state = "kept"
        invoice.sudo().promise_date = False
        communication = self._run(TODAY, deliver=False)
        self.assertEqual(communication.channel, "phone")
        activity = communication.activity_id
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertIn("12,000.00", str(activity.note))
        self.assertIn("Promises to pay", str(activity.note))
        self.assertIn(f"{TODAY - timedelta(days=45)} ", str(activity.note))
        self.assertIn("3,000.00: Kept", str(activity.note))

    def test_a_customer_without_email_or_address_gets_an_activity(self):
        self.customer.write({"email": False, "street": False})
        self._invoice(200, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        communication = self._run(TODAY, deliver=False)
        self.assertEqual(communication.channel, "phone")
        self.assertEqual(communication.channel_fallback, "no_email")
        self.assertTrue(communication.activity_id)
        self.assertEqual(communication.state, "queued")

    def test_amounts_below_the_minimum_are_not_chased(self):
        self.env.company.dunning_minimum_amount = 50.0
        self._invoice(49.99, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        self.assertFalse(self._run(TODAY))

    def test_an_excluded_customer_is_never_reminded(self):
        self.customer.dunning_excluded = True
        self._invoice(800, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        self.assertFalse(self._run(TODAY))

    def test_one_failing_customer_is_recorded_and_the_others_go_on(self):
        other = self.env["res.partner"].create(
            {"name": "Slagerij Vos", "email": "vos@example.nl"}
        )
        self._invoice(800, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        self._invoice(
            500, TODAY - timedelta(days=60), TODAY - timedelta(days=30), other
        )
        original = DunningEscalation._escalate_company_invoices

        def failing(escalation, partner, profile, invoices, today, *args):
            if partner == self.customer:
                raise ValueError("template broken")
            return original(escalation, partner, profile, invoices, today, *args)

        with (
            patch.object(DunningEscalation, "_escalate_company_invoices", failing),
            mute_logger(
                "odoo.addons.customer_retention_dunning.models.dunning_escalation"
            ),
        ):
            self.assertFalse(self._run(TODAY))
        self.assertTrue(
            self.env["dunning.communication"].search([("partner_id", "=", other.id)])
        )
        self.assertIn("template broken", self.customer.message_ids[0].body)

    def test_the_database_refuses_a_second_nightly_reminder_the_same_day(self):
        self._invoice(800, TODAY - timedelta(days=25), TODAY + timedelta(days=5))
        communication = self._run(TODAY)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            communication.sudo().copy({"line_ids": []})
            self.env.flush_all()

    def test_the_cron_record_runs_the_escalation(self):
        self._invoice(800, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        cron = self.env.ref("customer_retention_dunning.ir_cron_dunning_escalation")
        with freeze_time(TODAY):
            cron.method_direct_trigger()
        self.assertTrue(
            self.env["dunning.communication"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )

    def _short_ladder(self):
        profile = self.env["dunning.profile"].create(
            {
                "name": "Short",
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "sequence": 10,
                            "name": "Final notice",
                            "days_after_due": 0,
                            "min_interval_days": 1,
                            "tone": "final",
                            "action": "credit_hold",
                            "notice_days": 7,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "sequence": 20,
                            "name": "Hand-over",
                            "days_after_due": 10,
                            "min_interval_days": 10,
                            "tone": "final",
                            "action": "handover",
                        },
                    ),
                ],
            }
        )
        self.customer.dunning_profile_id = profile
        return profile

    def test_credit_hold_follows_the_notice_and_lifts_when_paid(self):
        self._short_ladder()
        invoice = self._invoice(
            800, TODAY - timedelta(days=30), TODAY - timedelta(days=1)
        )
        self._run(TODAY)
        self.assertFalse(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_date, TODAY + timedelta(days=7))
        self._run(TODAY + timedelta(days=6))
        self.assertFalse(self.customer.credit_hold)
        self._run(TODAY + timedelta(days=7))
        self.assertTrue(self.customer.credit_hold)
        self.assertTrue(invoice.partner_credit_hold)
        self._pay(invoice, TODAY + timedelta(days=8))
        self._run(TODAY + timedelta(days=8))
        self.assertFalse(self.customer.credit_hold)
        self.assertIn("lifted", self.customer.message_ids[0].body)

    def test_the_hand_over_marks_the_invoices_and_ends_the_reminders(self):
        self._short_ladder()
        invoice = self._invoice(
            800, TODAY - timedelta(days=30), TODAY - timedelta(days=1)
        )
        self._run(TODAY)
        communications = self._run(TODAY + timedelta(days=10))
        self.assertEqual(len(communications), 2)
        self.assertTrue(invoice.dunning_handed_over)
        todo = self.customer.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertIn("collection agency", todo.summary)
        self.assertEqual(len(self._run(TODAY + timedelta(days=60))), 2)

    def test_old_disputes_come_up_for_review(self):
        invoice = self._invoice(
            800, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        with freeze_time(TODAY):
            invoice.write(
                {"dunning_blocked": True, "dunning_block_reason": "Damaged goods"}
            )
        self.assertEqual(invoice.dunning_blocked_date, TODAY)
        limit = self.env.company.dunning_dispute_max_days
        to_review = [("dunning_dispute_stale", "=", True), ("id", "=", invoice.id)]
        with freeze_time(TODAY + timedelta(days=limit)):
            self.assertFalse(self.env["account.move"].search(to_review))
        with freeze_time(TODAY + timedelta(days=limit + 1)):
            self.assertEqual(self.env["account.move"].search(to_review), invoice)
            invoice.invalidate_recordset(["dunning_dispute_stale"])
            self.assertTrue(invoice.dunning_dispute_stale)
        invoice.dunning_blocked = False
        self.assertFalse(invoice.dunning_blocked_date)

    def test_reminders_show_on_the_invoice(self):
        invoice = self._invoice(
            800, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        communication = self._run(TODAY)
        self.assertEqual(invoice.dunning_communication_count, 1)
        action = invoice.action_view_dunning_communications()
        self.assertEqual(
            self.env["dunning.communication"].search(action["domain"]), communication
        )

    def test_collectors_are_routed_by_amount_and_band_and_work_their_list(self):
        collector = self.env["res.users"].create(
            {
                "name": "Junior Collector",
                "login": "junior.collector",
                "groups_id": [
                    (4, self.env.ref("customer_retention_dunning.group_collector").id)
                ],
            }
        )
        senior = self.env["res.users"].create(
            {
                "name": "Senior Collector",
                "login": "senior.collector",
                "groups_id": [
                    (
                        4,
                        self.env.ref(
                            "customer_retention_dunning.group_collector_senior"
                        ).id,
                    )
                ],
            }
        )
        Rule = self.env["dunning.collector.rule"]
        Rule.create({"sequence": 1, "min_amount": 5000, "user_id": senior.id})
        Rule.create({"sequence": 2, "min_amount": 0, "user_id": collector.id})
        big = self.env["res.partner"].create(
            {"name": "Groot Bouw B.V.", "email": "g@example.nl"}
        )
        self._invoice(9000, TODAY - timedelta(days=60), TODAY - timedelta(days=30), big)
        self._invoice(800, TODAY - timedelta(days=60), TODAY - timedelta(days=30))
        with freeze_time(TODAY):
            (self.customer | big)._update_payment_score()
        self._run(TODAY)
        self.assertEqual(big.dunning_collector_id, senior)
        self.assertEqual(self.customer.dunning_collector_id, collector)
        communication = self.env["dunning.communication"].search(
            [("partner_id", "=", big.id)]
        )
        self.assertEqual(communication.user_id, senior)
        # a person's choice is kept
        with Form(self.customer) as form:
            form.dunning_collector_id = senior
        self._run(TODAY + timedelta(days=20))
        self.assertEqual(self.customer.dunning_collector_id, senior)
        # the senior's work list: overdue customers, largest value at risk first
        action = self.env.ref(
            "customer_retention_dunning.res_partner_action_my_collections"
        )
        mine = (
            self.env["res.partner"]
            .with_user(senior)
            .search(
                safe_eval(action.domain) + [("dunning_collector_id", "=", senior.id)],
                order="dunning_value_at_risk desc",
            )
        )
        self.assertEqual(mine.ids, [big.id, self.customer.id])

    def test_the_preview_shows_tonights_run_without_sending(self):
        invoice = self._invoice(
            800, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        with freeze_time(TODAY):
            wizard = self.env["dunning.preview.wizard"].create(
                {"partner_ids": [(6, 0, self.customer.ids)]}
            )
        self.assertRecordValues(
            wizard.line_ids,
            [
                {
                    "partner_id": self.customer.id,
                    "level_id": self.levels[1].id,
                    "channel": "email",
                    "amount": 800.0,
                }
            ],
        )
        self.assertEqual(wizard.line_ids.move_ids, invoice)
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(
            self.env["dunning.communication"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )
        with freeze_time(TODAY):
            wizard.action_send_now()
            self._deliver_outbox()
        communication = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(communication.trigger, "manual")
        self.assertEqual(invoice.dunning_level_id, self.levels[1])
