from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from ..models.decision_fields import internal
from ..models.payment_plan import FREQUENCY_SELECTION, SCHEDULE_BY_SELECTION
from ..tools.payment_plan import build_schedule


class PaymentPlanWizard(models.TransientModel):
    _name = "payment.plan.wizard"
    _description = "Propose a Payment Plan"

    # derived from the invoices, so that a script creating the wizard with
    # the public fields alone (move_ids, installment_count, frequency,
    # first_date) gets the customer and company they belong to
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_company",
        store=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        compute="_compute_partner_company",
        store=True,
        readonly=False,
        precompute=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many("account.move", string="Invoices")
    amount_principal = fields.Monetary(
        string="Invoices Open",
        currency_field="currency_id",
        compute="_compute_amounts",
    )
    include_statutory = fields.Boolean(
        string="Add Costs and Interest",
        help="Fill in the collection costs and the statutory interest up to "
        "today by the company's rules. A consumer owes costs only once the "
        "14 days of a formal demand have passed; invoices whose costs were "
        "already charged get none again.",
    )
    costs_amount = fields.Monetary(
        string="Collection Costs",
        currency_field="currency_id",
        compute="_compute_statutory",
        store=True,
        readonly=False,
    )
    interest_amount = fields.Monetary(
        string="Interest",
        currency_field="currency_id",
        compute="_compute_statutory",
        store=True,
        readonly=False,
    )
    amount_total = fields.Monetary(
        string="Total", currency_field="currency_id", compute="_compute_amounts"
    )
    down_payment = fields.Monetary(currency_field="currency_id")
    schedule_by = fields.Selection(
        SCHEDULE_BY_SELECTION, string="Schedule By", required=True, default="count"
    )
    instalment_count = fields.Integer(string="Instalments", default=3)
    # the public name other modules use
    installment_count = fields.Integer(
        related="instalment_count", readonly=False, string="Number of Instalments"
    )
    instalment_amount = fields.Monetary(currency_field="currency_id")
    frequency = fields.Selection(FREQUENCY_SELECTION, required=True, default="monthly")
    first_date = fields.Date(
        string="First Payment",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=7),
    )
    schedule_preview = fields.Html(
        string="Schedule", compute="_compute_schedule_preview"
    )

    @api.constrains("down_payment", "costs_amount", "interest_amount")
    def _check_amounts(self):
        for wizard in self:
            if (
                min(wizard.down_payment, wizard.costs_amount, wizard.interest_amount)
                < 0
            ):
                raise ValidationError(
                    _(
                        "A payment plan's down payment, costs and interest cannot "
                        "be negative."
                    )
                )

    @api.depends("move_ids")
    def _compute_partner_company(self):
        for wizard in self:
            invoices = wizard.move_ids
            if len(invoices.commercial_partner_id) == 1:
                wizard.partner_id = invoices.commercial_partner_id
            wizard.company_id = (
                (invoices.company_id if len(invoices.company_id) == 1 else None)
                or wizard.company_id
                or self.env.company
            )

    @api.depends("include_statutory", "move_ids")
    def _compute_statutory(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            costs = interest = 0.0
            if wizard.include_statutory:
                costs, interest = wizard._statutory_amounts(today)
            wizard.costs_amount = costs
            wizard.interest_amount = interest

    def _statutory_amounts(self, today):
        """(costs, interest) the rules give for the chosen invoices."""
        self.ensure_one()
        invoices = self.move_ids.filtered(
            lambda move: (
                not move.dunning_is_charge
                and not move.dunning_charge_ids.filtered(
                    lambda charge: charge.state == "posted"
                )
            )
        )
        overdue = invoices.filtered(
            lambda move: move.invoice_date_due and move.invoice_date_due < today
        )
        if not invoices:
            return 0.0, 0.0
        company = invoices.company_id[:1]
        partner = invoices.commercial_partner_id[:1].with_company(company)
        # every instalment already due bears interest, also on an invoice
        # whose last instalment is not due yet
        interest = invoices._dunning_interest_total(today)
        if not overdue:
            costs = 0.0  # nothing overdue yet: no collection costs
        elif partner._dunning_is_consumer():
            # only after a 14-day letter whose period has passed
            notice = self.env["dunning.communication"].search(
                [
                    ("move_ids", "in", overdue.ids),
                    ("is_consumer_notice", "=", True),
                    ("state", "=", "sent"),
                    ("costs_claimable_from", "<=", today),
                ],
                order="date desc, id desc",
                limit=1,
            )
            costs = notice.statutory_costs
        else:
            costs = partner._dunning_statutory_costs(
                sum(overdue.mapped("amount_residual_signed")), today
            )
        return costs, interest

    @api.depends("move_ids", "costs_amount", "interest_amount")
    def _compute_amounts(self):
        for wizard in self:
            wizard.amount_principal = sum(
                wizard.move_ids.mapped("amount_residual_signed")
            )
            wizard.amount_total = (
                wizard.amount_principal + wizard.costs_amount + wizard.interest_amount
            )

    @api.depends(
        "amount_total",
        "down_payment",
        "schedule_by",
        "instalment_count",
        "instalment_amount",
        "frequency",
        "first_date",
    )
    def _compute_schedule_preview(self):
        for wizard in self:
            try:
                schedule = build_schedule(
                    wizard.amount_total,
                    wizard.first_date,
                    wizard.frequency,
                    count=wizard.instalment_count,
                    instalment_amount=wizard._instalment_amount(),
                    down_payment=wizard.down_payment,
                    digits=wizard.currency_id.decimal_places,
                )
            except (ValueError, TypeError):
                wizard.schedule_preview = False
                continue
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td class='text-end'>%s</td><td>%s</td></tr>")
                % (
                    fields.Date.to_string(line.date),
                    format_amount(self.env, float(line.amount), wizard.currency_id),
                    self.env._("Down payment") if line.is_down_payment else "",
                )
                for line in schedule
            )
            wizard.schedule_preview = (
                Markup("<table class='table table-sm'>%s</table>") % rows
            )

    def _instalment_amount(self):
        self.ensure_one()
        return self.instalment_amount if self.schedule_by == "amount" else None

    def action_propose(self):
        """Create the plan and send it for approval; any refusal leaves
        nothing behind."""
        action = self.action_create()
        self.env["payment.plan"].browse(action["res_id"]).action_submit()
        return action

    def action_create(self):
        """Create the draft plan with its schedule (not yet sent for
        approval); any refusal leaves nothing behind."""
        self.ensure_one()
        invoices = self.move_ids
        Plan = self.env["payment.plan"]
        # every check before anything is written
        Plan._check_invoices(invoices)
        customer = invoices.commercial_partner_id
        if self.partner_id and customer != self.partner_id.commercial_partner_id:
            raise UserError(_("These invoices belong to another customer."))
        Plan._schedule_for(
            invoices.company_id,
            self.amount_total,
            self.first_date,
            self.frequency,
            self.instalment_count,
            self.down_payment,
            self._instalment_amount(),
        )
        plan = Plan.create(
            {
                "partner_id": customer.id,
                "company_id": invoices.company_id.id,
                "move_ids": [fields.Command.set(invoices.ids)],
                "down_payment": self.down_payment,
                "instalment_count": self.instalment_count,
                "schedule_by": self.schedule_by,
                "instalment_amount": self.instalment_amount,
                "frequency": self.frequency,
                "first_date": self.first_date,
                "costs_amount": self.costs_amount,
                "interest_amount": self.interest_amount,
            }
        )
        internal(plan).amount_principal = sum(invoices.mapped("amount_residual_signed"))
        plan._make_schedule()
        return {
            "type": "ir.actions.act_window",
            "res_model": "payment.plan",
            "res_id": plan.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }


class PaymentPlanReasonWizard(models.TransientModel):
    _name = "payment.plan.reason.wizard"
    _description = "Reason for Rejecting or Cancelling a Payment Plan"

    plan_id = fields.Many2one("payment.plan", required=True)
    action = fields.Selection(
        [("reject", "Reject"), ("cancel", "Cancel")], required=True, default="reject"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.action == "reject":
            self.plan_id.action_reject(self.reason)
        else:
            self.plan_id.action_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
