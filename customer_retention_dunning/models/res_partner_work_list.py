import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .open_invoices import OPEN_INVOICE_DOMAIN
from .res_partner import INTERNAL_USERS

_logger = logging.getLogger(__name__)


class ResPartnerWorkList(models.Model):
    """What the collector's work list shows of a customer: the next step,
    the last promise, the plan, and whether a person acts on it today."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    dunning_next_date = fields.Date(
        string="Next Reminder",
        compute="_compute_dunning_next_date",
        help="The earliest next step among the customer's open invoices.",
    )

    dunning_promise_date = fields.Date(
        string="Promised By",
        compute="_compute_dunning_next_date",
        help="The date of the customer's open promise to pay.",
    )

    dunning_act_today = fields.Boolean(
        groups=INTERNAL_USERS,
        string="To Act On Today",
        compute="_compute_dunning_work",
        search="_search_dunning_act_today",
        help="An activity due, a promise due today or broken, or a payment "
        "plan late or broken: a person has something to do for this customer.",
    )

    dunning_next_action = fields.Char(
        groups=INTERNAL_USERS, string="Next Action", compute="_compute_dunning_work"
    )

    dunning_promise_state = fields.Selection(
        [
            ("open", "Open"),
            ("due", "Due Today"),
            ("kept", "Kept"),
            ("broken", "Broken"),
        ],
        string="Last Promise",
        compute="_compute_dunning_work",
        groups=INTERNAL_USERS,
    )

    dunning_plan_state = fields.Selection(
        [
            ("to_approve", "To Approve"),
            ("active", "On Track"),
            ("late", "Instalment Late"),
            ("broken", "Broken"),
        ],
        string="Payment Plan Status",
        compute="_compute_dunning_work",
        groups=INTERNAL_USERS,
    )

    payment_plan_ids = fields.One2many(
        "payment.plan", "partner_id", string="Payment Plans"
    )

    payment_plan_active_count = fields.Integer(
        string="Active Payment Plans", compute="_compute_payment_plan_active_count"
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_dunning_next_date(self):
        today = fields.Date.context_today(self)
        moves = {
            partner: (next_date, promise)
            for partner, next_date, promise in self.env["account.move"]._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    *OPEN_INVOICE_DOMAIN,
                ],
                ["commercial_partner_id"],
                ["dunning_next_date:min", "promise_date:max"],
            )
        }
        for partner in self:
            next_date, promise = moves.get(
                partner.commercial_partner_id, (False, False)
            )
            partner.dunning_next_date = next_date
            partner.dunning_promise_date = (
                promise if promise and promise >= today else False
            )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_dunning_work(self):
        today = fields.Date.context_today(self)
        customers = self.commercial_partner_id
        # the work list's columns for any reader of the customer, limited to
        # the companies the user works in (a sudo search has no record rule)
        promises = {
            promise.partner_id: promise
            for promise in self.env["dunning.promise"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", customers.ids),
                    ("state", "!=", "cancelled"),
                    ("company_id", "in", self.env.companies.ids),
                ],
                order="date asc, id asc",
            )
        }
        plans = defaultdict(set)
        for plan in (
            self.env["payment.plan"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", customers.ids),
                    ("state", "in", ("to_approve", "active", "broken")),
                    ("company_id", "in", self.env.companies.ids),
                ]
            )
        ):
            state = plan.state
            if state == "active" and "late" in plan.line_ids.mapped("state"):
                state = "late"
            plans[plan.partner_id].add(state)
        act_today = set(self._dunning_act_today_ids(today, customers.ids))
        for partner in self:
            customer = partner.commercial_partner_id
            promise = promises.get(customer)
            promise_state = promise.state if promise else False
            if promise_state == "open" and promise.date <= today:
                promise_state = "due"
            plan_state = next(
                (
                    state
                    for state in ("broken", "late", "active", "to_approve")
                    if state in plans.get(customer, ())
                ),
                False,
            )
            partner.dunning_promise_state = promise_state
            partner.dunning_plan_state = plan_state
            partner.dunning_act_today = customer.id in act_today
            partner.dunning_next_action = partner._dunning_next_action_text(
                today, promise, promise_state, plan_state
            )

    def _search_dunning_act_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on 'To Act On Today'."))
        ids = self._dunning_act_today_ids(fields.Date.context_today(self))
        wanted = (operator == "=") == value
        return [("id", "in" if wanted else "not in", ids)]

    def _compute_payment_plan_active_count(self):
        counts = dict(
            self.env["payment.plan"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("state", "in", ("to_approve", "active")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.payment_plan_active_count = counts.get(
                partner.commercial_partner_id, 0
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_payment_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_retention_dunning.payment_plan_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_propose_payment_plan(self):
        """Propose a plan for this customer's open invoices."""
        customer = self._dunning_customers()
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", customer.id),
                *OPEN_INVOICE_DOMAIN,
                ("payment_plan_id", "=", False),
                ("company_id", "=", self.env.company.id),
            ]
        )
        return invoices._action_propose_payment_plan(customer)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _dunning_next_action_text(self, today, promise, promise_state, plan_state):
        self.ensure_one()
        if plan_state == "broken":
            return _("Call: the payment plan is broken")
        if plan_state == "late":
            return _("Call: an instalment is late")
        if promise_state == "due":
            return _("Check the payment promised for %s", promise._format_amount())
        if promise_state == "broken":
            return _("Call: the promise to pay was broken")
        customer = self.commercial_partner_id
        if customer.activity_date_deadline and customer.activity_date_deadline <= today:
            return customer.activity_summary or customer.activity_type_id.name
        if customer.dunning_next_date:
            return _(
                "Next reminder on %s", fields.Date.to_string(customer.dunning_next_date)
            )
        return ""

    @api.model
    def _dunning_act_today_ids(self, today, partner_ids=None):
        """Customers with something for a person to do today."""
        only = "AND {column} = ANY(%(partners)s)" if partner_ids is not None else ""
        params = {
            "today": today,
            "partners": list(partner_ids or []),
            # promises and plans of the companies the user works in
            "companies": self.env.companies.ids,
        }
        queries = [
            # open activities (done ones may be kept, archived) on the
            # customer or one of its contacts
            f"""SELECT COALESCE(contact.commercial_partner_id, contact.id)
                  FROM mail_activity activity
                  JOIN res_partner contact ON contact.id = activity.res_id
                 WHERE activity.res_model = 'res.partner'
                   AND activity.active
                   AND activity.date_deadline <= %(today)s
                   {only.format(column="COALESCE(contact.commercial_partner_id, contact.id)")}""",
            # the last promise of each customer: due today or broken
            f"""SELECT partner_id FROM (
                    SELECT DISTINCT ON (partner_id) partner_id, state, date
                      FROM dunning_promise
                     WHERE state != 'cancelled'
                       AND company_id = ANY(%(companies)s)
                     {only.format(column="partner_id")}
                     ORDER BY partner_id, date DESC, id DESC
                ) AS last_promise
                 WHERE state = 'broken' OR (state = 'open' AND date <= %(today)s)""",
            f"""SELECT plan.partner_id FROM payment_plan plan
                 WHERE plan.company_id = ANY(%(companies)s)
                   AND (plan.state = 'broken'
                        OR (plan.state = 'active' AND EXISTS (
                            SELECT 1 FROM payment_plan_line line
                             WHERE line.plan_id = plan.id AND line.state = 'late')))
                 {only.format(column="plan.partner_id")}""",
        ]
        # the queries read the tables: what this transaction changed first
        for model in (
            "mail.activity",
            "dunning.promise",
            "payment.plan",
            "payment.plan.line",
            "res.partner",
        ):
            self.env[model].flush_model()
        self.env.cr.execute(" UNION ".join(queries), params)
        return [row[0] for row in self.env.cr.fetchall()]
