from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.decision_fields import GROUP_COLLECTOR, check_group, internal


class DunningPreviewWizard(models.TransientModel):
    _name = "dunning.preview.wizard"
    _description = "Preview of the Dunning Run"

    date = fields.Date(default=fields.Date.context_today, readonly=True)
    partner_ids = fields.Many2many("res.partner", string="Customers")
    line_ids = fields.One2many("dunning.preview.line", "wizard_id", readonly=True)
    line_count = fields.Integer(compute="_compute_line_count")

    @api.depends("line_ids")
    def _compute_line_count(self):
        for wizard in self:
            wizard.line_count = len(wizard.line_ids)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.line_ids = [fields.Command.create(vals) for vals in wizard._plan()]
        return wizards

    def _plan(self):
        """What the nightly run would send to these customers (all customers
        with due invoices when none are chosen), without sending anything."""
        self.ensure_one()
        escalation = self.env["dunning.escalation"]
        partner_ids = self.partner_ids.commercial_partner_id.ids or (
            escalation._escalation_partner_ids(self.date)
        )
        partners = self.env["res.partner"].browse(partner_ids)
        by_partner = escalation._open_invoices_by_partner(partners)
        # invoices a reminder not out yet names wait for it, as in the run
        waiting = self.env["dunning.communication"]._waiting_move_ids(partners)
        lines = []
        for partner, partner_invoices in by_partner.items():
            for company in partner_invoices.company_id:
                customer = partner.with_company(company)
                profile = customer.dunning_profile_id
                if customer.dunning_excluded or not profile.level_ids:
                    continue
                _steps, values = escalation._plan_reminder(
                    customer,
                    profile,
                    partner_invoices.filtered(lambda m, c=company: m.company_id == c),
                    self.date,
                    waiting,
                )
                if values:
                    lines.append(
                        {
                            "partner_id": partner.id,
                            "recipient_id": values["recipient_id"],
                            "company_id": company.id,
                            "level_id": values["level_id"],
                            "channel": values["channel"],
                            "channel_fallback": values["channel_fallback"],
                            "amount": values["amount"],
                            "move_ids": values["move_ids"],
                        }
                    )
        return lines

    def action_send_now(self):
        """Run the escalation now for the customers of this preview."""
        self.ensure_one()
        check_group(self.env, GROUP_COLLECTOR)
        if not self.line_ids:
            raise UserError(_("Nothing to send: no customer has a reminder due."))
        escalation = internal(self.env["dunning.escalation"])
        escalation._refuse_busy(
            escalation.with_context(dunning_trigger="manual")._escalate_partners(
                self.line_ids.partner_id.ids, self.date
            )
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_retention_dunning.dunning_communication_action"
        )
        action["domain"] = [
            ("partner_id", "in", self.line_ids.partner_id.ids),
            ("date", "=", self.date),
        ]
        return action
