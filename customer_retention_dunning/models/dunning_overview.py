from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..tools.payment_plan import add_months
from .dunning_kpi import KPI_HELP, month_windows

# the bars of the overview's ageing chart and the ageing report's buckets
# each one adds up: the three oldest make one bar, as a credit controller
# treats all money over 90 days overdue alike
CHART_BUCKETS = (
    ("0_not_due", ("0_not_due",)),
    ("1_30", ("1_30",)),
    ("2_60", ("2_60",)),
    ("3_90", ("3_90",)),
    ("over_90", ("4_180", "5_365", "6_older")),
)


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
    ageing_chart = fields.Json(
        string="Open Amount by Age",
        compute="_compute_figures",
        exportable=False,
        help="The open receivables per age, from the receivables ageing: "
        "the bars add up to the open total, the overdue ones to the overdue "
        "total.",
    )
    dso_chart = fields.Json(
        string="DSO by Month",
        compute="_compute_figures",
        exportable=False,
        help="Days sales outstanding at the end of each of the last twelve "
        "months, as the DSO and CEI report computes them.",
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
            # the headline totals and the chart's bars in the same pass over
            # the ageing, so that they cannot tell different stories
            bucket_sums = SQL(", ").join(
                SQL(
                    "COALESCE(SUM(amount_residual) FILTER (WHERE bucket = ANY(%s)), 0)",
                    list(buckets),
                )
                for _key, buckets in CHART_BUCKETS
            )
            self.env.cr.execute(
                SQL(
                    """
                SELECT COALESCE(SUM(amount_residual), 0),
                       COALESCE(SUM(amount_residual) FILTER (WHERE days_overdue > 0), 0),
                       COALESCE(SUM(value_at_risk), 0),
                       %s
                  FROM (%s) AS ageing
                 WHERE company_id = %s
                    """,
                    bucket_sums,
                    self.env["dunning.ageing.report"]._table_query,
                    company.id,
                )
            )
            (
                overview.open_total,
                overview.overdue_total,
                overview.value_at_risk_total,
                *bar_amounts,
            ) = self.env.cr.fetchone()
            overview.ageing_chart = {
                "currency_id": company.currency_id.id,
                "points": [
                    {"key": key, "label": label, "value": float(amount)}
                    for (key, label), amount in zip(
                        self._chart_bucket_labels(), bar_amounts, strict=True
                    )
                ],
            }
            Kpi = self.env["dunning.kpi"]
            period_start = overview._period_start()
            month_ends = [end for _start, end in month_windows(period_start, today)]
            # what was not yet due is worked out only where a figure shown
            # needs it: at the end of the last full month, for its CEI
            windows, all_windows, figures = Kpi._figures(
                company,
                period_start,
                today,
                by_customer=False,
                current_ends=month_ends[-2:-1] or month_ends[-1:],
            )
            months, summary = Kpi._indicators(figures[None], windows, all_windows)
            overview.dso_countback = summary["dso_countback"]
            overview.dso_simple = summary["dso_simple"]
            last_full = months[-2] if len(months) > 1 else months[-1]
            overview.cei_last_month = last_full["cei"] or 0.0
            # the line ends on the headline figure: the countback of the
            # last month is the period's
            overview.dso_chart = {
                "points": [
                    {
                        "key": fields.Date.to_string(month["month"]),
                        "label": format_date(
                            self.env, month["month"], date_format="MMM yyyy"
                        ),
                        "value": month["dso_countback"],
                    }
                    for month in months
                ],
            }
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

    @api.model
    def _chart_bucket_labels(self):
        """``(key, label)`` of each bar of the ageing chart, in the user's
        language: the ageing report's own label where a bar is one bucket."""
        labels = dict(
            self.env["dunning.ageing.report"]
            ._fields["bucket"]
            ._description_selection(self.env)
        )
        # outside the comprehension: under Python 3.11 ``_`` finds no
        # language from inside one and leaves the label untranslated
        over_90 = _("Over 90 Days")
        return [
            (key, labels[buckets[0]] if len(buckets) == 1 else over_90)
            for key, buckets in CHART_BUCKETS
        ]

    def _period_start(self):
        """The first day of the twelve months the DSO figures cover."""
        return add_months(fields.Date.context_today(self).replace(day=1), -11)

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
        if "name" in updates:
            # the web client titles the list by the display name first
            action.pop("display_name", None)
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

    def action_open_ageing_bucket(self, bucket):
        """The ageing list behind one bar of the chart: the open items of
        the overview's company in that age."""
        self.ensure_one()
        self.env["dunning.kpi"]._check_company(self.company_id)
        buckets = dict(CHART_BUCKETS).get(bucket)
        if not buckets:
            raise UserError(_("There is no age %s on the overview.", bucket))
        label = dict(self._chart_bucket_labels())[bucket]
        return self._window(
            "customer_retention_dunning.dunning_ageing_report_action",
            name=_("Receivables Ageing: %s", label),
            view_mode="list,pivot,graph",
            views=[(False, "list"), (False, "pivot"), (False, "graph")],
            domain=[
                ("company_id", "=", self.company_id.id),
                ("bucket", "in", list(buckets)),
            ],
            context={},
        )

    def _kpi_report(self):
        """The DSO and CEI report over the overview's twelve months."""
        self.ensure_one()
        report = self.env["dunning.kpi.report"].create(
            {
                "company_id": self.company_id.id,
                "date_from": self._period_start(),
                "date_to": fields.Date.context_today(self),
            }
        )
        return report

    def action_open_kpi(self):
        return self._kpi_report().action_compute()

    def action_open_dso_month(self, month):
        """The figures of one month of the DSO chart, computed over the
        same twelve months as the chart, so the numbers are the same."""
        self.ensure_one()
        self.env["dunning.kpi"]._check_company(self.company_id)
        try:
            first_day = fields.Date.to_date(month)
        except (TypeError, ValueError):
            first_day = None
        today = fields.Date.context_today(self)
        if (
            not first_day
            or first_day.day != 1
            or not self._period_start() <= first_day <= today
        ):
            raise UserError(_("The overview shows no month %s.", month))
        month = first_day
        report = self._kpi_report()
        report.action_compute()
        return {
            "type": "ir.actions.act_window",
            "name": _(
                "DSO and CEI: %s", format_date(self.env, month, date_format="MMMM yyyy")
            ),
            "res_model": "dunning.kpi.report.month",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref(
                        "customer_retention_dunning.dunning_kpi_report_month_view_list"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("report_id", "=", report.id), ("month", "=", month)],
            "context": {"create": False},
        }

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
