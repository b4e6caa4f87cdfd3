"""How the night makes a chunk of reminders: the reminders with one create,
the invoice lines they state with one INSERT for all of them (a reminder to
a customer with many open invoices has many lines, and the ORM's work per
line was a third of the night at 100,000 open invoices)."""

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.misc import split_every

# lines inserted by one statement at most
PAGE = 1000
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
ROW = "(" + ", ".join(["%s"] * len(LINE_COLUMNS)) + ")"


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    @api.model
    def _create_reminders(self, values_list):
        """Create these reminders (``values_list``: as ``create`` takes them,
        their lines as ``Command.create``), their lines inserted at once.

        :return: the reminders, in the order of ``values_list``
        """
        heads = [
            {key: value for key, value in values.items() if key != "line_ids"}
            for values in values_list
        ]
        made = self.create(heads)
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
        columns = SQL(", ").join(SQL.identifier(column) for column in LINE_COLUMNS)
        for page in split_every(PAGE, rows):
            self.env.cr.execute(
                SQL(
                    "INSERT INTO dunning_communication_line (%s) VALUES %s",
                    columns,
                    SQL(", ").join(SQL(ROW, *row) for row in page),
                )
            )
        if rows:
            # what the ORM knew of the reminders' lines (none) is read again
            self.env["dunning.communication.line"].invalidate_model()
            made.invalidate_recordset(["line_ids"])
        return made
