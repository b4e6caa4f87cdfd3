"""How the night makes a chunk of reminders: the reminders with one INSERT,
the invoices each names with one more, and the invoice lines they state
with one more for all of them.

The ORM's create cost the night more than a millisecond a reminder (its
defaults, related fields and company checks, one record at a time) and
about a third of a millisecond a line; a reminder to a customer with many
open invoices has many lines. What the ORM would add is added here: the
defaults of the fields the night leaves out, the profile and tone of the
level, the answer link's token, amounts rounded to the currency. A person's
action, a chunk whose values the insert does not know, and a database where
another module gave the reminder a field with a default go through the ORM
(the lines are inserted either way: users cannot create them at all)."""

import uuid

from odoo import api, models

from .sql_rows import insert_rows

# the columns of a reminder the insert fills besides those the night's
# values name (the defaults and related fields the ORM would fill)
REMINDER_FILLED = (
    "company_id",
    "date",
    "trigger",
    "state",
    "attempt",
    "access_token",
    "profile_id",
    "tone",
)
# the columns of a reminder's line the night writes, in this order
LINE_COLUMNS = (
    "communication_id",
    "company_id",
    "move_id",
    "level_id",
    "is_step",
    "previous_level_id",
    "previous_last_date",
    "date_due",
    "days_overdue",
    "amount_residual",
    "discount_date",
    "discount_amount",
    "access_url",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    @api.model
    def _create_reminders(self, values_list):
        """Create these reminders (``values_list``: as ``create`` takes them,
        their invoices as ``Command.set`` and lines as ``Command.create``),
        their lines inserted at once.

        :return: the reminders, in the order of ``values_list``
        """
        heads = [
            {key: value for key, value in values.items() if key != "line_ids"}
            for values in values_list
        ]
        if self.env.context.get("dunning_night") and self._reminder_insert_fits(heads):
            made = self._insert_reminders(heads)
        else:
            made = self.create(heads)
        self._insert_lines(made, values_list)
        return made

    @api.model
    def _reminder_insert_fits(self, heads):
        """Whether :meth:`_insert_reminders` makes these reminders as the
        ORM would: only plain columns and the invoices are given, every
        other column that would get a value is one it fills, and each
        level belongs to the reminder's company (the ORM's company check)."""
        fields_ = self._fields
        named = {key for values in heads for key in values}
        for key in named - {"move_ids"}:
            field = fields_.get(key)
            if not field or not field.store or not field.column_type:
                return False
        magic = set(models.MAGIC_COLUMNS) | set(models.LOG_ACCESS_COLUMNS)
        for name, field in fields_.items():
            if (
                not field.store
                or not field.column_type
                or name in magic
                or name in named
                or name in REMINDER_FILLED
            ):
                continue
            if field.compute or field.required or field.default is not None:
                return False
        Level = self.env["dunning.level"]
        Company = self.env["res.company"]
        Partner = self.env["res.partner"]
        for values in heads:
            company = Company.browse(values.get("company_id") or self.env.company.id)
            level = Level.browse(values.get("level_id"))
            partner = Partner.browse(values.get("partner_id"))
            if level.profile_id.company_id not in (company, Company):
                return False
            if partner.company_id not in (company, Company):
                return False
        return True

    @api.model
    def _insert_reminders(self, heads):
        """Insert these reminders (see :meth:`_reminder_insert_fits`) and
        the invoices each names.

        :return: the reminders, in the order of ``heads``
        """
        fields_ = self._fields
        uid, now = self.env.uid, self.env.cr.now()
        Level = self.env["dunning.level"]
        columns = sorted(
            ({key for values in heads for key in values} - {"move_ids"})
            | set(REMINDER_FILLED)
        )
        rows = []
        for values in heads:
            company = self.env["res.company"].browse(
                values.get("company_id") or self.env.company.id
            )
            level = Level.browse(values.get("level_id"))
            filled = {
                "company_id": company.id,
                "date": values.get("date") or fields_["date"].default(self),
                "trigger": values.get("trigger") or fields_["trigger"].default(self),
                "state": values.get("state") or fields_["state"].default(self),
                "attempt": values.get("attempt") or fields_["attempt"].default(self),
                "access_token": values.get("access_token") or str(uuid.uuid4()),
                "profile_id": level.profile_id.id or None,
                "tone": level.tone or None,
            }
            row = []
            for name in columns:
                value = filled[name] if name in filled else values.get(name)
                field = fields_[name]
                if field.type == "boolean":
                    value = bool(value)
                elif field.type == "monetary":
                    value = company.currency_id.round(value or 0.0)
                elif value is False:
                    value = None
                row.append(value)
            rows.append((*row, uid, now, uid, now))
        ids = insert_rows(
            self.env.cr,
            "dunning_communication",
            (*columns, *LOG_COLUMNS),
            rows,
            returning_ids=True,
        )
        made = self.browse(ids)
        pairs = [
            (communication_id, move_id)
            for communication_id, values in zip(ids, heads, strict=True)
            for command in values.get("move_ids") or []
            for move_id in command[2]
        ]
        relation = fields_["move_ids"]
        insert_rows(
            self.env.cr, relation.relation, (relation.column1, relation.column2), pairs
        )
        return made

    @api.model
    def _insert_lines(self, made, values_list):
        """Insert the lines of these reminders, just made, at once."""
        uid, now = self.env.uid, self.env.cr.now()
        rows = []
        for communication, values in zip(made, values_list, strict=True):
            currency = communication.currency_id
            for _command, _id, line in values.get("line_ids") or []:
                rows.append(
                    (
                        communication.id,
                        communication.company_id.id,
                        line["move_id"],
                        line.get("level_id") or None,
                        bool(line.get("is_step")),
                        line.get("previous_level_id") or None,
                        line.get("previous_last_date") or None,
                        line.get("date_due") or None,
                        line.get("days_overdue") or 0,
                        currency.round(line.get("amount_residual") or 0.0),
                        line.get("discount_date") or None,
                        currency.round(line["discount_amount"])
                        if line.get("discount_amount") is not None
                        else None,
                        line.get("access_url") or None,
                        uid,
                        now,
                        uid,
                        now,
                    )
                )
        insert_rows(self.env.cr, "dunning_communication_line", LINE_COLUMNS, rows)
        if rows:
            # what the ORM knew of the reminders' lines (none) is read again
            self.env["dunning.communication.line"].invalidate_model()
            made.invalidate_recordset(["line_ids"])
