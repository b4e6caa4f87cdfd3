"""Going live on an existing book.

On the first night after install every overdue invoice would start at the
ladder's first step: a customer 411 days late would get a friendly
reminder, and reach the formal demand weeks later. A company chooses
instead, in Settings, to place each invoice of the book it goes live with
(due before its start date, never dunned) at the step its age reaches,
capped at the formal demand: a credit hold or a hand-over always waits for
a person's decision. Settings preview what the first night would send
either way."""

from odoo import api, fields, models

from ..tools.dunning_schedule import placed_level
from .decision_fields import GROUP_COLLECTOR, check_group

START_MODES = [
    ("first_step", "Start every invoice at the first step"),
    ("by_age", "Place each invoice at the step its age reaches"),
]
# a night places an invoice at these kinds of steps only
PLACEABLE_ACTIONS = ("send", "call")


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_start_mode = fields.Selection(
        START_MODES,
        string="Going Live",
        default="first_step",
        required=True,
        help="How the first nights treat the overdue invoices you went live "
        "with: from the first step, or at the step their age reaches (up to "
        "the formal demand).",
    )
    dunning_start_date = fields.Date(
        string="Went Live On",
        default=fields.Date.context_today,
        help="Invoices due before this day, never reminded yet, are the book "
        "you went live with.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_start_mode = fields.Selection(
        related="company_id.dunning_start_mode", readonly=False
    )
    dunning_start_date = fields.Date(
        related="company_id.dunning_start_date", readonly=False
    )

    def action_preview_start_first_step(self):
        return self._preview_start("first_step")

    def action_preview_start_by_age(self):
        return self._preview_start("by_age")

    def _preview_start(self, mode):
        """What the next night would send to every customer if the company
        went live this way; nothing is sent nor saved."""
        check_group(self.env, GROUP_COLLECTOR)
        wizard = (
            self.env["dunning.preview.wizard"]
            .with_context(dunning_start_mode=mode)
            .create({"start_mode": mode})
        )
        return {
            "type": "ir.actions.act_window",
            "name": dict(START_MODES)[mode],
            "res_model": "dunning.preview.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }


class DunningEscalation(models.AbstractModel):
    _inherit = "dunning.escalation"

    @api.model
    def _start_step(self, invoice, state, levels, ladder, today):
        """The step an invoice of the book the company went live with takes
        on its first night, when the company places by age; else ``None``."""
        company = invoice.company_id
        mode = self.env.context.get("dunning_start_mode") or company.dunning_start_mode
        if (
            mode != "by_age"
            or not company.dunning_start_date
            or invoice.invoice_date_due >= company.dunning_start_date
        ):
            return None
        return placed_level(state, ladder, today, self._placeable_keys(levels))

    @api.model
    def _placeable_keys(self, levels):
        """The levels a night may place an invoice at: up to the first
        formal demand of the ladder, sending or calling only."""
        ordered = levels.sorted(lambda level: (level.sequence, level.id))
        formal = ordered.filtered(lambda level: level.tone == "formal")[:1]
        return {
            level.id
            for level in ordered
            if level.action in PLACEABLE_ACTIONS
            and (not formal or level.sequence <= formal.sequence)
            and level.tone != "final"
        }
