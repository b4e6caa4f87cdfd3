from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .open_invoices import OPEN_INVOICE_DOMAIN

PAYMENT_SCORE_BANDS = [
    ("none", "Not enough history"),
    ("excellent", "Excellent"),
    ("good", "Good"),
    ("watch", "Watch"),
    ("risk", "Risk"),
]


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
    dunning_communication_count = fields.Integer(
        compute="_compute_dunning_communication_count"
    )
    dunning_failed_count = fields.Integer(
        string="Reminders Not Delivered",
        compute="_compute_dunning_communication_count",
        help="Reminders that did not reach the customer and that no later "
        "attempt has delivered yet.",
    )
    dunning_waiting_count = fields.Integer(
        string="Reminders Waiting",
        compute="_compute_dunning_communication_count",
        help="Reminders not gone out yet: in the mail or SMS queue, a letter "
        "to post, a call to make.",
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

    def _compute_dunning_communication_count(self):
        Communication = self.env["dunning.communication"]
        customers = [("partner_id", "in", self.commercial_partner_id.ids)]
        counts = defaultdict(lambda: defaultdict(int))
        for partner, state, count in Communication._read_group(
            customers, ["partner_id", "state"], ["__count"]
        ):
            counts[partner][state] += count
            counts[partner]["all"] += count
        # a failed reminder that a later attempt took over is not open
        not_delivered = dict(
            Communication._read_group(
                [*customers, ("state", "=", "failed"), ("retry_ids", "=", False)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            mine = counts[partner.commercial_partner_id]
            partner.dunning_communication_count = mine["all"]
            partner.dunning_failed_count = not_delivered.get(
                partner.commercial_partner_id, 0
            )
            partner.dunning_waiting_count = mine["queued"] + mine["to_review"]

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
            *OPEN_INVOICE_DOMAIN,
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
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            **(
                {"search_default_failed": 1}
                if self.env.context.get("dunning_show_failed")
                else {}
            ),
        }
        return action

    def action_record_promise(self):
        """Open the promise-to-pay form for this customer's open invoices."""
        customer = self.commercial_partner_id
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", customer.id),
                *OPEN_INVOICE_DOMAIN,
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
