from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from .cron_batches import run_isolated_in_batches
from .decision_fields import ONLY_ACTIONS, check_fields, internal, is_internal

PAID_STATES = ("paid", "in_payment", "reversed")
# kept, broken and cancelled are the outcome of the check and the actions
PROMISE_ACTION_FIELDS = dict.fromkeys(
    ("state", "user_id", "company_id", "from_customer"), ONLY_ACTIONS
)


class DunningPromise(models.Model):
    _name = "dunning.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_names_search = ["partner_id"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    move_ids = fields.Many2many(
        "account.move",
        "dunning_promise_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', 'in', ('out_invoice', 'out_receipt')), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    date = fields.Date(
        string="Promised Date",
        required=True,
        tracking=True,
        help="The day the customer promised to pay by.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        currency_field="currency_id",
        help="The amount promised (company currency); by default what the "
        "invoices still owe.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Taken By",
        required=True,
        default=lambda self: self.env.user,
    )
    note = fields.Text()
    from_customer = fields.Boolean(
        string="Given by the Customer",
        readonly=True,
        help="The customer promised this date in the portal, from a reminder.",
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("partner_id", "move_ids", "company_id")
    def _check_invoices(self):
        for promise in self:
            if (
                promise.move_ids.commercial_partner_id
                != promise.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    _("A promise to pay covers invoices of one customer only.")
                )
            if promise.move_ids.company_id - promise.company_id:
                raise ValidationError(
                    _("A promise to pay covers invoices of one company only.")
                )

    @api.constrains("date", "state")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for promise in self:
            if promise.state != "open":
                continue
            if promise.date < today:
                raise ValidationError(
                    _("A promised payment date cannot lie in the past.")
                )
            limit = promise.company_id.dunning_promise_max_days
            if promise.date > today + timedelta(days=limit):
                raise ValidationError(
                    _(
                        "A promise to pay reaches %(days)s days ahead at most (by "
                        "%(date)s); for a later date, propose a payment plan.",
                        days=limit,
                        date=fields.Date.to_string(today + timedelta(days=limit)),
                    )
                )

    @api.constrains("amount")
    def _check_amount(self):
        if any(
            promise.currency_id.compare_amounts(promise.amount, 0) < 0
            for promise in self
        ):
            raise ValidationError(_("A promised amount cannot be negative."))

    # ------------------------------------------------------------
    # ONCHANGES
    # ------------------------------------------------------------

    @api.onchange("move_ids")
    def _onchange_move_ids(self):
        if self.move_ids and not self.amount:
            self.amount = sum(self.move_ids.mapped("amount_residual_signed"))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a person takes a promise as themselves and it starts open; its
            # company is the invoices' (below), whatever was given
            check_fields(
                self,
                {key: value for key, value in vals.items() if key != "company_id"},
                PROMISE_ACTION_FIELDS,
                creating=True,
                starts_as={"state": "open", "user_id": self.env.uid},
            )
            vals["company_id"] = self._company_of_invoices(vals)
        promises = super().create(vals_list)
        for promise in internal(promises):
            promise.partner_id = promise.partner_id.commercial_partner_id
            promise.move_ids.promise_date = promise.date
            promise.partner_id.message_post(
                body=_(
                    "Promise to pay %(amount)s by %(date)s, given by the customer "
                    "in the portal; followed up by %(user)s.",
                    amount=promise._format_amount(),
                    date=fields.Date.to_string(promise.date),
                    user=promise.user_id.name,
                )
                if promise.from_customer
                else _(
                    "Promise to pay %(amount)s by %(date)s, taken by %(user)s.",
                    amount=promise._format_amount(),
                    date=fields.Date.to_string(promise.date),
                    user=promise.user_id.name,
                )
            )
        return promises

    def write(self, vals):
        check_fields(self, vals, PROMISE_ACTION_FIELDS)
        if not is_internal(self.env) and any(
            promise.state != "open" for promise in self
        ):
            raise UserError(
                _("A promise that was kept, broken or cancelled is not changed.")
            )
        return super().write(vals)

    @api.model
    def _company_of_invoices(self, vals):
        """The company of the promised invoices (one company per promise)."""
        move_ids = []
        for command in vals.get("move_ids") or []:
            if command[0] == fields.Command.SET:
                move_ids += command[2]
            elif command[0] == fields.Command.LINK:
                move_ids.append(command[1])
        companies = self.env["account.move"].browse(move_ids).company_id
        if len(companies) > 1:
            raise UserError(_("A promise to pay covers invoices of one company only."))
        return companies.id or vals.get("company_id") or self.env.company.id

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_close_dialog(self):
        """The promise is saved by the button itself; close the dialog."""
        return {"type": "ir.actions.act_window_close"}

    def action_cancel(self):
        self.check_access("write")
        for promise in internal(self).filtered(lambda p: p.state == "open"):
            promise.state = "cancelled"
            promise._release_invoices()
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _format_amount(self):
        return format_amount(self.env, self.amount, self.currency_id)

    def _release_invoices(self):
        """Dunning of these invoices resumes (unless another open promise
        still covers them)."""
        for invoice in self.move_ids:
            others = self.search(
                [
                    ("move_ids", "in", invoice.ids),
                    ("state", "=", "open"),
                    ("id", "not in", self.ids),
                ],
                order="date desc",
                limit=1,
            )
            invoice.promise_date = others.date or False

    @api.model
    def _check_promises(self, today):
        """Kept when the invoices are paid; broken when the promised date
        plus the grace period passed without it. A broken promise resumes
        dunning at the next level and gives the collector an activity. Each
        promise on its own: one that fails is noted and left open."""
        run_isolated_in_batches(
            internal(self).search([("state", "=", "open")]),
            lambda promise: promise._check_promise(today),
            self.env._("The nightly promise check"),
        )

    def _check_promise(self, today):
        promise = self
        if all(move.payment_state in PAID_STATES for move in promise.move_ids):
            promise.state = "kept"
            promise._release_invoices()
            return
        grace = promise.company_id.dunning_promise_grace_days
        if promise.date + timedelta(days=grace) < today:
            promise.state = "broken"
            promise._release_invoices()
            promise.partner_id.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=today,
                summary=_("Promise to pay broken"),
                note=_(
                    "%(partner)s promised %(amount)s by %(date)s and did not pay.",
                    partner=promise.partner_id.name,
                    amount=promise._format_amount(),
                    date=fields.Date.to_string(promise.date),
                ),
                user_id=promise.user_id.id,
            )
