from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

#: the longest pause a person can set; longer is a dispute or an exclusion
MAX_PAUSE_DAYS = 366


class DunningPauseWizard(models.TransientModel):
    _name = "dunning.pause.wizard"
    _description = "Pause Dunning"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_ids = fields.Json(string="Documents", required=True, readonly=True)
    date_until = fields.Date(
        string="Pause Until",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=14),
        help="Reminders resume the day after.",
    )
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        if model in ("account.move", "res.partner"):
            values.setdefault("res_model", model)
            values.setdefault("res_ids", self.env.context.get("active_ids") or [])
        return values

    def _records(self):
        self.ensure_one()
        records = self.env[self.res_model].browse(self.res_ids).exists()
        if self.res_model == "res.partner":
            return records._dunning_customers()
        return records._dunning_open_invoices()

    def action_pause(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.date_until < today:
            raise UserError(_("A pause cannot end in the past."))
        if self.date_until > today + timedelta(days=MAX_PAUSE_DAYS):
            raise UserError(
                _(
                    "A pause lasts at most a year. For a longer stop, mark the "
                    "invoice as disputed or exclude the customer from dunning."
                )
            )
        records = self._records()
        records.write(
            {
                "dunning_paused_until": self.date_until,
                "dunning_pause_reason": self.reason,
            }
        )
        return {"type": "ir.actions.act_window_close"}
