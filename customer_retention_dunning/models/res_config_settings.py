from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_score_half_life = fields.Integer(
        related="company_id.dunning_score_half_life", readonly=False
    )
    dunning_score_min_history = fields.Integer(
        related="company_id.dunning_score_min_history", readonly=False
    )
    dunning_band_excellent = fields.Integer(
        related="company_id.dunning_band_excellent", readonly=False
    )
    dunning_band_good = fields.Integer(
        related="company_id.dunning_band_good", readonly=False
    )
    dunning_band_watch = fields.Integer(
        related="company_id.dunning_band_watch", readonly=False
    )
    dunning_loss_3m = fields.Float(related="company_id.dunning_loss_3m", readonly=False)
    dunning_loss_6m = fields.Float(related="company_id.dunning_loss_6m", readonly=False)
    dunning_loss_12m = fields.Float(
        related="company_id.dunning_loss_12m", readonly=False
    )
    dunning_loss_24m = fields.Float(
        related="company_id.dunning_loss_24m", readonly=False
    )
    dunning_profile_excellent_id = fields.Many2one(
        related="company_id.dunning_profile_excellent_id", readonly=False
    )
    dunning_profile_good_id = fields.Many2one(
        related="company_id.dunning_profile_good_id", readonly=False
    )
    dunning_profile_watch_id = fields.Many2one(
        related="company_id.dunning_profile_watch_id", readonly=False
    )
    dunning_profile_risk_id = fields.Many2one(
        related="company_id.dunning_profile_risk_id", readonly=False
    )
    dunning_profile_none_id = fields.Many2one(
        related="company_id.dunning_profile_none_id", readonly=False
    )
    payment_plan_approval_amount = fields.Monetary(
        related="company_id.payment_plan_approval_amount", readonly=False
    )
    payment_plan_max_months = fields.Integer(
        related="company_id.payment_plan_max_months", readonly=False
    )
    payment_plan_min_instalment = fields.Monetary(
        related="company_id.payment_plan_min_instalment", readonly=False
    )
    payment_plan_break_days = fields.Integer(
        related="company_id.payment_plan_break_days", readonly=False
    )
    payment_plan_reminder_days = fields.Integer(
        related="company_id.payment_plan_reminder_days", readonly=False
    )
    dunning_costs_arrangement = fields.Selection(
        related="company_id.dunning_costs_arrangement", readonly=False
    )
    dunning_costs_percentage = fields.Float(
        related="company_id.dunning_costs_percentage", readonly=False
    )
    dunning_costs_minimum = fields.Monetary(
        related="company_id.dunning_costs_minimum", readonly=False
    )
    dunning_costs_vat = fields.Boolean(
        related="company_id.dunning_costs_vat", readonly=False
    )
    dunning_costs_vat_percent = fields.Float(
        related="company_id.dunning_costs_vat_percent", readonly=False
    )
    dunning_interest_eu_directive = fields.Boolean(
        related="company_id.dunning_interest_eu_directive", readonly=False
    )
    dunning_statutory_convert = fields.Boolean(
        related="company_id.dunning_statutory_convert", readonly=False
    )
    dunning_payment_term_excellent_id = fields.Many2one(
        related="company_id.dunning_payment_term_excellent_id", readonly=False
    )
    dunning_payment_term_good_id = fields.Many2one(
        related="company_id.dunning_payment_term_good_id", readonly=False
    )
    dunning_payment_term_watch_id = fields.Many2one(
        related="company_id.dunning_payment_term_watch_id", readonly=False
    )
    dunning_payment_term_risk_id = fields.Many2one(
        related="company_id.dunning_payment_term_risk_id", readonly=False
    )
    dunning_payment_term_none_id = fields.Many2one(
        related="company_id.dunning_payment_term_none_id", readonly=False
    )
    dunning_reward_message = fields.Boolean(
        related="company_id.dunning_reward_message", readonly=False
    )
    dunning_costs_product_id = fields.Many2one(
        related="company_id.dunning_costs_product_id", readonly=False
    )
    dunning_interest_product_id = fields.Many2one(
        related="company_id.dunning_interest_product_id", readonly=False
    )
    dunning_costs_account_id = fields.Many2one(
        related="company_id.dunning_costs_account_id", readonly=False
    )
    dunning_interest_account_id = fields.Many2one(
        related="company_id.dunning_interest_account_id", readonly=False
    )
    dunning_charge_journal_id = fields.Many2one(
        related="company_id.dunning_charge_journal_id", readonly=False
    )
    dunning_allocate_costs_first = fields.Boolean(
        related="company_id.dunning_allocate_costs_first", readonly=False
    )
    dunning_receipt_working_days = fields.Integer(
        related="company_id.dunning_receipt_working_days", readonly=False
    )
    dunning_letter_by_post = fields.Boolean(
        related="company_id.dunning_letter_by_post", readonly=False
    )
    dunning_minimum_amount = fields.Monetary(
        related="company_id.dunning_minimum_amount", readonly=False
    )
    dunning_promise_grace_days = fields.Integer(
        related="company_id.dunning_promise_grace_days", readonly=False
    )
    dunning_promise_max_days = fields.Integer(
        related="company_id.dunning_promise_max_days", readonly=False
    )
    dunning_dispute_max_days = fields.Integer(
        related="company_id.dunning_dispute_max_days", readonly=False
    )
