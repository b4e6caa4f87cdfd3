from odoo import api, fields, models

from .res_partner import PAYMENT_SCORE_BANDS


class DunningCollectorRule(models.Model):
    _name = "dunning.collector.rule"
    _description = "Collector Routing Rule"
    _order = "sequence, min_amount desc, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        required=True,
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("customer_retention_dunning.group_collector").ids,
            )
        ],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    min_amount = fields.Monetary(
        string="Overdue From",
        currency_field="currency_id",
        help="The rule applies to customers with at least this much overdue.",
    )
    payment_band = fields.Selection(
        PAYMENT_SCORE_BANDS,
        help="Only customers in this payment band (empty: any band).",
    )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _collector_for(self, overdue_amount, band):
        """The collector of the first of these rules (in their order) that
        fits, or an empty record."""
        for rule in self:
            if overdue_amount >= rule.min_amount and rule.payment_band in (False, band):
                return rule.user_id
        return self.env["res.users"]

    @api.model
    def _route_customers(self, partners, company):
        """Give these customers their collector in ``company`` by that
        company's rules, unless a person chose one there."""
        # routing is the run's own step, also when a collector triggers it
        # (escalate now) without rights on the routing rules
        rules = self.sudo().search([("company_id", "=", company.id)])
        for partner in partners.with_company(company):
            if partner.dunning_collector_manual:
                continue
            collector = rules._collector_for(
                partner.dunning_overdue_amount, partner.payment_score_band
            )
            if collector and collector != partner.dunning_collector_id:
                partner.dunning_collector_id = collector
