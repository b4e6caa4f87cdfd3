from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class DunningProfile(models.Model):
    _name = "dunning.profile"
    _description = "Dunning Profile"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True, help="Which customers this rhythm is meant for."
    )
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to use this profile in every company.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Thresholds are in the currency of the company that runs them.",
    )
    level_ids = fields.One2many(
        "dunning.level", "profile_id", string="Levels", copy=True
    )
    level_count = fields.Integer(compute="_compute_level_count")
    letter_threshold = fields.Monetary(
        string="Letter From",
        currency_field="currency_id",
        help="From this open overdue amount on, a reminder goes out as a "
        "letter instead of an e-mail (0: never).",
    )
    call_threshold = fields.Monetary(
        string="Call From",
        currency_field="currency_id",
        help="From this open overdue amount on, a collector calls the "
        "customer instead of sending anything (0: never).",
    )
    partner_count = fields.Integer(compute="_compute_partner_count")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for profile in self:
            profile.currency_id = (
                profile.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends("level_ids")
    def _compute_level_count(self):
        for profile in self:
            profile.level_count = len(profile.level_ids)

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("dunning_profile_id", "in", self.ids)],
                ["dunning_profile_id"],
                ["__count"],
            )
        )
        for profile in self:
            profile.partner_count = counts.get(profile, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("letter_threshold", "call_threshold")
    def _check_thresholds(self):
        for profile in self:
            if profile.letter_threshold < 0 or profile.call_threshold < 0:
                raise ValidationError(_("Channel thresholds cannot be negative."))
            if (
                profile.letter_threshold
                and profile.call_threshold
                and profile.call_threshold < profile.letter_threshold
            ):
                raise ValidationError(
                    _(
                        "In profile %(profile)s the call threshold is below the "
                        "letter threshold: a call is for the larger amounts.",
                        profile=profile.name,
                    )
                )

    @api.constrains("company_id")
    def _check_statutory_currency(self):
        # a formal demand states the statutory costs, in euros by law
        self.level_ids.filtered(
            lambda level: level.tone == "formal"
        ).company_id._dunning_check_statutory_conversion(ValidationError)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Customers of %s", self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("dunning_profile_id", "=", self.id)],
        }
