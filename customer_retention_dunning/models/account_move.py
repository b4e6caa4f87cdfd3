import logging
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.osv.expression import normalize_domain
from odoo.tools import float_round

from ..tools.value_at_risk import loss_percentage
from .decision_fields import (
    GROUP_COLLECTOR,
    GROUP_CREDIT_MANAGER,
    ONLY_ACTIONS,
    check_fields,
)
from .open_invoices import (
    OPEN_INVOICE_DOMAIN,
    is_open_invoice,
)

_logger = logging.getLogger(__name__)


# who decides what on an invoice; the ladder's own state is the run's
INVOICE_DECISION_FIELDS = {
    **dict.fromkeys(
        (
            "dunning_level_id",
            "dunning_last_date",
            "dunning_next_date",
            "promise_date",
            "payment_plan_id",
            "dunning_blocked_date",
            "dunning_is_charge",
            "dunning_charge_communication_id",
            "dunning_charge_plan_id",
            "dunning_charged_invoice_ids",
            "dunning_charge_ids",
            "dunning_costs_charged",
            "dunning_interest_charged",
        ),
        ONLY_ACTIONS,
    ),
    "dunning_blocked": GROUP_COLLECTOR,
    "dunning_block_reason": GROUP_COLLECTOR,
    "dunning_paused_until": GROUP_COLLECTOR,
    "dunning_pause_reason": GROUP_COLLECTOR,
    "dunning_handed_over": GROUP_CREDIT_MANAGER,
}


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_days_overdue",
        search="_search_days_overdue",
        help="Days since the due date of this open customer invoice; 0 when "
        "it is paid or not yet due.",
    )
    value_at_risk = fields.Monetary(
        groups="base.group_user",
        string="Value at Risk",
        compute="_compute_days_overdue",
        currency_field="company_currency_id",
        help="The open amount (company currency) times the loss curve for its "
        "days overdue: what this overdue money is expected to lose.",
    )
    payment_predicted_date = fields.Date(
        string="Expected Payment",
        compute="_compute_payment_predicted_date",
        help="The due date plus the customer's own weighted average delay; "
        "never before today for an invoice that is still open.",
    )

    dunning_level_id = fields.Many2one(
        "dunning.level",
        string="Dunning Level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The last step of the dunning ladder this invoice reached.",
    )
    dunning_last_date = fields.Date(string="Last Reminder", copy=False, readonly=True)
    dunning_next_date = fields.Date(
        string="Next Reminder",
        copy=False,
        readonly=True,
        help="When the nightly run will take this invoice one step up.",
    )
    promise_date = fields.Date(
        string="Promised Payment Date",
        copy=False,
        tracking=True,
        help="The customer promised to pay by this date: no reminders until "
        "then (plus the grace period in Settings).",
    )
    dunning_blocked = fields.Boolean(
        string="Disputed",
        copy=False,
        tracking=True,
        help="The customer disputes this invoice: it gets no reminders until "
        "the dispute is lifted, and then resumes where it was.",
    )
    dunning_block_reason = fields.Char(
        string="Dispute Reason", copy=False, tracking=True
    )
    dunning_blocked_date = fields.Date(
        string="Disputed Since",
        copy=False,
        readonly=True,
        help="Disputes older than the limit in Settings show in the credit "
        "manager's list, so that none hides an invoice forever.",
    )
    dunning_dispute_stale = fields.Boolean(
        string="Dispute to Review",
        compute="_compute_dunning_dispute_stale",
        search="_search_dunning_dispute_stale",
    )
    dunning_communication_count = fields.Integer(
        compute="_compute_dunning_communication_count"
    )
    dunning_paused_until = fields.Date(
        string="Dunning Paused Until",
        copy=False,
        tracking=True,
        help="No reminders for this invoice until the day after this date; "
        "then it resumes where it was.",
    )
    dunning_pause_reason = fields.Char(string="Pause Reason", copy=False, tracking=True)
    payment_plan_id = fields.Many2one(
        "payment.plan",
        string="Payment Plan",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The active payment plan this invoice is paid through: no "
        "reminders while it runs.",
    )
    dunning_handed_over = fields.Boolean(
        string="Handed Over",
        copy=False,
        tracking=True,
        help="Handed over to a collection agency or lawyer: no more reminders.",
    )
    partner_credit_hold = fields.Boolean(
        string="Customer on Credit Hold",
        compute="_compute_partner_credit_hold",
        help="The customer is on credit hold in this invoice's company.",
    )
    dunning_communication_line_ids = fields.One2many(
        "dunning.communication.line", "move_id", string="Reminders"
    )
    dunning_is_charge = fields.Boolean(
        string="Charges Costs and Interest",
        copy=False,
        readonly=True,
        help="This invoice charges collection costs and interest on other "
        "invoices: it bears neither itself.",
    )
    dunning_charge_communication_id = fields.Many2one(
        "dunning.communication",
        string="Charged for Formal Demand",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="This invoice charges the collection costs and interest of that "
        "formal demand.",
    )
    dunning_charge_plan_id = fields.Many2one(
        "payment.plan",
        string="Charged for Payment Plan",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="This invoice charges the costs and interest agreed in that plan.",
    )
    dunning_charged_invoice_ids = fields.Many2many(
        "account.move",
        "dunning_charge_invoice_rel",
        "charge_id",
        "invoice_id",
        string="Costs Charged For",
        copy=False,
        readonly=True,
    )
    dunning_charge_ids = fields.Many2many(
        "account.move",
        "dunning_charge_invoice_rel",
        "invoice_id",
        "charge_id",
        string="Costs Invoices",
        copy=False,
        readonly=True,
        help="The invoices that charged collection costs and interest on this one.",
    )
    dunning_costs_charged = fields.Monetary(
        string="Collection Costs Charged",
        currency_field="company_currency_id",
        copy=False,
        readonly=True,
    )
    dunning_interest_charged = fields.Monetary(
        string="Interest Charged",
        currency_field="company_currency_id",
        copy=False,
        readonly=True,
    )
    dunning_costs_open = fields.Monetary(
        string="Collection Costs Open",
        currency_field="company_currency_id",
        compute="_compute_dunning_charge_open",
        help="Payments of a costs invoice pay the costs first, then the interest "
        "(art. 6:44 BW).",
    )
    dunning_interest_open = fields.Monetary(
        string="Interest Open",
        currency_field="company_currency_id",
        compute="_compute_dunning_charge_open",
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_record_promise(self):
        """Record the customer's promise to pay these invoices."""
        customers = self.commercial_partner_id
        if len(customers) != 1:
            raise UserError(_("A promise to pay covers invoices of one customer only."))
        return self._action_record_promise(customers)

    def _action_record_promise(self, customer):
        return {
            "type": "ir.actions.act_window",
            "name": _("Promise to Pay"),
            "res_model": "dunning.promise",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": customer.id,
                "default_move_ids": [fields.Command.set(self.ids)],
                "default_amount": sum(self.mapped("amount_residual_signed")),
            },
        }

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_invoice_payment_term_id(self):
        # good payers are rewarded: a customer without a default term of its
        # own gets the term Settings give its payment band
        result = super()._compute_invoice_payment_term_id()
        for move in self:
            partner = move.partner_id.with_company(move.company_id)
            if (
                move.is_sale_document(include_receipts=True)
                and partner
                and not move.dunning_is_charge
                and not partner.property_payment_term_id
                and not move.invoice_payment_term_id
            ):
                move.invoice_payment_term_id = (
                    move.company_id._dunning_payment_term_for_band(
                        partner.commercial_partner_id.payment_score_band
                    )
                )
        return result

    def action_propose_payment_plan(self):
        """Propose a payment plan for these invoices."""
        customers = self.commercial_partner_id
        if len(customers) != 1:
            raise UserError(_("A payment plan covers invoices of one customer only."))
        return self._action_propose_payment_plan(customers)

    def _action_propose_payment_plan(self, customer):
        return {
            "type": "ir.actions.act_window",
            "name": _("Propose a Payment Plan"),
            "res_model": "payment.plan.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": customer.id,
                "default_move_ids": [fields.Command.set(self.ids)],
            },
        }

    def action_dunning_escalate_now(self):
        """Take these invoices one step up now and send the reminder."""
        invoices = self._dunning_open_invoices()
        communications = self.env["dunning.escalation"]._escalate_now(
            invoices.commercial_partner_id, invoices
        )
        return communications._action_show_made()

    def action_dunning_send_again(self):
        """Send the current reminder of these invoices again."""
        invoices = self._dunning_open_invoices()
        communications = self.env["dunning.escalation"]._send_again(
            invoices.commercial_partner_id, invoices
        )
        return communications._action_show_made()

    def action_dunning_resume(self):
        """Lift a pause: the invoices resume where they were."""
        paused = self.filtered("dunning_paused_until")
        paused.write({"dunning_paused_until": False, "dunning_pause_reason": False})
        return True

    def action_dunning_preview(self):
        """What the next run would do for these invoices' customers."""
        return self.commercial_partner_id.action_dunning_preview()

    def _dunning_open_invoices(self):
        """The open customer invoices among these moves; a clear message
        when there are none."""
        invoices = self.filtered(lambda move: is_open_invoice(move))
        if not invoices:
            raise UserError(
                _(
                    "Dunning only applies to posted customer invoices that are still open."
                )
            )
        return invoices

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_fields(self, vals, INVOICE_DECISION_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_fields(self, vals, INVOICE_DECISION_FIELDS)
        if "dunning_blocked" in vals:
            vals = dict(
                vals,
                dunning_blocked_date=fields.Date.context_today(self)
                if vals["dunning_blocked"]
                else False,
            )
        return super().write(vals)

    def action_view_dunning_communications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_retention_dunning.dunning_communication_action"
        )
        action["domain"] = [("move_ids", "in", self.ids)]
        return action

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.line_ids._receivable_customers()._refresh_payment_score()
        return posted

    def button_draft(self):
        customers = self.line_ids._receivable_customers()
        result = super().button_draft()
        customers._refresh_payment_score()
        return result

    def button_cancel(self):
        customers = self.line_ids._receivable_customers()
        result = super().button_cancel()
        customers._refresh_payment_score()
        return result

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "amount_residual_signed",
        "line_ids.amount_residual",
        "dunning_costs_charged",
        "dunning_interest_charged",
    )
    def _compute_dunning_charge_open(self):
        for move in self:
            if not move.dunning_is_charge or move.state != "posted":
                move.dunning_costs_open = move.dunning_interest_open = 0.0
                continue
            charged = move.dunning_costs_charged + move.dunning_interest_charged
            paid = max(charged - move.amount_residual_signed, 0.0)
            costs_paid = min(paid, move.dunning_costs_charged)
            move.dunning_costs_open = move.dunning_costs_charged - costs_paid
            move.dunning_interest_open = move.dunning_interest_charged - (
                paid - costs_paid
            )

    @api.depends_context("date")
    @api.depends("dunning_blocked", "dunning_blocked_date")
    def _compute_dunning_dispute_stale(self):
        today = fields.Date.context_today(self)
        for move in self:
            limit = move.company_id.dunning_dispute_max_days
            move.dunning_dispute_stale = bool(
                move.dunning_blocked
                and move.dunning_blocked_date
                and (today - move.dunning_blocked_date).days > limit
            )

    def _search_dunning_dispute_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on disputes to review."))
        today = fields.Date.context_today(self)
        stale = expression.OR(
            [
                [
                    ("company_id", "=", company.id),
                    ("dunning_blocked", "=", True),
                    (
                        "dunning_blocked_date",
                        "<",
                        today - timedelta(days=company.dunning_dispute_max_days),
                    ),
                ]
                # each company's own limit; the invoices read are the user's
                for company in self.env["res.company"].sudo().search([])
            ]
        )
        return stale if (operator == "=") == value else ["!", *normalize_domain(stale)]

    @api.depends("commercial_partner_id", "company_id")
    def _compute_partner_credit_hold(self):
        for move in self:
            move.partner_credit_hold = move.commercial_partner_id.with_company(
                move.company_id
            ).credit_hold

    def _compute_dunning_communication_count(self):
        counts = dict(
            self.env["dunning.communication.line"]._read_group(
                [("move_id", "in", self.ids)], ["move_id"], ["__count"]
            )
        )
        for move in self:
            move.dunning_communication_count = counts.get(move, 0)

    def _is_open_customer_invoice(self):
        self.ensure_one()
        return is_open_invoice(self)

    @api.depends(
        "invoice_date_due",
        "state",
        "move_type",
        "payment_state",
        "amount_residual_signed",
    )
    @api.depends_context("date")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        # each company's loss curve read once (a list or a night computes
        # thousands of invoices at once)
        curves = {}
        for move in self:
            if (
                not move._is_open_customer_invoice()
                or not move.invoice_date_due
                or move.invoice_date_due >= today
            ):
                move.days_overdue = 0
                move.value_at_risk = 0.0
                continue
            move.days_overdue = (today - move.invoice_date_due).days
            if move.company_id not in curves:
                curves[move.company_id] = move.company_id._dunning_loss_curve()
            curve = curves[move.company_id]
            move.value_at_risk = float_round(
                move.amount_residual_signed
                * loss_percentage(move.days_overdue, curve)
                / 100.0,
                precision_rounding=move.company_currency_id.rounding or 0.01,
            )

    @api.depends("invoice_date_due", "state", "payment_state", "partner_id")
    @api.depends_context("date")
    def _compute_payment_predicted_date(self):
        today = fields.Date.context_today(self)
        for move in self:
            if not move._is_open_customer_invoice() or not move.invoice_date_due:
                move.payment_predicted_date = False
                continue
            partner = move.commercial_partner_id
            delay = (
                round(partner.payment_avg_days_late)
                if partner.payment_score_band != "none"
                else 0
            )
            move.payment_predicted_date = max(
                today, move.invoice_date_due + timedelta(days=delay)
            )

    def _search_days_overdue(self, operator, value):
        """Search customer invoices by days overdue, e.g.
        ``[('days_overdue', '>', 30)]``; anything not open or not yet due
        has 0 days overdue."""
        if operator not in (">", ">=", "<", "<=", "=", "!="):
            raise UserError(_("Unsupported search on days overdue: %s", operator))
        try:
            days = int(value or 0)
        except (TypeError, ValueError) as error:
            raise UserError(
                _("Days overdue is a whole number of days, not %s.", value)
            ) from error
        if operator in ("<", "<=", "!="):
            opposite = {"<": ">=", "<=": ">", "!=": "="}[operator]
            return ["!", *normalize_domain(self._search_days_overdue(opposite, days))]
        if operator == ">":
            operator, days = ">=", days + 1
        if operator == ">=" and days <= 0:
            return []
        if operator == "=" and days == 0:
            return ["!", *normalize_domain(self._search_days_overdue(">=", 1))]
        if days < 0:
            return [("id", "=", 0)]
        # more days overdue means an earlier due date
        due_limit = fields.Date.context_today(self) - timedelta(days=days)
        return [
            *OPEN_INVOICE_DOMAIN,
            ("invoice_date_due", "<=" if operator == ">=" else "=", due_limit),
        ]

    # ------------------------------------------------------------
    # STATUTORY INTEREST
    # ------------------------------------------------------------

    def _dunning_statutory_interest(self, until):
        """The statutory interest this invoice owes up to and including
        ``until``, in company currency.

        Every instalment of the invoice (one per due date of its payment
        term) runs from the day after its own due date: a part that was paid
        up to and including the day it was paid, the part still open up to
        and including ``until``. A part taken off by a credit note was never
        owed and bears none. The customer's type sets the rate
        (``res.partner._dunning_statutory_interest``)."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        end = until + timedelta(days=1)
        total = 0.0
        instalments = self.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and line.balance > 0
        )
        for instalment in instalments:
            due = instalment.date_maturity or self.invoice_date_due
            start = due + timedelta(days=1)
            still_open = instalment.balance
            for partial in instalment.matched_credit_ids.sorted("max_date"):
                still_open -= partial.amount
                credited = partial.credit_move_id.move_id.move_type == "out_refund"
                stop = min(partial.max_date, until) + timedelta(days=1)
                if stop > start and not credited:
                    total += partner._dunning_statutory_interest(
                        partial.amount, start, stop
                    )
            if still_open > 0 and end > start:
                total += partner._dunning_statutory_interest(still_open, start, end)
        return self.company_id.currency_id.round(total)

    def _dunning_paid_on(self):
        """The day this invoice was paid in full, or None while it is open."""
        self.ensure_one()
        if self.payment_state not in ("paid", "in_payment", "reversed"):
            return None
        matched = self.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).matched_credit_ids
        return max(matched.mapped("max_date"), default=self.invoice_date)

    def _dunning_interest_total(self, until):
        """The statutory interest of these invoices up to and including
        ``until``; an invoice older than the oldest rate adds nothing (and
        is logged)."""
        if not self:
            return 0.0
        total = 0.0
        for invoice in self:
            try:
                total += invoice._dunning_statutory_interest(until)
            except UserError:
                _logger.warning("No interest rate for invoice %s", invoice.name)
        return self.company_id[:1].currency_id.round(total)

    # ------------------------------------------------------------
    # COSTS INVOICES
    # ------------------------------------------------------------

    @api.model
    def _dunning_charge_values(
        self, partner, company, invoices, costs, interest, today, reference, extra
    ):
        """The values of a customer invoice charging ``costs`` and
        ``interest`` (company currency) on ``invoices``: the products and
        accounts of Settings, no taxes, due in 14 days."""
        currency = company.currency_id
        journal = company.dunning_charge_journal_id or self.env[
            "account.journal"
        ].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                _("%s has no sales journal for the costs invoice.", company.name)
            )
        names = ", ".join(invoices.mapped("name"))
        lines = []
        for kind, amount, label in (
            (
                "costs",
                costs,
                _("Extrajudicial collection costs on %s", names),
            ),
            (
                "interest",
                interest,
                _(
                    "Statutory interest up to and including %(date)s on %(invoices)s",
                    date=fields.Date.to_string(today),
                    invoices=names,
                ),
            ),
        ):
            if currency.is_zero(amount):
                continue
            values = {
                "product_id": company._dunning_charge_product(kind).id,
                "name": label,
                "quantity": 1.0,
                "price_unit": amount,
                # damages, not a supply: no VAT of their own
                "tax_ids": [Command.clear()],
            }
            account = company[f"dunning_{kind}_account_id"]
            if account:
                values["account_id"] = account.id
            lines.append(Command.create(values))
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "journal_id": journal.id,
            "currency_id": currency.id,
            "invoice_date": today,
            "invoice_date_due": today + timedelta(days=14),
            "invoice_payment_term_id": False,
            "invoice_origin": names,
            "ref": reference,
            "dunning_is_charge": True,
            "dunning_charged_invoice_ids": [Command.set(invoices.ids)],
            "dunning_costs_charged": costs,
            "dunning_interest_charged": interest,
            "invoice_line_ids": lines,
            **extra,
        }
