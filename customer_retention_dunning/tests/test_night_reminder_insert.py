"""The night inserts its reminders with SQL: each must read as the ORM's
create would have made it (defaults, the level's profile and tone, the
answer link's token, the invoices it names), and whatever the insert does
not know goes through the ORM."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from ..models import dunning_reminder_insert
from .common import DunningTestCommon

TODAY = date(2026, 7, 1)
Communication = dunning_reminder_insert.DunningCommunication
# what both ways must agree on
COMPARED = (
    "channel",
    "channel_fallback",
    "company_id",
    "level_id",
    "profile_id",
    "tone",
    "state",
    "trigger",
    "attempt",
    "date",
    "amount",
    "user_id",
    "statutory_costs",
    "statutory_interest",
    "is_consumer_notice",
    "pay_by_date",
)


@tagged("post_install", "-at_install")
class TestNightReminderInsert(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standard = cls.env.ref(
            "customer_retention_dunning.dunning_profile_standard"
        )
        cls.serial = 0

    def _customer_with_overdue(self):
        """A customer with two invoices 30 days overdue: 300.00 and 150.50."""
        type(self).serial += 1
        customer = self.env["res.partner"].create(
            {
                "name": f"Insert Customer {self.serial}",
                "is_company": True,
                "email": f"insert{self.serial}@example.nl",
            }
        )
        invoices = self.env["account.move"]
        for amount in (300.0, 150.5):
            invoices |= self._invoice(
                amount,
                TODAY - timedelta(days=60),
                TODAY - timedelta(days=30),
                partner=customer,
            )
        return customer, invoices

    def _night(self, customer):
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._escalate_batch(
                customer.ids, TODAY.isoformat()
            )
        return self.env["dunning.communication"].search(
            [("partner_id", "=", customer.id)]
        )

    def _assert_as_made_by_the_night(self, reminder, invoices):
        self.assertEqual(len(reminder), 1)
        # worked out: the Standard ladder, 450.50 is below its letter
        # threshold (2,500), an e-mail address: an e-mail, queued tonight
        self.assertEqual(reminder.channel, "email")
        self.assertEqual(reminder.state, "queued")
        self.assertEqual(reminder.trigger, "cron")
        self.assertEqual(reminder.attempt, 1)
        self.assertEqual(reminder.date, TODAY)
        self.assertEqual(reminder.company_id, self.env.company)
        self.assertAlmostEqual(reminder.amount, 450.5)
        self.assertEqual(reminder.profile_id, self.standard)
        self.assertEqual(reminder.level_id.profile_id, self.standard)
        self.assertEqual(reminder.tone, reminder.level_id.tone)
        self.assertEqual(reminder.move_ids, invoices)
        self.assertEqual(
            sorted(reminder.line_ids.mapped("amount_residual")), [150.5, 300.0]
        )
        self.assertEqual(set(reminder.line_ids.mapped("days_overdue")), {30})
        # the answer link works from the first e-mail on
        self.assertEqual(len(reminder.access_token), 36)
        self.assertIn(f"access_token={reminder.access_token}", reminder.answer_url)
        # the e-mail went with it
        self.assertTrue(reminder.mail_message_id)
        # the invoices know the reminder that named them
        self.assertEqual(invoices.mapped("dunning_communication_count"), [1, 1])

    def test_the_night_inserts_reminders_as_the_orm_would_make_them(self):
        inserted_customer, inserted_invoices = self._customer_with_overdue()
        orm_customer, orm_invoices = self._customer_with_overdue()
        with patch.object(
            Communication,
            "_insert_reminders",
            autospec=True,
            side_effect=Communication._insert_reminders,
        ) as inserted:
            by_insert = self._night(inserted_customer)
        self.assertEqual(inserted.call_count, 1)
        with (
            patch.object(Communication, "_reminder_insert_fits", return_value=False),
            patch.object(Communication, "_insert_reminders", autospec=True) as unused,
        ):
            by_orm = self._night(orm_customer)
        self.assertFalse(unused.called)
        self._assert_as_made_by_the_night(by_insert, inserted_invoices)
        self._assert_as_made_by_the_night(by_orm, orm_invoices)
        for name in COMPARED:
            self.assertEqual(by_insert[name], by_orm[name], name)
        self.assertNotEqual(by_insert.access_token, by_orm.access_token)

    def test_values_the_insert_does_not_know_go_through_the_orm(self):
        customer, _invoices = self._customer_with_overdue()
        Reminder = self.env["dunning.communication"]
        level = self.standard.level_ids[1]
        values = {
            "partner_id": customer.id,
            "company_id": self.env.company.id,
            "level_id": level.id,
            "channel": "email",
            "amount": 450.5,
        }
        # positive control: the night's own values fit
        self.assertTrue(Reminder._reminder_insert_fits([values]))
        # a field that is not a plain column (the ORM knows what to do)
        self.assertFalse(Reminder._reminder_insert_fits([dict(values, retry_ids=[])]))
        # a level of another company's own ladder: the ORM's company check
        # must refuse it (a shared ladder, as above, fits any company)
        other = self.env["res.company"].create({"name": "Other Insert BV"})
        own = self.env["dunning.profile"].create(
            {
                "name": "Own ladder",
                "company_id": self.env.company.id,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Own reminder",
                            "days_after_due": 7,
                            "min_interval_days": 15,
                        }
                    )
                ],
            }
        )
        mine = dict(values, level_id=own.level_ids.id)
        self.assertTrue(Reminder._reminder_insert_fits([mine]))
        self.assertFalse(
            Reminder._reminder_insert_fits([dict(mine, company_id=other.id)])
        )
        # a default the insert does not fill (as another module could add)
        filled = tuple(
            name
            for name in dunning_reminder_insert.REMINDER_FILLED
            if name != "attempt"
        )
        with patch.object(dunning_reminder_insert, "REMINDER_FILLED", filled):
            self.assertFalse(Reminder._reminder_insert_fits([values]))
