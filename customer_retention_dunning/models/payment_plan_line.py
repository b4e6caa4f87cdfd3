from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from .decision_fields import ONLY_ACTIONS, check_fields, internal, is_internal

# what only the payment allocation writes
LINE_ACTION_FIELDS = dict.fromkeys(
    ("amount_paid", "state", "reminder_sent", "plan_id"), ONLY_ACTIONS
)


class PaymentPlanLine(models.Model):
    """One instalment of a payment plan."""

    _name = "payment.plan.line"
    _description = "Payment Plan Instalment"
    _order = "plan_id, date, sequence, id"

    plan_id = fields.Many2one(
        "payment.plan", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True)
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=1)
    date = fields.Date(string="Due Date", required=True)
    # the public name other modules use for the instalment's due date
    date_due = fields.Date(related="date", readonly=False, string="Instalment Due Date")
    amount = fields.Monetary(currency_field="currency_id", required=True)
    amount_paid = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_open = fields.Monetary(
        string="Open", currency_field="currency_id", compute="_compute_amount_open"
    )
    is_down_payment = fields.Boolean(string="Down Payment")
    state = fields.Selection(
        [("open", "Open"), ("paid", "Paid"), ("late", "Late")],
        required=True,
        default="open",
    )
    reminder_sent = fields.Boolean(readonly=True, copy=False)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env):
            plans = self.env["payment.plan"].browse(
                [vals["plan_id"] for vals in vals_list if vals.get("plan_id")]
            )
            self._check_plan_is_draft(plans)
            for vals in vals_list:
                check_fields(
                    self, dict.fromkeys(set(vals) - {"plan_id"}), LINE_ACTION_FIELDS
                )
        return super().create(vals_list)

    def write(self, vals):
        check_fields(self, vals, LINE_ACTION_FIELDS)
        if not is_internal(self.env):
            self._check_plan_is_draft(self.plan_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft_plans(self):
        if not is_internal(self.env):
            self._check_plan_is_draft(self.plan_id)

    def _check_plan_is_draft(self, plans):
        if any(plan.state != "draft" for plan in plans):
            raise UserError(
                _(
                    "The instalments of a payment plan that was sent for approval "
                    "change only through the payments received."
                )
            )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_amount_open(self):
        for line in self:
            line.amount_open = line.amount - line.amount_paid

    def _compute_display_name(self):
        for line in self:
            line.display_name = _(
                "%(plan)s: %(amount)s on %(date)s",
                plan=line.plan_id.name,
                amount=format_amount(self.env, line.amount, line.currency_id),
                date=fields.Date.to_string(line.date),
            )

    def _send_reminder(self):
        """A friendly note a few days before the instalment falls due."""
        self.ensure_one()
        communication = self.plan_id._notify_customer(
            "customer_retention_dunning.mail_template_payment_plan_instalment",
            line=self,
            trigger="plan",
        )
        internal(self).reminder_sent = True
        return communication
