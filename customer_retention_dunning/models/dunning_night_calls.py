"""How the reminders that are calls become the collectors' activities: all
of a chunk's at once, with one INSERT for their activities.

An activity made through the ORM costs more than the rest of its reminder:
its note is sanitised twice, its customer's name looked up, and each is
created on its own. The night's notes are built from escaped values only
(:meth:`_summary_html`), so they are written as they are. What Odoo's
``create`` does besides the row is done here too, once per collector: the
collector follows the customer, and their activity counter is told.

Should another module give ``mail.activity`` a stored field this insert does
not know of (one with a default, a computation or required), the calls go
through the ORM as before."""

import logging
from collections import defaultdict

from odoo import fields, models

from .sql_rows import insert_rows

_logger = logging.getLogger(__name__)

# the columns of a call's activity the night writes, in this order
ACTIVITY_COLUMNS = (
    "res_model_id",
    "res_model",
    "res_id",
    "res_name",
    "activity_type_id",
    "summary",
    "note",
    "date_deadline",
    "date_done",
    "automated",
    "user_id",
    "user_tz",
    "active",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    def _schedule_calls(self, promises):
        """The collectors' calls for these reminders, scheduled together;
        should that fail, each on its own (and a call that cannot be
        scheduled fails its reminder alone)."""
        try:
            with self.env.cr.savepoint():
                self._call_activities(promises)
        except Exception:
            _logger.warning(
                "Dunning: the calls could not be scheduled together", exc_info=True
            )
            for call in self:
                try:
                    with self.env.cr.savepoint():
                        call._call_activities(promises)
                except Exception as error:
                    _logger.exception("Dunning: reminder %s failed", call.id)
                    call._mark_failed(str(error))

    def _call_activities(self, promises):
        """A call activity for each of these reminders, on its customer,
        for its collector (the night's user when it has none), due on the
        reminder's day."""
        if not self:
            return
        call_type = self.env.ref("mail.mail_activity_data_call")
        ask = self.env._("Ask for a date of payment")
        values_list = [
            {
                "activity_type_id": call_type.id,
                "summary": self.env._(
                    "Call about overdue invoices (%s)", call.level_id.name
                ),
                "automated": True,
                "note": call._summary_html(ask, promises=promises),
                "date_deadline": call.date,
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": call.partner_id.id,
                "user_id": call.user_id.id or self.env.user.id,
            }
            for call in self
        ]
        # only the night, whose user may do anything, inserts: a person's
        # "send now" goes through the ORM and its access rights
        if self.env.context.get("dunning_night") and (
            self._activity_insert_is_complete()
        ):
            activities = self._insert_activities(values_list)
        else:
            # no e-mail to the collector per call: the calls wait in their
            # activities and My Collections (Odoo would send one each)
            activities = (
                self.env["mail.activity"]
                .with_context(mail_activity_quick_update=True)
                .create(values_list)
            )
        for call, activity in zip(self, activities, strict=True):
            call.activity_id = activity

    def _activity_insert_is_complete(self):
        """Whether :meth:`_insert_activities` writes every column of
        ``mail.activity`` that would otherwise get a value."""
        Activity = self.env["mail.activity"]
        magic = set(models.MAGIC_COLUMNS) | set(models.LOG_ACCESS_COLUMNS)
        for name, field in Activity._fields.items():
            if not field.store or not field.column_type or name in magic:
                continue
            if name in ACTIVITY_COLUMNS:
                continue
            if field.compute or field.required or field.default is not None:
                return False
        return True

    def _insert_activities(self, values_list):
        """Insert these activities (``values_list`` as ``mail.activity``'s
        ``create`` takes them, all on customers) and do what its ``create``
        does besides: each collector follows their customers, and their
        activity counter is told of the new ones due.

        :return: the activities, in the order of ``values_list``
        """
        Partner = self.env["res.partner"]
        Users = self.env["res.users"]
        customers = Partner.browse([values["res_id"] for values in values_list])
        users = Users.browse([values["user_id"] for values in values_list])
        names = {partner.id: partner.display_name for partner in customers}
        zones = {user.id: user.tz or None for user in users}
        uid, now = self.env.uid, self.env.cr.now()
        rows = [
            (
                values["res_model_id"],
                "res.partner",
                values["res_id"],
                names[values["res_id"]],
                values["activity_type_id"],
                values["summary"],
                str(values["note"]),
                values["date_deadline"],
                None,
                values["automated"],
                values["user_id"],
                zones[values["user_id"]],
                True,
                uid,
                now,
                uid,
                now,
            )
            for values in values_list
        ]
        ids = insert_rows(
            self.env.cr, "mail_activity", ACTIVITY_COLUMNS, rows, returning_ids=True
        )
        activities = self.env["mail.activity"].browse(ids)
        # what the ORM knew of these customers' activities is read again
        customers.invalidate_recordset(["activity_ids"])
        self.env["mail.activity"].invalidate_model()
        today = fields.Date.context_today(self)
        by_user = defaultdict(list)
        for values in values_list:
            by_user[values["user_id"]].append(values)
        for user_id, user_values in by_user.items():
            user = Users.browse(user_id)
            Partner.browse(
                [values["res_id"] for values in user_values]
            ).message_subscribe(partner_ids=user.partner_id.ids)
            if any(values["date_deadline"] <= today for values in user_values):
                user._bus_send("mail.activity/updated", {"activity_created": True})
        return activities
