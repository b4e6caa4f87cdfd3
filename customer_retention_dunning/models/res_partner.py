import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.payment_score import (
    OpenItem,
    PaidChunk,
    compute_payment_score,
    net_open_items,
)
from ..tools.phone_numbers import mobile_e164
from ..tools.statutory import collection_costs, statutory_interest
from ..tools.value_at_risk import value_at_risk
from .cron_batches import run_in_batches

_logger = logging.getLogger(__name__)

PAYMENT_SCORE_BANDS = [
    ("none", "Not enough history"),
    ("excellent", "Excellent"),
    ("good", "Good"),
    ("watch", "Watch"),
    ("risk", "Risk"),
]

# Odoo's own "Degree of trust" follows the band, so that other screens agree.
BAND_TO_TRUST = {
    "excellent": "good",
    "good": "good",
    "watch": "normal",
    "risk": "bad",
    "none": "normal",
}

# Days of difference between recent and older delays that count as a trend.
TREND_TOLERANCE_DAYS = 5.0
# the chance to pay of a customer without a score, for the work list
CHANCE_WITHOUT_HISTORY = 0.5


# what the customer's own portal login may not read of itself
INTERNAL_USERS = "base.group_user"
# what the scoring writes: the score, its parts and the amounts behind it
SCORE_FIELDS = (
    "payment_score",
    "payment_score_band",
    "payment_score_date",
    "payment_avg_days_late",
    "payment_on_time_share",
    "payment_overdue_share",
    "payment_overdue_avg_days",
    "payment_trend",
    "payment_trend_days",
    "payment_history_count",
    "dunning_open_amount",
    "dunning_overdue_amount",
    "dunning_value_at_risk",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    payment_score = fields.Integer(
        groups=INTERNAL_USERS,
        string="Payment Score",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="0-100: 100 means this customer always pays on time. Weighs how "
        "many days late each paid amount arrived (recent behaviour counts "
        "more), what is overdue now, and kept or broken promises and plans. "
        "Only meaningful when the band is not 'Not enough history'.",
    )
    payment_score_band = fields.Selection(
        PAYMENT_SCORE_BANDS,
        string="Payment Band",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="The score's band; the thresholds are in Settings. 'Not enough "
        "history' means too few paid or overdue invoices to judge.",
        groups=INTERNAL_USERS,
    )
    payment_score_date = fields.Datetime(
        groups=INTERNAL_USERS, string="Score Computed On", readonly=True, copy=False
    )
    payment_avg_days_late = fields.Float(
        groups=INTERNAL_USERS,
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Days after the due date that each paid euro arrived, weighted "
        "by amount and recency; early payments count as zero.",
    )
    payment_on_time_share = fields.Float(
        groups=INTERNAL_USERS,
        string="Paid On Time (%)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Share of the paid amount (weighted by recency) that arrived on "
        "or before the due date.",
    )
    payment_overdue_share = fields.Float(
        groups=INTERNAL_USERS,
        string="Overdue Share of Open (%)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Share of what this customer owes now that is past its due date.",
    )
    payment_overdue_avg_days = fields.Float(
        groups=INTERNAL_USERS,
        string="Average Days Overdue",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="How long the overdue amount has been overdue, weighted by amount.",
    )
    payment_trend = fields.Selection(
        [
            ("unknown", "Unknown"),
            ("improving", "Improving"),
            ("stable", "Stable"),
            ("worsening", "Worsening"),
        ],
        string="Trend",
        default="unknown",
        readonly=True,
        copy=False,
        help="Average days late of the last 90 days against the time before.",
        groups=INTERNAL_USERS,
    )
    payment_trend_days = fields.Float(
        groups=INTERNAL_USERS,
        string="Trend (days)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Recent average days late minus the earlier average: negative "
        "means the customer pays sooner than before.",
    )
    payment_history_count = fields.Integer(
        groups=INTERNAL_USERS,
        string="Invoices Judged",
        readonly=True,
        copy=False,
        help="Number of paid or overdue invoices the score is based on.",
    )
    dunning_open_amount = fields.Float(
        groups=INTERNAL_USERS,
        string="Open Receivable",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="What this customer owes the current company, after open credit "
        "notes and unmatched payments (company currency, at the last scoring).",
    )
    dunning_overdue_amount = fields.Float(
        groups=INTERNAL_USERS,
        string="Overdue Amount",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Part of the open receivable that is past its due date.",
    )
    dunning_expected_recovery = fields.Float(
        groups=INTERNAL_USERS,
        string="Expected Recovery",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="What the work list sorts by: (open receivable - value at risk) x "
        "the chance to pay, which is the payment score / 100 (50% for a "
        "customer without enough history). At the last scoring.",
    )
    dunning_value_at_risk = fields.Float(
        groups=INTERNAL_USERS,
        string="Value at Risk",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Overdue amounts times the loss curve for their age (Settings): "
        "what the overdue money is expected to lose.",
    )

    dunning_profile_id = fields.Many2one(
        "dunning.profile",
        string="Dunning Profile",
        compute="_compute_dunning_profile_id",
        inverse="_inverse_dunning_profile_id",
        search="_search_dunning_profile_id",
        readonly=False,
        help="The dunning rhythm of this customer in the current company. "
        "Chosen from the payment band by that company's rules in Settings "
        "unless a person picks one here; a person's choice is kept.",
        groups=INTERNAL_USERS,
    )
    dunning_profile_manual_id = fields.Many2one(
        "dunning.profile",
        string="Profile Chosen by Hand",
        copy=False,
        help="Empty: the profile follows the payment band.",
        groups=INTERNAL_USERS,
        company_dependent=True,
    )
    dunning_excluded = fields.Boolean(
        groups=INTERNAL_USERS,
        string="Excluded from Dunning",
        copy=False,
        tracking=True,
        help="No reminders, calls, letters or holds for this customer.",
        company_dependent=True,
    )
    dunning_paused_until = fields.Date(
        groups=INTERNAL_USERS,
        string="Dunning Paused Until",
        copy=False,
        tracking=True,
        help="No reminders for this customer until the day after this date; "
        "then every invoice resumes where it was.",
        company_dependent=True,
    )
    dunning_pause_reason = fields.Char(
        groups=INTERNAL_USERS,
        string="Pause Reason",
        copy=False,
        tracking=True,
        company_dependent=True,
    )
    credit_hold = fields.Boolean(
        copy=False,
        tracking=True,
        help="Set by the dunning ladder after a notice: new sales and "
        "deliveries should wait until the overdue invoices are paid.",
        company_dependent=True,
    )
    dunning_collector_id = fields.Many2one(
        "res.users",
        string="Collector",
        tracking=True,
        help="Who works this customer's overdue invoices. Set by the routing "
        "rules every night unless a person chose it.",
        groups=INTERNAL_USERS,
        company_dependent=True,
    )
    dunning_collector_manual = fields.Boolean(
        groups=INTERNAL_USERS,
        string="Collector Chosen by Hand",
        copy=False,
        help="Keep this collector: the routing rules leave the customer alone.",
        company_dependent=True,
    )
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
    credit_hold_date = fields.Date(
        groups=INTERNAL_USERS,
        string="Credit Hold From",
        copy=False,
        tracking=True,
        help="The notice of a credit hold was sent: from this date on the "
        "customer is on hold if invoices are still overdue.",
        company_dependent=True,
    )
    dunning_communication_ids = fields.One2many(
        "dunning.communication", "partner_id", string="Reminders"
    )
    payment_plan_ids = fields.One2many(
        "payment.plan", "partner_id", string="Payment Plans"
    )
    payment_plan_active_count = fields.Integer(
        string="Active Payment Plans", compute="_compute_payment_plan_active_count"
    )
    dunning_open_credit = fields.Float(
        string="Unallocated Credit",
        compute="_compute_dunning_open_credit",
        help="Open credit notes and payments not matched yet, in the current "
        "company, as a positive amount: reminders are netted with it.",
    )
    dunning_preferred_channel = fields.Selection(
        [("email", "E-mail"), ("sms", "SMS"), ("whatsapp", "WhatsApp")],
        string="Reminders By",
        default="email",
        required=True,
        tracking=True,
        help="How this customer likes to get reminders. SMS and WhatsApp "
        "replace e-mail; a letter or a call for large amounts stays.",
    )
    dunning_mobile_e164 = fields.Char(
        string="Mobile for Reminders",
        compute="_compute_dunning_mobile",
        store=True,
        help="The mobile number (else the phone number) in international "
        "form, read with the contact's country.",
    )
    dunning_mobile_problem = fields.Selection(
        [
            ("missing", "No mobile number"),
            ("invalid", "The number is not a valid phone number"),
            ("not_mobile", "The number is not a mobile number"),
        ],
        string="Mobile Number Problem",
        compute="_compute_dunning_mobile",
        store=True,
        help="Why SMS or WhatsApp reminders cannot reach this contact; they "
        "go by e-mail, else by letter, until the number is fixed.",
    )
    dunning_communication_count = fields.Integer(
        compute="_compute_dunning_communication_count"
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("payment_score_band", "dunning_profile_manual_id")
    @api.depends_context("company")
    def _compute_dunning_profile_id(self):
        for partner in self:
            partner.dunning_profile_id = (
                partner.dunning_profile_manual_id
                or self.env.company._dunning_profile_for_band(
                    partner.payment_score_band
                )
            )

    def _inverse_dunning_profile_id(self):
        for partner in self:
            automatic = self.env.company._dunning_profile_for_band(
                partner.payment_score_band
            )
            partner.dunning_profile_manual_id = (
                partner.dunning_profile_id
                if partner.dunning_profile_id != automatic
                else False
            )

    def _search_dunning_profile_id(self, operator, value):
        """Customers on these profiles in the current company: chosen by
        hand, or following their band to it (``False``: on none)."""
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        ids = [value] if isinstance(value, int) else [i for i in value or [] if i]
        wanted = self.env["dunning.profile"].browse(ids)
        company = self.env.company
        bands = [
            band
            for band, _label in PAYMENT_SCORE_BANDS
            if company._dunning_profile_for_band(band) in wanted
            or (value is False and not company._dunning_profile_for_band(band))
        ]
        domain = [
            ("dunning_profile_manual_id", "=", False),
            ("payment_score_band", "in", bands),
        ]
        if ids:
            domain = ["|", ("dunning_profile_manual_id", "in", ids), "&", *domain]
        else:
            domain = ["&", *domain]
        return ["!", *domain] if operator in ("!=", "not in") else domain

    def _compute_dunning_next_date(self):
        today = fields.Date.context_today(self)
        moves = {
            partner: (next_date, promise)
            for partner, next_date, promise in self.env["account.move"]._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("move_type", "in", ("out_invoice", "out_receipt")),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
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

    def _search_dunning_act_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on 'To Act On Today'."))
        ids = self._dunning_act_today_ids(fields.Date.context_today(self))
        wanted = (operator == "=") == value
        return [("id", "in" if wanted else "not in", ids)]

    @api.depends("mobile", "phone", "country_id", "dunning_preferred_channel")
    def _compute_dunning_mobile(self):
        for partner in self:
            country = partner.country_id or partner.commercial_partner_id.country_id
            e164, problem = mobile_e164(partner.mobile, country.code)
            if not e164 and partner.phone:
                e164, phone_problem = mobile_e164(partner.phone, country.code)
                problem = problem if problem != "missing" else phone_problem
            partner.dunning_mobile_e164 = e164 or False
            partner.dunning_mobile_problem = (
                problem
                if not e164 and partner.dunning_preferred_channel in ("sms", "whatsapp")
                else False
            )

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
                ("move_type", "in", ("out_invoice", "out_receipt")),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("payment_plan_id", "=", False),
                ("company_id", "=", self.env.company.id),
            ]
        )
        return invoices._action_propose_payment_plan(customer)

    @api.depends_context("company")
    def _compute_dunning_open_credit(self):
        # one query for every customer being read (the dunning run reads a
        # whole batch), not one per customer
        customers = self.commercial_partner_id
        credit = defaultdict(float)
        for contact, amount in self.env["account.move.line"]._read_group(
            [
                ("partner_id", "child_of", customers.ids),
                ("company_id", "=", self.env.company.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "<", 0),
            ],
            ["partner_id"],
            ["amount_residual:sum"],
        ):
            while contact and contact not in customers:
                contact = contact.parent_id
            credit[contact] -= amount or 0.0
        for partner in self:
            partner.dunning_open_credit = credit[partner.commercial_partner_id]

    def _compute_dunning_communication_count(self):
        counts = dict(
            self.env["dunning.communication"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_communication_count = counts.get(
                partner.commercial_partner_id, 0
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _commercial_fields(self):
        # Contacts show the score of the company they belong to.
        return super()._commercial_fields() + [
            *SCORE_FIELDS,
            "dunning_profile_manual_id",
            "dunning_excluded",
            "credit_hold",
            "credit_hold_date",
            "dunning_collector_id",
            "dunning_collector_manual",
            "dunning_preferred_channel",
            "dunning_paused_until",
            "dunning_pause_reason",
        ]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_overdue_invoices(self):
        """Open this customer's open invoices, most overdue first."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("move_type", "in", ("out_invoice", "out_receipt")),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def action_view_dunning_communications(self):
        """Every reminder, letter, call and message this customer received."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_retention_dunning.dunning_communication_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_record_promise(self):
        """Open the promise-to-pay form for this customer's open invoices."""
        customer = self.commercial_partner_id
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", customer.id),
                ("move_type", "in", ("out_invoice", "out_receipt")),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<=", fields.Date.context_today(self)),
            ]
        )
        return invoices._action_record_promise(customer)

    @api.onchange("dunning_collector_id")
    def _onchange_dunning_collector_id(self):
        self.dunning_collector_manual = bool(self.dunning_collector_id)

    def action_dunning_escalate_now(self):
        """Take these customers' open invoices one step up now."""
        communications = self.env["dunning.escalation"]._escalate_now(
            self._dunning_customers()
        )
        return communications._action_show_made()

    def action_dunning_send_again(self):
        """Send these customers their current reminder again."""
        communications = self.env["dunning.escalation"]._send_again(
            self._dunning_customers()
        )
        return communications._action_show_made()

    def action_dunning_resume(self):
        """Lift a pause: every invoice resumes where it was."""
        paused = self._dunning_customers().filtered("dunning_paused_until")
        paused.write({"dunning_paused_until": False, "dunning_pause_reason": False})
        return True

    def action_dunning_preview(self):
        """What the next run would do for these customers, without sending."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_retention_dunning.dunning_preview_wizard_action"
        )
        action["context"] = {
            "default_partner_ids": [fields.Command.set(self._dunning_customers().ids)]
        }
        return action

    def _dunning_customers(self):
        """The commercial partners of these contacts; a clear message for
        one that is excluded from dunning."""
        customers = self.commercial_partner_id
        excluded = customers.filtered("dunning_excluded")
        if excluded:
            raise UserError(
                _(
                    'Excluded from dunning: %s. Untick "Excluded from Dunning" first.',
                    ", ".join(excluded.mapped("display_name")),
                )
            )
        return customers

    def action_reset_dunning_profile(self):
        """Let the profile follow the payment band again."""
        self.write({"dunning_profile_manual_id": False})
        return True

    def action_compute_payment_score(self):
        """Recompute the score of these customers now (button on the form)."""
        self.commercial_partner_id._update_payment_score()
        return True

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_compute_payment_score(self, batch_size=500):
        """Recompute the score of every customer with receivable history, in
        batches, committing after each batch outside tests. A customer whose
        scoring fails is logged and skipped; the others go on."""
        run_in_batches(
            self.env,
            self._payment_score_partner_ids(),
            batch_size,
            lambda ids: self.browse(ids)._update_payment_score_isolated(),
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _payment_score_partner_ids(self):
        """Commercial partners with posted receivables, or a score to reset."""
        self.env["account.move.line"].flush_model(
            ["partner_id", "account_id", "parent_state"]
        )
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "payment_score_band"]
        )
        self.env.cr.execute(
            """
            SELECT partner.commercial_partner_id
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted'
             UNION
            SELECT id
              FROM res_partner
             WHERE payment_score_band != 'none'
               AND id = commercial_partner_id
             ORDER BY 1
            """
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _refresh_payment_score(self):
        """Live refresh after a reconciliation: never blocks the payment."""
        if self.env.context.get("dunning_skip_score_refresh"):
            return
        self.commercial_partner_id._update_payment_score_isolated()

    def _update_payment_score_isolated(self):
        """Update the scores; when the batch fails, retry one by one so that
        one broken customer does not stop the others."""
        try:
            with self.env.cr.savepoint():
                self._update_payment_score()
        except Exception:
            _logger.warning(
                "Payment score batch failed, retrying customer by customer",
                exc_info=True,
            )
            for partner in self:
                try:
                    with self.env.cr.savepoint():
                        partner._update_payment_score()
                except Exception:
                    _logger.exception(
                        "Payment score of customer %s (id %s) failed",
                        partner.display_name,
                        partner.id,
                    )

    def _update_payment_score(self):
        """Compute and store the score, its components and the open, overdue
        and at-risk totals of these commercial partners, and keep Odoo's
        degree of trust in step with the band."""
        partners = self.commercial_partner_id.sudo()
        if not partners:
            return
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        params = self.env.company._dunning_score_params()
        companies = self.env["res.company"].sudo().search([])
        curves = {company.id: company._dunning_loss_curve() for company in companies}
        history = partners._payment_score_history()
        commitments = partners._payment_score_commitments()

        amounts_by_company = defaultdict(lambda: defaultdict(list))
        partners_by_trust = defaultdict(list)
        for partner in partners:
            data = history.get(partner.id, {})
            open_items = []
            totals = {}
            for company in companies:
                items = net_open_items(
                    data.get("open", {}).get(company.id, []),
                    data.get("credit", {}).get(company.id, 0.0),
                )
                open_items += items
                totals[company] = partner._payment_open_totals(
                    items, today, curves[company.id]
                )
            result = compute_payment_score(
                data.get("paid", []),
                open_items,
                today,
                params=params,
                **commitments.get(partner.id, {}),
            )
            chance = (
                CHANCE_WITHOUT_HISTORY if result.score is None else result.score / 100
            )
            for company, (open_amount, overdue, at_risk) in totals.items():
                expected = round(max(open_amount - at_risk, 0.0) * chance, 2)
                amounts_by_company[company][
                    (open_amount, overdue, at_risk, expected)
                ].append(partner.id)
            entered_best = (
                result.band == "excellent" and partner.payment_score_band != "excellent"
            )
            partner.write(partner._payment_score_values(result, now))
            partners_by_trust[BAND_TO_TRUST[result.band]].append(partner.id)
            if entered_best:
                partner._dunning_announce_better_terms()

        for company, groups in amounts_by_company.items():
            for (open_amount, overdue_amount, at_risk, expected), ids in groups.items():
                self.sudo().browse(ids).with_company(company).write(
                    {
                        "dunning_open_amount": open_amount,
                        "dunning_overdue_amount": overdue_amount,
                        "dunning_value_at_risk": at_risk,
                        "dunning_expected_recovery": expected,
                    }
                )
            for trust, ids in partners_by_trust.items():
                self.sudo().browse(ids).with_company(company).write({"trust": trust})

    @api.model
    def _payment_open_totals(self, items, today, curve):
        """Open, overdue and at-risk amounts of already netted open items."""
        open_amount = sum(item.amount for item in items)
        overdue = [item for item in items if item.date_due < today]
        return (
            round(open_amount, 2),
            round(sum(item.amount for item in overdue), 2),
            round(
                sum(
                    value_at_risk(item.amount, (today - item.date_due).days, curve)
                    for item in overdue
                ),
                2,
            ),
        )

    def _payment_score_values(self, result, now):
        """Field values for a :class:`ScoreResult`."""
        if result.trend_days is None:
            trend = "unknown"
        elif result.trend_days < -TREND_TOLERANCE_DAYS:
            trend = "improving"
        elif result.trend_days > TREND_TOLERANCE_DAYS:
            trend = "worsening"
        else:
            trend = "stable"
        return {
            "payment_score": result.score or 0,
            "payment_score_band": result.band,
            "payment_score_date": now,
            "payment_avg_days_late": result.avg_days_late,
            "payment_on_time_share": result.on_time_share,
            "payment_overdue_share": result.overdue_share,
            "payment_overdue_avg_days": result.overdue_avg_days,
            "payment_trend": trend,
            "payment_trend_days": result.trend_days or 0.0,
            "payment_history_count": result.history_count,
        }

    def _dunning_open_credit(self, company):
        """Unallocated credit of this customer in ``company`` (open credit
        notes, payments not matched yet), as a positive amount."""
        self.ensure_one()
        return self.with_company(company).dunning_open_credit

    def _dunning_announce_better_terms(self):
        """Aftercare: a customer who has just entered the best band hears
        about the better payment term its new invoices get."""
        self.ensure_one()
        company = self.env.company
        term = company.dunning_payment_term_excellent_id
        if (
            not company.dunning_reward_message
            or not term
            or not self.email
            or self.with_company(company).property_payment_term_id
        ):
            return
        self.env.ref(
            "customer_retention_dunning.mail_template_reward_terms"
        ).with_context(dunning_reward_term=term.name).send_mail(self.id)

    def _dunning_is_consumer(self):
        """A consumer is a natural person, not a company: the customer's
        commercial entity is an individual."""
        self.ensure_one()
        return not self.commercial_partner_id.is_company

    def _dunning_statutory_costs(self, principal, on_date=None):
        """The extrajudicial collection costs the current company may claim
        from this customer for ``principal`` (company currency).

        Consumers: always the statutory scale (Besluit vergoeding voor
        buitengerechtelijke incassokosten, Stb. 2012, 141, art. 2: 15 % of
        the first 2,500, 10 % of the next 2,500, 5 % of the next 5,000, 1 %
        of the next 190,000, 0.5 % above; at least 40, at most 6,775).
        Businesses: the company's arrangement in Settings (the scale, the
        fixed 40 of the EU directive, an agreed percentage with a minimum,
        or none). VAT is added when the company says it cannot deduct it.
        Rounded to the cent, half up.

        :param principal: the unpaid principal, without interest or costs
        :param on_date: the date of the claim (the scale has applied since
            1 July 2012; kept for rules that change later)
        :return: the amount as a float
        """
        self.ensure_one()
        company = self.env.company
        arrangement = (
            "scale"
            if self._dunning_is_consumer()
            else company.dunning_costs_arrangement
        )
        costs = collection_costs(
            principal,
            arrangement=arrangement,
            percentage=company.dunning_costs_percentage,
            minimum=company.dunning_costs_minimum,
            vat_percent=company.dunning_costs_vat_percent
            if company.dunning_costs_vat
            else 0,
        )
        return float(costs)

    def _dunning_statutory_interest(self, principal, date_from, date_to):
        """The statutory interest on ``principal`` from ``date_from``
        (included) to ``date_to`` (excluded).

        Consumers owe the statutory interest (art. 6:119 BW), businesses the
        commercial interest (art. 6:119a BW), with the dated rates of
        *Statutory Interest Rates*. A day's interest is the yearly rate / 365
        (/ 366 in a leap year); a period crossing a rate change is split at
        it; after each full year from ``date_from`` that year's interest is
        added to the principal (art. 6:119 lid 2 BW); the result is rounded
        once, to the cent, half up. When the company chooses the EU directive
        for business customers outside the Netherlands, they owe the ECB rate
        + 8 points as simple interest instead.

        :return: the amount as a float
        """
        self.ensure_one()
        company = self.env.company
        commercial = self.commercial_partner_id
        consumer = self._dunning_is_consumer()
        abroad = commercial.country_id and commercial.country_id.code != "NL"
        compound = not (
            not consumer and abroad and company.dunning_interest_eu_directive
        )
        rates = self.env["dunning.interest.rate"]._rate_table(
            "consumer" if consumer else "commercial"
        )
        try:
            interest = statutory_interest(
                principal, date_from, date_to, rates, compound=compound
            )
        except ValueError as error:
            raise UserError(
                _(
                    "No statutory interest rate covers %(date)s: add the rate under "
                    "Statutory Interest Rates. (%(error)s)",
                    date=fields.Date.to_string(date_from),
                    error=error,
                )
            ) from error
        return float(interest)

    def _dunning_recipient(self, invoices):
        """Who receives a reminder about ``invoices``: the contact the
        invoices were addressed to, else the customer's invoice address,
        else the customer."""
        self.ensure_one()
        contacts = invoices.partner_id
        if len(contacts) == 1 and contacts != self and contacts.email:
            return contacts
        billing = self.child_ids.filtered(
            lambda child: child.type == "invoice" and child.email
        )[:1]
        return billing or self

    def _dunning_reachable_channels(self, recipient=None):
        """The channels this customer can be reached by: e-mail with an
        address to write to, a letter with a postal address, SMS and
        WhatsApp with a valid mobile number."""
        self.ensure_one()
        recipient = recipient or self._dunning_recipient(self.env["account.move"])
        channels = []
        if recipient.email or self.email:
            channels.append("email")
        if self.street and (self.zip or self.city) and self.country_id:
            channels.append("letter")
        if self._dunning_mobile(recipient):
            channels += ["sms", "whatsapp"]
        return tuple(channels)

    def _dunning_mobile(self, recipient=None):
        """The E.164 mobile number text reminders go to: the recipient's,
        else the customer's."""
        self.ensure_one()
        return (recipient and recipient.dunning_mobile_e164) or self.dunning_mobile_e164

    def _payment_score_commitments(self):
        """Kept and broken promises (and, with payment plans, plans) per
        commercial partner, as keyword arguments of ``compute_payment_score``."""
        counts = defaultdict(dict)
        for partner, state, count in (
            self.env["dunning.promise"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "in", ("kept", "broken"))],
                ["partner_id", "state"],
                ["__count"],
            )
        ):
            counts[partner.id][f"promises_{state}"] = count
        Plan = self.env["payment.plan"].sudo()
        for partner, count in Plan._read_group(
            [("partner_id", "in", self.ids), ("state", "=", "done")],
            ["partner_id"],
            ["__count"],
        ):
            counts[partner.id]["plans_kept"] = count
        # a broken plan counts even after a credit manager re-opened it
        for partner, count in Plan._read_group(
            [
                ("partner_id", "in", self.ids),
                "|",
                ("state", "=", "broken"),
                ("reopen_count", ">", 0),
            ],
            ["partner_id"],
            ["__count"],
        ):
            counts[partner.id]["plans_broken"] = count
        return counts

    def _payment_score_history(self):
        """Read the receivable history of these commercial partners with two
        set-based queries (company currency).

        :return: ``{partner_id: {"paid": [PaidChunk], "open": {company_id:
            [OpenItem]}, "credit": {company_id: unallocated credit}}}``
        """
        history = defaultdict(
            lambda: {
                "paid": [],
                "open": defaultdict(list),
                "credit": defaultdict(float),
            }
        )
        if not self:
            return history
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        # Money that reached an invoice: reconciliations with anything but a
        # customer invoice or credit note (credit notes reduce what is owed,
        # they are not a payment) and but exchange-difference entries.
        self.env.cr.execute(
            """
            SELECT partner.commercial_partner_id,
                   part.amount,
                   COALESCE(line.date_maturity, move.invoice_date_due, line.date),
                   part.max_date,
                   move.id
              FROM account_partial_reconcile part
              JOIN account_move_line line ON line.id = part.debit_move_id
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
              JOIN account_move_line counter ON counter.id = part.credit_move_id
              JOIN account_move counter_move ON counter_move.id = counter.move_id
             WHERE partner.commercial_partner_id = ANY(%(partners)s)
               AND account.account_type = 'asset_receivable'
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_receipt')
               AND counter_move.move_type NOT IN
                   ('out_invoice', 'out_refund', 'out_receipt')
               AND NOT EXISTS (
                   SELECT 1 FROM account_partial_reconcile exchange
                    WHERE exchange.exchange_move_id = counter_move.id)
            """,
            {"partners": self.ids},
        )
        for partner_id, amount, date_due, date_paid, move_id in self.env.cr.fetchall():
            history[partner_id]["paid"].append(
                PaidChunk(amount, date_due, date_paid, move_id)
            )
        # What is open now: positive residuals are owed, negative ones are
        # credit (open credit notes, payments not matched yet).
        self.env.cr.execute(
            """
            SELECT partner.commercial_partner_id,
                   line.company_id,
                   line.amount_residual,
                   COALESCE(line.date_maturity, move.invoice_date_due, line.date),
                   move.id
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE partner.commercial_partner_id = ANY(%(partners)s)
               AND account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted'
               AND NOT line.reconciled
               AND line.amount_residual != 0
            """,
            {"partners": self.ids},
        )
        for row in self.env.cr.fetchall():
            partner_id, company_id, residual, date_due, move_id = row
            if residual > 0:
                history[partner_id]["open"][company_id].append(
                    OpenItem(residual, date_due, move_id)
                )
            else:
                history[partner_id]["credit"][company_id] -= residual
        return history
