from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.dunning_schedule import MIN_INTERVAL_DAYS, Level

TONES = [
    ("friendly", "Friendly"),
    ("firm", "Firm"),
    ("formal", "Formal demand"),
    ("final", "Final notice"),
]

ACTIONS = [
    ("send", "Send a reminder"),
    ("call", "Schedule a call"),
    ("credit_hold", "Notice, then credit hold"),
    ("handover", "Hand over to collection"),
]


class DunningLevel(models.Model):
    _name = "dunning.level"
    _description = "Dunning Level"
    _order = "profile_id, sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="The ladder's order: an invoice climbs one step at a time."
    )
    profile_id = fields.Many2one(
        "dunning.profile", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="profile_id.company_id",
        store=True,
        help="Empty: the level of a profile every company uses.",
    )
    days_after_due = fields.Integer(
        string="Days After Due Date",
        required=True,
        help="When this step may start, counted from the invoice's due date; "
        "negative is before it (a friendly reminder that it falls due soon).",
    )
    min_interval_days = fields.Integer(
        string="Days Since Previous Reminder",
        default=15,
        required=True,
        help="Never sooner than this many days after the customer's previous "
        "reminder (the practice: every 15-30 days); at least one day.",
    )
    tone = fields.Selection(TONES, required=True, default="friendly")
    action = fields.Selection(ACTIONS, required=True, default="send")
    notice_days = fields.Integer(
        string="Notice Period (days)",
        default=7,
        help="For a credit hold: the days between the notice and the hold.",
    )
    email_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "dunning.communication")],
        help="The e-mail of this step. Empty: the shipped template of the step's tone.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS / WhatsApp Template",
        domain=[("model", "=", "dunning.communication")],
        help="The short text of this step, for SMS and WhatsApp. Empty: the "
        "shipped text of the step's tone.",
    )
    attach_statement = fields.Boolean(
        string="Attach statement of open items",
        help="The reminder e-mails of this step carry the customer's "
        "statement of open items as a PDF: every open invoice, credit note "
        "and payment, by age.",
    )

    _sql_constraints = [
        (
            "sequence_unique",
            "unique(profile_id, sequence)",
            "Two levels of one profile cannot have the same sequence.",
        ),
    ]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("sequence", "days_after_due", "profile_id")
    def _check_ladder_order(self):
        for profile in self.profile_id:
            days = [
                level.days_after_due for level in profile.level_ids.sorted("sequence")
            ]
            if days != sorted(days):
                raise ValidationError(
                    _(
                        "The levels of %(profile)s must start later as they climb: "
                        "a higher level cannot come before a lower one.",
                        profile=profile.name,
                    )
                )

    @api.constrains("tone", "profile_id")
    def _check_statutory_currency(self):
        # a formal demand states the statutory costs, in euros by law; a
        # profile every company uses is checked when a demand is made
        self.filtered(
            lambda level: level.tone == "formal"
        ).company_id._dunning_check_statutory_conversion(ValidationError)

    @api.constrains("min_interval_days", "notice_days")
    def _check_days(self):
        for level in self:
            if level.min_interval_days < MIN_INTERVAL_DAYS:
                raise ValidationError(
                    _(
                        "Level %(level)s: the days since the previous reminder "
                        "must be at least %(minimum)s, so that a customer gets "
                        "one reminder a day at most.",
                        level=level.name,
                        minimum=MIN_INTERVAL_DAYS,
                    )
                )
            if level.notice_days < 0:
                raise ValidationError(_("Days cannot be negative."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _as_rule(self):
        """This level as the plain :class:`Level` the ladder rules take."""
        self.ensure_one()
        return Level(
            self.id, self.sequence, self.days_after_due, self.min_interval_days
        )
