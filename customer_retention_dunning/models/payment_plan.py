from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

from ..tools.payment_plan import allocate_paid, build_schedule, credited_in_full
from .cron_batches import run_isolated
from .decision_fields import (
    GROUP_COLLECTOR,
    GROUP_CREDIT_MANAGER,
    ONLY_ACTIONS,
    check_fields,
    check_group,
    internal,
    is_internal,
)
from .open_invoices import (
    OPEN_INVOICE_DOMAIN,
    OPEN_PAYMENT_STATES,
)

SCHEDULE_BY_SELECTION = [
    ("count", "Number of instalments"),
    ("amount", "Instalment amount"),
]
FREQUENCY_SELECTION = [
    ("weekly", "Weekly"),
    ("biweekly", "Every two weeks"),
    ("monthly", "Monthly"),
]
# a plan in these states is over: nothing changes it any more
CLOSED_STATES = ("done", "settled_credit", "cancelled")
# what only the plan's own actions write: its status and who did what
PLAN_ACTION_FIELDS = dict.fromkeys(
    (
        "name",
        "state",
        "proposed_by_id",
        "submitted_by_id",
        "terms_author_ids",
        "approved_by_id",
        "approved_date",
        "reject_reason",
        "cancel_reason",
        "reopen_count",
        "charge_move_id",
        "amount_principal",
        "requested_by_customer",
    ),
    ONLY_ACTIONS,
)
# the terms a second person approves: they change only while the plan is
# a draft, and whoever changes them may not approve the plan
PLAN_TERMS_FIELDS = (
    "partner_id",
    "company_id",
    "move_ids",
    "down_payment",
    "instalment_count",
    "schedule_by",
    "instalment_amount",
    "frequency",
    "first_date",
    "costs_amount",
    "interest_amount",
    "line_ids",
)


class PaymentPlan(models.Model):
    """An arrangement with a customer to pay overdue invoices in instalments,
    approved by a second person, followed instalment by instalment."""

    _name = "payment.plan"
    _description = "Payment Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("active", "Active"),
            ("broken", "Broken"),
            ("done", "Done"),
            ("settled_credit", "Settled by Credit Note"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
    )
    move_ids = fields.Many2many(
        "account.move",
        "payment_plan_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain=[
            *OPEN_INVOICE_DOMAIN,
        ],
    )
    down_payment = fields.Monetary(currency_field="currency_id", tracking=True)
    instalment_count = fields.Integer(
        string="Number of Instalments", default=3, tracking=True
    )
    schedule_by = fields.Selection(
        SCHEDULE_BY_SELECTION, string="Schedule By", required=True, default="count"
    )
    instalment_amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="Each instalment's amount; the last one is what remains.",
    )
    frequency = fields.Selection(
        FREQUENCY_SELECTION, required=True, default="monthly", tracking=True
    )
    first_date = fields.Date(
        string="First Payment",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=7),
        tracking=True,
    )
    costs_amount = fields.Monetary(
        string="Collection Costs",
        currency_field="currency_id",
        help="Collection costs the customer pays through the plan.",
    )
    interest_amount = fields.Monetary(
        string="Interest",
        currency_field="currency_id",
        help="Statutory or agreed interest the customer pays through the plan.",
    )
    charge_move_id = fields.Many2one(
        "account.move",
        string="Costs Invoice",
        readonly=True,
        copy=False,
        help="Made when the plan is approved: the invoice charging the plan's "
        "collection costs and interest, paid through the plan.",
    )
    amount_principal = fields.Monetary(
        string="Invoices Open",
        currency_field="currency_id",
        readonly=True,
        help="What the invoices had open when the plan was proposed.",
    )
    amount_total = fields.Monetary(
        string="Total",
        currency_field="currency_id",
        compute="_compute_amount_total",
        store=True,
    )
    amount_paid = fields.Monetary(
        string="Paid",
        currency_field="currency_id",
        compute="_compute_amount_paid",
        help="Received for the plan's invoices since the plan was proposed.",
    )
    amount_due = fields.Monetary(
        string="Still to Pay",
        currency_field="currency_id",
        compute="_compute_amount_paid",
    )
    progress = fields.Float(compute="_compute_amount_paid")
    line_ids = fields.One2many("payment.plan.line", "plan_id", string="Schedule")
    next_line_id = fields.Many2one(
        "payment.plan.line", string="Next Instalment", compute="_compute_next_line"
    )
    proposed_by_id = fields.Many2one(
        "res.users",
        string="Proposed By",
        default=lambda self: self.env.user,
        readonly=True,
        copy=False,
    )
    submitted_by_id = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    terms_author_ids = fields.Many2many(
        "res.users",
        "payment_plan_terms_author_rel",
        "plan_id",
        "user_id",
        string="Terms Set By",
        readonly=True,
        copy=False,
        help="Everyone who proposed or changed the plan's terms: none of "
        "them may approve it.",
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approved_date = fields.Date(readonly=True, copy=False)
    needs_credit_manager = fields.Boolean(
        compute="_compute_needs_credit_manager",
        help="Above the amount in Settings, only a credit manager approves.",
    )
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)
    cancel_reason = fields.Text(readonly=True, copy=False, tracking=True)
    reopen_count = fields.Integer(readonly=True, copy=False)
    communication_ids = fields.One2many(
        "dunning.communication", "payment_plan_id", string="Plan Messages"
    )
    communication_count = fields.Integer(compute="_compute_communication_count")
    move_count = fields.Integer(compute="_compute_move_count")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("amount_principal", "costs_amount", "interest_amount")
    def _compute_amount_total(self):
        for plan in self:
            plan.amount_total = (
                plan.amount_principal + plan.costs_amount + plan.interest_amount
            )

    @api.depends("line_ids.amount_paid", "amount_total")
    def _compute_amount_paid(self):
        for plan in self:
            plan.amount_paid = sum(plan.line_ids.mapped("amount_paid"))
            plan.amount_due = plan.amount_total - plan.amount_paid
            plan.progress = (
                100.0 * plan.amount_paid / plan.amount_total
                if plan.amount_total
                else 0.0
            )

    @api.depends("line_ids.state", "line_ids.date")
    def _compute_next_line(self):
        for plan in self:
            plan.next_line_id = plan.line_ids.filtered(
                lambda line: line.state != "paid"
            ).sorted("date")[:1]

    @api.depends("amount_total", "company_id")
    def _compute_needs_credit_manager(self):
        for plan in self:
            threshold = plan.company_id.payment_plan_approval_amount
            plan.needs_credit_manager = (
                bool(threshold) and plan.amount_total > threshold
            )

    def _compute_communication_count(self):
        for plan in self:
            plan.communication_count = len(plan.communication_ids)

    def _compute_move_count(self):
        for plan in self:
            plan.move_count = len(plan.move_ids)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for plan in self:
            plan.access_url = f"/my/payment_plans/{plan.id}"
        return result

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("down_payment", "costs_amount", "interest_amount")
    def _check_amounts(self):
        for plan in self:
            if any(
                plan.currency_id.compare_amounts(amount, 0.0) < 0
                for amount in (
                    plan.down_payment,
                    plan.costs_amount,
                    plan.interest_amount,
                )
            ):
                raise ValidationError(
                    _(
                        "A payment plan's down payment, costs and interest cannot "
                        "be negative."
                    )
                )

    @api.constrains("move_ids", "partner_id", "company_id")
    def _check_move_ids(self):
        for plan in self:
            if plan.move_ids.commercial_partner_id - plan.partner_id:
                raise ValidationError(
                    _("A payment plan covers invoices of its own customer only.")
                )
            if plan.move_ids.company_id - plan.company_id:
                raise ValidationError(
                    _("A payment plan covers invoices of its own company only.")
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a person proposes a draft as themselves, nothing more
            check_fields(
                self,
                vals,
                PLAN_ACTION_FIELDS,
                creating=True,
                starts_as={
                    "state": "draft",
                    "proposed_by_id": self.env.uid,
                    "name": "/",
                },
            )
            vals.setdefault("proposed_by_id", self.env.uid)
            vals.setdefault("terms_author_ids", [Command.link(self.env.uid)])
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("payment.plan") or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        check_fields(self, vals, PLAN_ACTION_FIELDS)
        if any(key in vals for key in PLAN_TERMS_FIELDS) and not is_internal(self.env):
            self.check_access("write")
            if any(plan.state != "draft" for plan in self):
                raise UserError(
                    _(
                        "The terms of a payment plan change only while it is a "
                        "draft: reject it back to draft first."
                    )
                )
            # the decision fields were checked above, on what the user gave
            vals = dict(vals, terms_author_ids=[Command.link(self.env.uid)])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(
                _(
                    "A payment plan that was sent for approval is never deleted; "
                    "a credit manager can cancel it with a reason."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        """Draft -> To Approve, with a fresh schedule; the credit managers (or
        the collectors, for smaller plans) get an activity."""
        check_group(self.env, GROUP_COLLECTOR)
        self.check_access("write")
        for plan in internal(self):
            if plan.state != "draft":
                raise UserError(_("Only a draft plan can be sent for approval."))
            plan._check_invoices_open()
            if plan.charge_move_id:
                # a re-opened plan: its costs and interest are invoiced
                # already, and what is left of them is in the open amounts
                plan.write({"costs_amount": 0.0, "interest_amount": 0.0})
            plan.amount_principal = sum(plan.move_ids.mapped("amount_residual_signed"))
            plan._make_schedule()
            plan.write(
                {
                    "state": "to_approve",
                    "reject_reason": False,
                    "submitted_by_id": self.env.uid,
                    "terms_author_ids": [Command.link(self.env.uid)],
                }
            )
            plan._ask_for_approval()
        return True

    def action_approve(self):
        """To Approve -> Active: never by the person who proposed it; above
        the amount in Settings only by a credit manager."""
        check_group(self.env, GROUP_COLLECTOR)
        self.check_access("write")
        for plan in internal(self):
            if plan.state != "to_approve":
                raise UserError(_("Only a plan waiting for approval can be approved."))
            if self.env.user in plan._four_eyes_authors():
                raise UserError(
                    _(
                        "Four eyes: you proposed this plan, so someone else must approve it."
                    )
                )
            if plan.needs_credit_manager and not self.env.user.has_group(
                GROUP_CREDIT_MANAGER
            ):
                raise UserError(
                    _(
                        "Plans above %s need a credit manager's approval.",
                        format_amount(
                            self.env,
                            plan.company_id.payment_plan_approval_amount,
                            plan.currency_id,
                        ),
                    )
                )
            plan._check_invoices_open()
            if plan.first_date < fields.Date.context_today(self):
                # approved late: the customer cannot pay in the past
                raise UserError(
                    _(
                        "The first payment date of %(plan)s (%(date)s) has passed: "
                        "reject the plan so that a new date is agreed.",
                        plan=plan.name,
                        date=fields.Date.to_string(plan.first_date),
                    )
                )
            plan.write(
                {
                    "state": "active",
                    "approved_by_id": self.env.user.id,
                    "approved_date": fields.Date.context_today(self),
                }
            )
            plan._charge_costs()
            plan.move_ids.with_context(skip_invoice_sync=True).write(
                {"payment_plan_id": plan.id}
            )
            plan.activity_unlink(["mail.mail_activity_data_todo"])
            plan._notify_customer(
                "customer_retention_dunning.mail_template_payment_plan_approved"
            )
            plan._log_on_documents(_("Payment plan %s approved", plan.name))
        return True

    def _charge_costs(self):
        """The costs and interest agreed in the plan become a customer
        invoice the plan also covers, so that paying them is recorded."""
        self.ensure_one()
        currency = self.currency_id
        if self.charge_move_id or (
            currency.is_zero(self.costs_amount)
            and currency.is_zero(self.interest_amount)
        ):
            return
        invoices = self.move_ids.filtered(lambda move: not move.dunning_is_charge)
        charge = self.env["account.move"].create(
            self.env["account.move"]._dunning_charge_values(
                self.partner_id,
                self.company_id,
                invoices,
                currency.round(self.costs_amount),
                currency.round(self.interest_amount),
                fields.Date.context_today(self),
                reference=_("Payment plan %s", self.name),
                extra={"dunning_charge_plan_id": self.id},
            )
        )
        charge.action_post()
        self.write({"charge_move_id": charge.id, "move_ids": [Command.link(charge.id)]})

    def action_reject(self, reason):
        """To Approve -> Draft, with the reason for the person who proposed it."""
        check_group(self.env, GROUP_COLLECTOR)
        self.check_access("write")
        if not reason:
            raise UserError(_("Please give a reason for the rejection."))
        for plan in internal(self):
            if plan.state != "to_approve":
                raise UserError(_("Only a plan waiting for approval can be rejected."))
            if self.env.user in plan._four_eyes_authors():
                raise UserError(_("Four eyes: you cannot judge your own proposal."))
            plan.write({"state": "draft", "reject_reason": reason})
            plan.activity_unlink(["mail.mail_activity_data_todo"])
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Payment plan rejected"),
                note=reason,
                user_id=plan.proposed_by_id.id or self.env.user.id,
            )
        return True

    def action_cancel(self, reason):
        """By a credit manager, with a reason: the invoices return to dunning;
        nothing is deleted."""
        if not self.env.su and not self.env.user.has_group(GROUP_CREDIT_MANAGER):
            raise AccessError(_("Only a credit manager can cancel a payment plan."))
        self.check_access("write")
        if not reason:
            raise UserError(_("Please give a reason for the cancellation."))
        for plan in internal(self):
            if plan.state in CLOSED_STATES:
                raise UserError(_("This plan is already closed."))
            plan.write({"state": "cancelled", "cancel_reason": reason})
            plan._release_invoices()
            plan._log_on_documents(
                _(
                    "Payment plan %(plan)s cancelled: %(reason)s",
                    plan=plan.name,
                    reason=reason,
                )
            )
        return True

    def action_reopen(self):
        """A broken plan gets one second chance, with a new schedule: back to
        draft for the collector to adjust, then approval again."""
        if not self.env.su and not self.env.user.has_group(GROUP_CREDIT_MANAGER):
            raise AccessError(_("Only a credit manager can re-open a broken plan."))
        self.check_access("write")
        for plan in internal(self):
            if plan.state != "broken":
                raise UserError(_("Only a broken plan can be re-opened."))
            if plan.reopen_count >= 1:
                raise UserError(_("A broken plan can be re-opened once only."))
            plan.write(
                {
                    "state": "draft",
                    "reopen_count": plan.reopen_count + 1,
                    "move_ids": [
                        fields.Command.set(
                            plan.move_ids.filtered(
                                lambda move: move.payment_state in OPEN_PAYMENT_STATES
                            ).ids
                        )
                    ],
                    "first_date": max(
                        plan.first_date,
                        fields.Date.context_today(self) + timedelta(days=7),
                    ),
                    "down_payment": 0.0,
                }
            )
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(domain=[("id", "in", self.move_ids.ids)], context={})
        return action

    def action_view_communications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_retention_dunning.dunning_communication_action"
        )
        action.update(domain=[("payment_plan_id", "=", self.id)], context={})
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _instalment_payment(self, today=None):
        """What the customer pays online for the next instalment: the oldest
        open invoice and the instalment's open amount in that invoice's
        currency (the plan counts in the company's), rounded to it and never
        more than the invoice still owes.

        :return: ``(invoice, amount)``, or an empty invoice and 0.0
        """
        self.ensure_one()
        line = self.next_line_id
        invoice = self.move_ids.filtered(
            lambda move: move.payment_state in OPEN_PAYMENT_STATES
        ).sorted(lambda move: (move.invoice_date_due, move.id))[:1]
        if not line or not invoice:
            return self.env["account.move"], 0.0
        currency = invoice.currency_id
        in_invoice_currency = self.currency_id._convert(
            line.amount_open,
            currency,
            self.company_id,
            today or fields.Date.context_today(self),
        )
        return invoice, currency.round(
            min(in_invoice_currency, invoice.amount_residual)
        )

    def _four_eyes_authors(self):
        """Everyone who proposed, changed or submitted the terms: the
        approver must be someone else."""
        self.ensure_one()
        return self.proposed_by_id | self.submitted_by_id | self.terms_author_ids

    def _check_invoices_open(self):
        self.ensure_one()
        self._check_invoices(self.move_ids)

    @api.model
    def _check_invoices(self, invoices):
        """Refuse invoices a plan cannot cover, with the reason."""
        if not invoices:
            raise UserError(_("A payment plan needs at least one open invoice."))
        closed = invoices.filtered(
            lambda move: (
                move.state != "posted"
                or move.payment_state not in OPEN_PAYMENT_STATES
                or move.move_type not in ("out_invoice", "out_receipt")
            )
        )
        if closed:
            raise UserError(
                _(
                    "These invoices are not open customer invoices: %s",
                    ", ".join(closed.mapped("display_name")),
                )
            )
        if len(invoices.commercial_partner_id) > 1:
            raise UserError(_("A payment plan covers invoices of one customer only."))
        if len(invoices.company_id) > 1:
            raise UserError(_("A payment plan covers invoices of one company only."))
        taken = invoices.filtered(
            lambda move: (
                move.payment_plan_id
                and move.payment_plan_id not in self
                and move.payment_plan_id.state == "active"
            )
        )
        if taken:
            raise UserError(
                _(
                    "Already in an active payment plan: %s",
                    ", ".join(taken.mapped("display_name")),
                )
            )

    @api.model
    def _schedule_for(
        self,
        company,
        total,
        first_date,
        frequency,
        count,
        down_payment,
        instalment_amount=None,
    ):
        """The schedule of these terms (a number of instalments, or an
        instalment amount when one is given), refused with a clear message
        when it breaks the company's limits.

        :return: a list of :class:`~..tools.payment_plan.Instalment`
        """
        if instalment_amount is not None:
            if company.currency_id.compare_amounts(instalment_amount, 0.0) <= 0:
                raise UserError(_("The instalment amount must be positive."))
            count = None
        elif count < 1:
            raise UserError(_("A plan needs at least one instalment."))
        if company.currency_id.compare_amounts(total, 0.0) <= 0:
            raise UserError(_("There is nothing left to pay on these invoices."))
        if (
            down_payment < 0
            or company.currency_id.compare_amounts(down_payment, total) >= 0
        ):
            raise UserError(_("The down payment must be less than the total."))
        schedule = build_schedule(
            total,
            first_date,
            frequency,
            count=count,
            instalment_amount=instalment_amount,
            down_payment=down_payment,
            digits=company.currency_id.decimal_places,
        )
        company._payment_plan_check_terms(
            first_date,
            [(line.date, line.amount, line.is_down_payment) for line in schedule],
        )
        return schedule

    def _make_schedule(self):
        """Replace the instalments with the schedule of the plan's terms."""
        self.ensure_one()
        schedule = self._schedule_for(
            self.company_id,
            self.amount_total,
            self.first_date,
            self.frequency,
            self.instalment_count,
            self.down_payment,
            self.instalment_amount if self.schedule_by == "amount" else None,
        )
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "sequence": line.sequence,
                    "date": line.date,
                    "amount": float(line.amount),
                    "is_down_payment": line.is_down_payment,
                }
            )
            for line in schedule
        ]

    def _ask_for_approval(self):
        group = (
            "customer_retention_dunning.group_credit_manager"
            if self.needs_credit_manager
            else "customer_retention_dunning.group_collector"
        )
        # every credit manager who may approve it finds it in their
        # activities (the count next to the clock icon); smaller plans go to
        # the senior collectors too when no credit manager is there
        candidates = self.env.ref(
            "customer_retention_dunning.group_credit_manager"
        ).users
        if not self.needs_credit_manager and not (candidates - self.proposed_by_id):
            candidates = self.env.ref(group).users
        approvers = candidates.filtered(
            lambda user: (
                user != self.proposed_by_id
                and not user.share
                and user.active
                and user.id != SUPERUSER_ID
            )
        )
        note = _(
            "%(customer)s: %(amount)s in %(count)s instalments, proposed by %(user)s.",
            customer=self.partner_id.name,
            amount=format_amount(self.env, self.amount_total, self.currency_id),
            count=len(self.line_ids),
            user=self.proposed_by_id.name,
        )
        for approver in approvers or self.env.user:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Approve payment plan %s", self.name),
                note=note,
                user_id=approver.id,
            )

    def _release_invoices(self):
        """The invoices return to dunning at the level they had."""
        self.move_ids.filtered(lambda move: move.payment_plan_id in self).with_context(
            skip_invoice_sync=True
        ).write({"payment_plan_id": False})

    def _update_payments(self, today=None):
        """Allocate what was received for the invoices to the instalments
        in date order, and set each instalment's state."""
        today = today or fields.Date.context_today(self)
        for plan in self:
            open_now = sum(plan.move_ids.mapped("amount_residual_signed"))
            # what the plan's invoices add up to: once approved, its costs
            # and interest are one of them (the costs invoice)
            expected = (
                plan.amount_total if plan.charge_move_id else plan.amount_principal
            )
            received = max(0.0, expected - open_now)
            if plan.move_ids and all(
                move.payment_state not in OPEN_PAYMENT_STATES for move in plan.move_ids
            ):
                received = plan.amount_total
            lines = plan.line_ids.sorted(lambda line: (line.date, line.sequence))
            for line, paid in zip(
                lines,
                allocate_paid(lines.mapped("amount"), received),
                strict=True,
            ):
                values = {"amount_paid": float(paid)}
                if line.currency_id.compare_amounts(float(paid), line.amount) >= 0:
                    values["state"] = "paid"
                elif line.date < today:
                    values["state"] = "late"
                else:
                    values["state"] = "open"
                if any(line[key] != value for key, value in values.items()):
                    # bookkeeping of the plan, whoever registered the payment
                    line.sudo().write(values)

    def _notify_customer(self, template_xmlid, line=None, trigger="manual"):
        """E-mail the customer about the plan, or about one instalment
        (recorded as a dunning communication, so that analytics sees it)."""
        self.ensure_one()
        recipient = self.partner_id._dunning_recipient(self.move_ids)
        communication = (
            internal(self.env["dunning.communication"])
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "recipient_id": recipient.id,
                    "company_id": self.company_id.id,
                    "channel": "email",
                    "trigger": trigger,
                    "state": "queued",
                    "amount": line.amount_open if line else self.amount_due,
                    "payment_plan_id": self.id,
                    "payment_plan_line_id": line.id if line else False,
                    "user_id": (
                        self.partner_id.dunning_collector_id
                        or self.proposed_by_id
                        or self.env.user
                    ).id,
                    "move_ids": [fields.Command.set(self.move_ids.ids)],
                    "mail_template_id": self.env.ref(template_xmlid).id,
                }
            )
        ).with_env(internal(self).env)
        communication._deliver()
        return communication

    def _log_on_documents(self, title):
        self.ensure_one()
        rows = Markup("").join(
            Markup("<li>%s: %s</li>")
            % (
                fields.Date.to_string(line.date),
                format_amount(self.env, line.amount, self.currency_id),
            )
            for line in self.line_ids.sorted("date")
        )
        body = Markup("<p><b>%s</b></p><ul>%s</ul>") % (title, rows)
        self.partner_id.message_post(body=body)
        for move in self.move_ids:
            move.message_post(body=body)

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_monitor(self, batch_size=200):
        """Every night: payments allocated, finished plans done (or settled
        by credit note when credit notes closed all their invoices), late
        ones broken, and a friendly reminder a few days before each
        instalment."""
        # in batches (a commit each outside tests), each plan on its own
        self.env["dunning.night"]._run_batches(
            "plan_monitor",
            self._name,
            "_monitor_batch",
            self.search([("state", "=", "active")]).ids,
            batch_size,
            fields.Date.to_string(fields.Date.context_today(self)),
        )

    @api.model
    def _monitor_batch(self, plan_ids, today):
        """One batch of the nightly check (a job of its own with queue_job):
        a plan that fails is noted on it, the others go on."""
        today = fields.Date.to_date(today)
        run_isolated(
            self.browse(plan_ids).exists(),
            lambda plan: plan._monitor(today),
            self.env._("The nightly payment plan check"),
        )

    def _monitor(self, today):
        self.ensure_one()
        self._update_payments(today)
        if not self.line_ids.filtered(lambda line: line.state != "paid"):
            if not self.line_ids or any(
                move.payment_state in OPEN_PAYMENT_STATES for move in self.move_ids
            ):
                # never a kept plan (a thank-you, a better score) by accident:
                # instalments gone or invoices still open is for a person
                raise UserError(
                    _(
                        "Payment plan %s has no instalment left to pay while its "
                        "invoices are still open: please check it.",
                        self.name,
                    )
                )
            invoices = self._invoices_paid_through()
            if credited_in_full(invoices.mapped("payment_state")):
                # nothing was paid: no thank-you, and not a kept plan
                self._settle_by_credit_note(invoices)
                return
            self.state = "done"
            self._notify_customer(
                "customer_retention_dunning.mail_template_payment_plan_done"
            )
            self._release_invoices()
            self._log_on_documents(_("Payment plan %s completed: thank you", self.name))
            return
        grace = self.company_id.payment_plan_break_days
        missed = self.line_ids.filtered(
            lambda line: (
                line.state != "paid" and line.date + timedelta(days=grace) < today
            )
        )
        if missed:
            self._break(missed.sorted("date")[0], today)
            return
        lead = self.company_id.payment_plan_reminder_days
        for line in self.line_ids.filtered(
            lambda line: (
                line.state == "open"
                and not line.reminder_sent
                and line.date - timedelta(days=lead) <= today <= line.date
            )
        ):
            line._send_reminder()

    def _invoices_paid_through(self):
        """Every invoice this approved plan is paid through, the closed ones
        too: ``move_ids`` reads the open ones only (its domain)."""
        self.ensure_one()
        return self.env["account.move"].search([("payment_plan_id", "=", self.id)])

    def _settle_by_credit_note(self, invoices):
        """Close the plan whose ``invoices`` were all credited: the customer
        paid nothing through it, so it is neither kept nor broken."""
        self.ensure_one()
        self.state = "settled_credit"
        invoices.with_context(skip_invoice_sync=True).write({"payment_plan_id": False})
        credit_notes = invoices._get_reconciled_invoices().filtered(
            lambda move: move.move_type == "out_refund"
        )
        self.message_post(
            body=_(
                "Payment plan %(plan)s is closed: credit notes %(credit_notes)s "
                "settled all its invoices, so nothing was paid through it. It "
                "does not count as a kept plan.",
                plan=self.name,
                credit_notes=", ".join(credit_notes.mapped("display_name")),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _break(self, line, today):
        self.ensure_one()
        self.state = "broken"
        self._release_invoices()
        self._notify_customer(
            "customer_retention_dunning.mail_template_payment_plan_broken"
        )
        collector = self.partner_id.dunning_collector_id or self.proposed_by_id
        self.partner_id.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=today,
            summary=_("Payment plan %s broken", self.name),
            note=_(
                "The instalment of %(amount)s due on %(date)s was not paid; the invoices are back in dunning.",
                amount=format_amount(
                    self.env, line.amount - line.amount_paid, self.currency_id
                ),
                date=fields.Date.to_string(line.date),
            ),
            user_id=collector.id or self.env.user.id,
        )
        self.partner_id.commercial_partner_id._update_payment_score()
