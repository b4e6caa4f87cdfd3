from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

RATE_KINDS = [
    ("consumer", "Statutory interest (art. 6:119 BW)"),
    ("commercial", "Commercial interest (art. 6:119a BW)"),
]


class DunningInterestRate(models.Model):
    """A statutory interest rate, valid from its date until the next one of
    the same kind. The Dutch rates change on 1 January and 1 July; a user
    adds the new one when it is published."""

    _name = "dunning.interest.rate"
    _description = "Statutory Interest Rate"
    _order = "kind, date_start desc"
    _rec_name = "date_start"

    kind = fields.Selection(RATE_KINDS, required=True, default="commercial")
    date_start = fields.Date(string="Valid From", required=True)
    rate = fields.Float(string="Yearly Rate (%)", required=True, digits=(5, 3))
    source = fields.Char(help="Where the rate was published.")
    note = fields.Text()

    _sql_constraints = [
        (
            "kind_date_unique",
            "unique(kind, date_start)",
            "There is already a rate of this kind from that date.",
        ),
    ]

    @api.constrains("rate")
    def _check_rate(self):
        for rate in self:
            if rate.rate < 0 or rate.rate > 100:
                raise ValidationError(
                    _("An interest rate lies between 0 and 100 percent.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    @tools.ormcache("kind")
    def _rate_table(self, kind):
        """The ``(date_start, rate)`` pairs of one kind, for the arithmetic
        (cached: a formal demand asks for every invoice it states)."""
        return tuple(
            (rate.date_start, rate.rate)
            # the published legal rates: every calculation reads them,
            # whoever asks (a collector, the portal, the night)
            for rate in self.sudo().search([("kind", "=", kind)], order="date_start")
        )
