from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # ------------------------------------------------------------
    # RECONCILIATION
    # ------------------------------------------------------------

    @api.model
    def _reconcile_plan(self, reconciliation_plan):
        # art. 6:44 BW: where the company asks for it, a payment of invoices
        # whose collection costs and interest were charged pays that costs
        # invoice first, then the invoices themselves
        return super()._reconcile_plan(
            [self._dunning_costs_first(step) for step in reconciliation_plan]
        )

    @api.model
    def _dunning_costs_first(self, step):
        """One step of a reconciliation plan, with the open costs invoices
        of the paid invoices reconciled before it when that applies."""
        if not isinstance(step, models.BaseModel):
            return [self._dunning_costs_first(sub_step) for sub_step in step]
        # payments and bank lines only: not credit notes, not the exchange
        # difference entries Odoo matches on its own
        payments = step.filtered(
            lambda line: (
                line.account_type == "asset_receivable"
                and line.balance < 0
                and not line.reconciled
                and (line.move_id.origin_payment_id or line.move_id.statement_line_id)
            )
        )
        if not payments:
            return step
        invoices = step.filtered(
            lambda line: (
                line.balance > 0 and line.company_id.dunning_allocate_costs_first
            )
        ).move_id
        charge_lines = invoices.dunning_charge_ids.filtered(
            lambda move: move.state == "posted"
        ).line_ids.filtered(
            lambda line: (
                line.account_id in payments.account_id
                and line.balance > 0
                and not line.reconciled
            )
        )
        charge_lines -= step
        if not charge_lines:
            return step
        # a sub-plan: the costs invoice first, then the step as it was
        return [payments + charge_lines, step]

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _receivable_customers(self):
        """Commercial partners of the receivable lines among these lines:
        the customers whose payment score they can change."""
        return self.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).partner_id.commercial_partner_id
