"""The night's calls: each is an activity the collector finds on the
customer, due that day, with what to say; the night inserts them all at
once, and what the collector sees and does is what Odoo's own activity
gives (the ORM's way, kept for other databases, gives the same)."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from ..models import dunning_night_calls
from .common import DunningTestCommon

TODAY = date(2026, 7, 1)
Communication = dunning_night_calls.DunningCommunication


@tagged("post_install", "-at_install")
class TestNightCalls(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._user(
            "femke.calls",
            cls.env.ref("customer_retention_dunning.group_collector"),
            name="Femke de Bruin",
        )
        cls.customer.write({"phone": "+31 20 123 4567", "user_id": cls.collector.id})
        # 20,000 is above the Standard profile's call threshold of 10,000
        cls.invoice = cls._invoice(
            20000.0, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )

    def _night(self):
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._escalate_batch(
                self.customer.ids, TODAY.isoformat()
            )
        return self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)]
        )

    def _assert_the_collectors_call(self, call):
        self.assertEqual(call.channel, "phone")
        activity = call.activity_id
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        # on the customer, for its collector, due the night's day
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(activity.res_name, "Bakkerij De Korenbloem")
        self.assertEqual(activity.user_id, self.collector)
        self.assertEqual(activity.date_deadline, TODAY)
        self.assertTrue(activity.automated)
        self.assertEqual(
            activity.summary, f"Call about overdue invoices ({call.level_id.name})"
        )
        # what to say: the invoice, its amount and age, the promises
        note = str(activity.note)
        self.assertIn(self.invoice.name, note)
        self.assertIn("20,000.00", note)
        self.assertIn("30 days overdue", note)
        self.assertIn("No promise to pay on record.", note)
        self.assertIn("Ask for a date of payment", note)
        # the customer's chatter and the collector's list show it today
        self.assertEqual(self.customer.activity_ids, activity)
        with freeze_time(TODAY):
            self.assertEqual(activity.with_user(self.collector).state, "today")
            mine = (
                self.env["mail.activity"]
                .with_user(self.collector)
                .search([("user_id", "=", self.collector.id)])
            )
        self.assertEqual(mine, activity)
        # the collector follows the customer they call
        self.assertIn(self.collector.partner_id, self.customer.message_partner_ids)
        # the collector made the call: the reminder went out
        self.assertEqual(call.state, "queued")
        activity.with_user(self.collector).action_feedback("Pays on Friday")
        self.assertEqual(call.state, "sent")
        self.assertFalse(self.customer.activity_ids)

    def test_the_night_inserts_its_calls_as_the_collectors_activities(self):
        self.assertNotIn(self.collector.partner_id, self.customer.message_partner_ids)
        with patch.object(
            Communication,
            "_insert_activities",
            autospec=True,
            side_effect=Communication._insert_activities,
        ) as inserted:
            call = self._night()
        self.assertEqual(inserted.call_count, 1)
        self._assert_the_collectors_call(call)

    def test_through_the_orm_the_call_is_the_same(self):
        with (
            patch.object(
                Communication, "_activity_insert_is_complete", return_value=False
            ),
            patch.object(
                Communication, "_insert_activities", autospec=True
            ) as inserted,
        ):
            call = self._night()
        self.assertFalse(inserted.called)
        self._assert_the_collectors_call(call)

    def test_an_activity_field_the_insert_does_not_fill_sends_calls_to_the_orm(
        self,
    ):
        Communication = self.env["dunning.communication"]
        # Odoo's mail.activity as installed here: every column is filled
        self.assertTrue(Communication._activity_insert_is_complete())
        # "active" defaults to True: left out, the insert would leave it empty
        without_active = tuple(
            name for name in dunning_night_calls.ACTIVITY_COLUMNS if name != "active"
        )
        with patch.object(dunning_night_calls, "ACTIVITY_COLUMNS", without_active):
            self.assertFalse(Communication._activity_insert_is_complete())
