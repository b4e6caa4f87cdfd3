from odoo import _, api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_credit_hold = fields.Boolean(
        string="Customer on Credit Hold",
        compute="_compute_partner_credit_hold",
        help="The customer is on credit hold in this order's company: a hold "
        "in another company does not block it.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    def _compute_partner_credit_hold(self):
        for order in self:
            order.partner_credit_hold = (
                order.partner_id.commercial_partner_id.with_company(
                    order.company_id
                ).credit_hold
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _confirmation_error_message(self):
        """A customer on credit hold waits for its overdue invoices to be
        paid: only a credit manager confirms its orders meanwhile, unless
        the order itself is paid in full online."""
        message = super()._confirmation_error_message()
        if message or not self.partner_credit_hold or self._credit_hold_may_pass():
            return message
        if self.env.user.share:
            # the customer in the portal: no internal detail
            return _(
                "This order cannot be confirmed online at the moment. Please "
                "contact us to complete it."
            )
        return _(
            "%(customer)s is on credit hold: invoices are overdue after a final "
            "notice. Ask a credit manager to confirm this order, or wait until "
            "the overdue invoices are paid.",
            customer=self.partner_id.commercial_partner_id.display_name,
        )

    def _credit_hold_may_pass(self):
        self.ensure_one()
        # a credit manager's own decision; code that Odoo runs as the
        # superuser (the payment post-processing, a cron) decides nothing
        # and passes only an order that is paid in full
        if not self.env.su and self.env.user.has_group(
            "customer_retention_dunning.group_credit_manager"
        ):
            return True
        return (
            self.currency_id.compare_amounts(self.amount_paid, self.amount_total) >= 0
            and self.amount_total > 0
        )
