from odoo import api, fields, models
from odoo.exceptions import AccessError

from .decision_fields import is_internal


class DunningCommunicationLine(models.Model):
    _name = "dunning.communication.line"
    _description = "Invoice in a Dunning Communication"
    _order = "communication_id, days_overdue desc, id"

    communication_id = fields.Many2one(
        "dunning.communication", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="communication_id.company_id", store=True, index=True, precompute=True
    )
    move_id = fields.Many2one("account.move", string="Invoice", required=True)
    level_id = fields.Many2one("dunning.level", string="Level")
    is_step = fields.Boolean(
        string="Step Up",
        help="This reminder takes the invoice up to its level, once it has "
        "really gone out.",
    )
    previous_level_id = fields.Many2one(
        "dunning.level",
        string="Level Before",
        help="The invoice's level before this reminder: it returns there "
        "should the reminder bounce after it was sent.",
    )
    previous_last_date = fields.Date(string="Reminded Before On")
    date_due = fields.Date(string="Due Date")
    days_overdue = fields.Integer()
    currency_id = fields.Many2one(related="communication_id.currency_id")
    amount_residual = fields.Monetary(
        string="Open Amount", currency_field="currency_id"
    )
    discount_date = fields.Date(
        string="Discount Until",
        help="The last day of the invoice's early-payment discount, when it "
        "had one still open at the time of the reminder.",
    )
    discount_amount = fields.Monetary(
        string="Amount with Discount",
        currency_field="currency_id",
        help="What pays the invoice until the discount date.",
    )
    access_url = fields.Char(
        string="Payment Link", help="Where the customer can see and pay it online."
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_written_by_the_reminder()
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_the_reminder()
        return super().write(vals)

    def _check_written_by_the_reminder(self):
        # the invoices a reminder named, as it named them: evidence
        if not is_internal(self.env):
            raise AccessError(
                self.env._(
                    "The invoices of a reminder are recorded by the reminder "
                    "itself and never edited."
                )
            )
