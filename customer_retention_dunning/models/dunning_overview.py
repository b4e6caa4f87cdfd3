from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools.payment_plan import add_months
from .dunning_kpi import KPI_HELP


class DunningOverview(models.TransientModel):
    """The credit controller's front page: headline figures of the current
    company, each opening the list behind it."""

    _name = "dunning.overview"
    _description = "Credit Control Overview"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    open_total = fields.Monetary(
        string="Open Receivables",
        compute="_compute_figures",
        currency_field="currency_id",
    )
    overdue_total = fields.Monetary(
        string="Overdue", compute="_compute_figures", currency_field="currency_id"
    )
    value_at_risk_total = fields.Monetary(
        string="Value at Risk", compute="_compute_figures", currency_field="currency_id"
    )
    dso_countback = fields.Float(
        string="DSO (Countback)",
        digits=(16, 1),
        compute="_compute_figures",
        help=KPI_HELP["dso_countback"] + " Over the last twelve months.",
    )
    dso_simple = fields.Float(
        string="DSO (Simple)",
        digits=(16, 1),
        compute="_compute_figures",
        help=KPI_HELP["dso_simple"] + " Over the last twelve months.",
    )
    cei_last_month = fields.Float(
        string="CEI Last Month (%)",
        digits=(16, 1),
        compute="_compute_figures",
        help=KPI_HELP["cei"] + " For the last full month.",
    )
    promises_due_count = fields.Integer(
        string="Promises Due Today", compute="_compute_figures"
    )
    plans_to_approve_count = fields.Integer(
        string="Plans to Approve", compute="_compute_figures"
    )
    credit_hold_count = fields.Integer(
        string="Credit Holds", compute="_compute_figures"
    )
    act_today_count = fields.Integer(
        string="My Customers to Act On Today", compute="_compute_figures"
    )

    @api.depends("company_id")
    def _compute_display_name(self):
        for overview in self:
            overview.display_name = _("Overview")

    @api.depends("company_id")
    def _compute_figures(self):
        today = fields.Date.context_today(self)
        for overview in self:
            company = overview.company_id
            self.env["dunning.kpi"]._check_company(company)
            self.env.flush_all()  # the query reads the tables
            self.env.cr.execute(
                SQL(
                    """
                SELECT COALESCE(SUM(amount_residual), 0),
                       COALESCE(SUM(amount_residual) FILTER (WHERE days_overdue > 0), 0),
                       COALESCE(SUM(value_at_risk), 0)
                  FROM (%s) AS ageing
                 WHERE company_id = %s
                    """,
                    self.env["dunning.ageing.report"]._table_query,
                    company.id,
                )
            )
            (
                overview.open_total,
                overview.overdue_total,
                overview.value_at_risk_total,
            ) = self.env.cr.fetchone()
            Kpi = self.env["dunning.kpi"]
            date_from = add_months(today.replace(day=1), -11)
            windows, all_windows, figures = Kpi._figures(
                company, date_from, today, by_customer=False
            )
            months, summary = Kpi._indicators(figures[None], windows, all_windows)
            overview.dso_countback = summary["dso_countback"]
            overview.dso_simple = summary["dso_simple"]
            last_full = months[-2] if len(months) > 1 else months[-1]
            overview.cei_last_month = last_full["cei"] or 0.0
            overview.promises_due_count = self.env["dunning.promise"].search_count(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                    ("date", "=", today),
                ]
            )
            overview.plans_to_approve_count = self.env["payment.plan"].search_count(
                [("company_id", "=", company.id), ("state", "=", "to_approve")]
            )
            # holds and collectors are the overview's company's own
            Partner = self.env["res.partner"].with_company(company)
            overview.credit_hold_count = Partner.search_count(
                [("credit_hold", "=", True)]
            )
            overview.act_today_count = Partner.search_count(
                [
                    ("dunning_collector_id", "=", self.env.uid),
                    ("dunning_act_today", "=", True),
                ]
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def action_open_overview(self):
        overview = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": _("Overview"),
            "res_model": self._name,
            "res_id": overview.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _window(self, xmlid, **updates):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update(updates)
        return action

    def action_open_ageing(self):
        return self._window("customer_retention_dunning.dunning_ageing_report_action")

    def action_open_overdue(self):
        return self._window(
            "customer_retention_dunning.dunning_ageing_report_action",
            view_mode="list,pivot,graph",
            views=[(False, "list"), (False, "pivot"), (False, "graph")],
            context={"search_default_overdue": 1, "search_default_group_partner": 1},
        )

    def action_open_kpi(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        report = self.env["dunning.kpi.report"].create(
            {
                "company_id": self.company_id.id,
                "date_from": add_months(today.replace(day=1), -11),
                "date_to": today,
            }
        )
        return report.action_compute()

    def action_open_promises_due(self):
        return self._window(
            "customer_retention_dunning.dunning_promise_action",
            domain=[
                ("state", "=", "open"),
                ("date", "=", fields.Date.context_today(self)),
            ],
        )

    def action_open_plans_to_approve(self):
        return self._window("customer_retention_dunning.payment_plan_action_to_approve")

    def action_open_credit_holds(self):
        return self._window(
            "customer_retention_dunning.res_partner_action_team_workload",
            domain=[("credit_hold", "=", True)],
            context={},
        )

    def action_open_work_list(self):
        return self._window(
            "customer_retention_dunning.res_partner_action_my_collections"
        )

    def action_download_workbook(self):
        return (
            self.env["dunning.workbook"].with_company(self.company_id).action_download()
        )
