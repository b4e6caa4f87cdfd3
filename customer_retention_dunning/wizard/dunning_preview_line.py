from odoo import fields, models

from ..models.dunning_communication import CHANNEL_SELECTION, FALLBACK_SELECTION


class DunningPreviewLine(models.TransientModel):
    _name = "dunning.preview.line"
    _description = "Reminder the Dunning Run Would Send"

    wizard_id = fields.Many2one(
        "dunning.preview.wizard", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Customer")
    recipient_id = fields.Many2one("res.partner", string="Sent To")
    company_id = fields.Many2one("res.company")
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("dunning.level", string="Level")
    channel = fields.Selection(CHANNEL_SELECTION)
    channel_fallback = fields.Selection(
        FALLBACK_SELECTION, string="Why Not the First Choice"
    )
    move_ids = fields.Many2many("account.move", string="Invoices")
    amount = fields.Monetary(currency_field="currency_id")
