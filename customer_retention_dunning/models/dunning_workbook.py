import base64
import os
import tempfile

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.excel import column_letter, excel_date_format
from ..tools.payment_plan import add_months
from .dunning_ageing_report import BUCKET_SELECTION, BUCKETS

# rows read from PostgreSQL at a time: the workbook is written as they come
PAGE_SIZE = 5000

SHEETS = ("overview", "ageing", "trend", "effectiveness", "worklist")


class DunningWorkbook(models.AbstractModel):
    """The credit control workbook: one sheet per view, written row by row
    with xlsxwriter's constant-memory mode from paged SQL reads, so that the
    size of the book does not set the memory used."""

    _name = "dunning.workbook"
    _description = "Credit Control Workbook"

    # ------------------------------------------------------------
    # ENTRY POINTS
    # ------------------------------------------------------------

    @api.model
    def action_download(self, sheets=SHEETS, date_from=None, date_to=None, ids=None):
        """Build the workbook and hand it to the browser. ``ids``: only
        these rows of the ageing, effectiveness or work-list sheet (the
        records selected in that view)."""
        attachment = self.with_context(dunning_workbook_ids=ids)._attachment(
            sheets, date_from, date_to
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    @api.model
    def _attachment(self, sheets=SHEETS, date_from=None, date_to=None):
        unknown = set(sheets) - set(SHEETS)
        if unknown or not sheets:
            raise UserError(_("Unknown workbook sheets: %s", ", ".join(unknown)))
        self.env["dunning.ageing.report"].check_access("read")
        today = fields.Date.context_today(self)
        date_to = date_to or today
        date_from = date_from or add_months(date_to.replace(day=1), -11)
        content = self._build(sheets, date_from, date_to)
        name = _("Credit control %s.xlsx", fields.Date.to_string(today))
        Attachment = self.env["ir.attachment"]
        # the user's own file: an attachment without a record is readable by
        # the user who made it only (and the administrators), and needs no
        # right on the company; the user's earlier workbooks are dropped
        Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", 0),
                ("create_uid", "=", self.env.uid),
            ]
        ).unlink()
        return Attachment.create(
            {
                "name": name,
                "datas": base64.b64encode(content),
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": 0,
            }
        )

    # ------------------------------------------------------------
    # WORKBOOK
    # ------------------------------------------------------------

    @api.model
    def _build(self, sheets, date_from, date_to):
        self.env.flush_all()  # the sheets read the tables
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
            styles = self._styles(workbook)
            for key in SHEETS:
                if key in sheets:
                    getattr(self, f"_sheet_{key}")(workbook, styles, date_from, date_to)
            workbook.close()
            with open(path, "rb") as file:
                return file.read()
        finally:
            os.unlink(path)

    @api.model
    def _styles(self, workbook):
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        date_format = excel_date_format(lang.date_format if lang else None)
        digits = self.env.company.currency_id.decimal_places
        money = "#,##0" + ("." + "0" * digits if digits else "")
        return {
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True}
            ),
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "bold": workbook.add_format({"bold": True}),
            "money": workbook.add_format({"num_format": money}),
            "money_total": workbook.add_format(
                {"num_format": money, "bold": True, "top": 1}
            ),
            "integer": workbook.add_format({"num_format": "0"}),
            "decimal": workbook.add_format({"num_format": "0.0"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "percent_total": workbook.add_format(
                {"num_format": "0.0%", "bold": True, "top": 1}
            ),
            "date": workbook.add_format({"num_format": date_format}),
            "month": workbook.add_format({"num_format": "mmm yyyy"}),
            "total_label": workbook.add_format({"bold": True, "top": 1}),
        }

    @api.model
    def _write_header(self, sheet, styles, headers, widths, row=0):
        """Header row, frozen under it; returns the first data row."""
        for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
            sheet.write(row, col, header, styles["header"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(row + 1, 0)
        return row + 1

    @api.model
    def _totals(
        self, sheet, styles, row, first, last, sum_columns, values, label_col=0
    ):
        """A totals row under a table: filter-aware SUBTOTAL formulas with
        their value already computed (for readers that do not calculate)."""
        sheet.write(row, label_col, _("Total"), styles["total_label"])
        for col in sum_columns:
            letter = column_letter(col)
            formula = (
                f"=SUBTOTAL(109,{letter}{first + 1}:{letter}{max(last, first) + 1})"
            )
            sheet.write_formula(
                row, col, formula, styles["money_total"], round(values.get(col, 0.0), 2)
            )

    @api.model
    def _companies(self):
        # one company, one currency: the totals add up
        return (self.env.company.id,)

    @api.model
    def _selected(self, column):
        """SQL restricting ``column`` (an identifier of ours) to the selected
        records, if any."""
        ids = self.env.context.get("dunning_workbook_ids")
        if ids is None:
            return SQL()
        return SQL(f"AND {column} = ANY(%s)", list(ids))

    # ------------------------------------------------------------
    # SHEETS
    # ------------------------------------------------------------

    @api.model
    def _bucket_totals(self):
        self.env.cr.execute(
            SQL(
                """
            SELECT ageing.bucket, SUM(ageing.amount_residual),
                   SUM(ageing.value_at_risk)
              FROM (%s) AS ageing
             WHERE ageing.company_id IN %s
             GROUP BY ageing.bucket
                """,
                self.env["dunning.ageing.report"]._table_query,
                self._companies(),
            )
        )
        return {
            bucket: (amount, risk) for bucket, amount, risk in self.env.cr.fetchall()
        }

    @api.model
    def _sheet_overview(self, workbook, styles, date_from, date_to):
        sheet = workbook.add_worksheet(_("Overview"))
        overview = self.env["dunning.overview"].create({})
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 3, 18)
        sheet.write(0, 0, _("Credit control overview"), styles["title"])
        sheet.write(1, 0, _("Date"))
        sheet.write_datetime(
            1,
            1,
            fields.Datetime.to_datetime(fields.Date.context_today(self)),
            styles["date"],
        )
        rows = [
            (_("Open receivables"), overview.open_total, "money"),
            (_("Overdue"), overview.overdue_total, "money"),
            (_("Value at risk"), overview.value_at_risk_total, "money"),
            (_("DSO, countback (days)"), overview.dso_countback, "decimal"),
            (_("DSO, simple (days)"), overview.dso_simple, "decimal"),
            (_("CEI, last month"), overview.cei_last_month / 100.0, "percent"),
            (_("Promises due today"), overview.promises_due_count, "integer"),
            (_("Payment plans to approve"), overview.plans_to_approve_count, "integer"),
            (_("Customers on credit hold"), overview.credit_hold_count, "integer"),
        ]
        row = 3
        for label, value, style in rows:
            sheet.write(row, 0, label, styles["bold"])
            sheet.write_number(row, 1, value or 0.0, styles[style])
            row += 1
        # the ageing by bucket, and its chart
        row += 1
        first = self._write_header(
            sheet,
            styles,
            [_("Age"), _("Open Amount"), _("Value at Risk")],
            [34, 18, 18],
            row,
        )
        sheet.freeze_panes(0, 0)
        totals = self._bucket_totals()
        labels = dict(BUCKET_SELECTION)
        row = first
        for _limit, key, _column in BUCKETS:
            amount, risk = totals.get(key, (0.0, 0.0))
            sheet.write(row, 0, labels[key])
            sheet.write_number(row, 1, amount, styles["money"])
            sheet.write_number(row, 2, risk, styles["money"])
            row += 1
        self._totals(
            sheet,
            styles,
            row,
            first,
            row - 1,
            [1, 2],
            {
                1: sum(amount for amount, _risk in totals.values()),
                2: sum(risk for _amount, risk in totals.values()),
            },
        )
        chart = workbook.add_chart({"type": "column"})
        for col, name in ((1, _("Open Amount")), (2, _("Value at Risk"))):
            chart.add_series(
                {
                    "name": name,
                    "categories": [sheet.name, first, 0, row - 1, 0],
                    "values": [sheet.name, first, col, row - 1, col],
                }
            )
        chart.set_title({"name": _("Ageing by bucket")})
        sheet.insert_chart(3, 4, chart, {"x_scale": 1.4, "y_scale": 1.2})

    @api.model
    def _sheet_ageing(self, workbook, styles, date_from, date_to):
        sheet = workbook.add_worksheet(_("Ageing"))
        amount_columns = [column for _limit, _key, column in BUCKETS]
        labels = dict(BUCKET_SELECTION)
        headers = [
            _("Customer"),
            _("Entry"),
            _("Due Date"),
            _("Days Overdue"),
            _("Age"),
            *(labels[key] for _limit, key, _column in BUCKETS),
            _("Open Amount"),
            _("Value at Risk"),
            _("Collector"),
            _("Salesperson"),
            _("Company"),
        ]
        widths = [30, 18, 12, 10, 14, *([13] * len(BUCKETS)), 14, 14, 20, 20, 20]
        first = self._write_header(sheet, styles, headers, widths)
        money_from = 5
        money_to = money_from + len(BUCKETS) + 1
        totals = dict.fromkeys(range(money_from, money_to + 1), 0.0)
        query = self.env["dunning.ageing.report"]._table_query
        selected = self._selected("ageing.id")
        row, last_id = first, 0
        while True:
            self.env.cr.execute(
                SQL(
                    f"""
                SELECT ageing.id, customer.name, move.name, ageing.date_maturity,
                       ageing.days_overdue, ageing.bucket,
                       {", ".join(f"ageing.{column}" for column in amount_columns)},
                       ageing.amount_residual, ageing.value_at_risk,
                       collector.name, salesperson.name, company.name
                  FROM (%s) AS ageing
                  JOIN res_partner customer ON customer.id = ageing.partner_id
                  JOIN account_move move ON move.id = ageing.move_id
                  JOIN res_company company ON company.id = ageing.company_id
                  LEFT JOIN res_users collector_user
                    ON collector_user.id = ageing.collector_id
                  LEFT JOIN res_partner collector
                    ON collector.id = collector_user.partner_id
                  LEFT JOIN res_users sales_user
                    ON sales_user.id = ageing.invoice_user_id
                  LEFT JOIN res_partner salesperson
                    ON salesperson.id = sales_user.partner_id
                 WHERE ageing.company_id IN %s AND ageing.id > %s
                       %s
                 ORDER BY ageing.id
                 LIMIT %s
                    """,
                    query,
                    self._companies(),
                    last_id,
                    selected,
                    PAGE_SIZE,
                )
            )
            records = self.env.cr.fetchall()
            if not records:
                break
            for record in records:
                last_id = record[0]
                sheet.write_string(row, 0, record[1] or "")
                sheet.write_string(row, 1, record[2] or "")
                sheet.write_datetime(
                    row, 2, fields.Datetime.to_datetime(record[3]), styles["date"]
                )
                sheet.write_number(row, 3, record[4], styles["integer"])
                sheet.write_string(row, 4, labels[record[5]])
                for offset, value in enumerate(record[6 : 6 + len(BUCKETS) + 2]):
                    col = money_from + offset
                    sheet.write_number(row, col, value, styles["money"])
                    totals[col] += value
                for offset, value in enumerate(record[6 + len(BUCKETS) + 2 :]):
                    sheet.write_string(row, money_to + 1 + offset, value or "")
                row += 1
        last = row - 1
        if last >= first:
            sheet.autofilter(0, 0, last, len(headers) - 1)
        self._totals(sheet, styles, row, first, last, list(totals), totals)

    @api.model
    def _sheet_trend(self, workbook, styles, date_from, date_to):
        sheet = workbook.add_worksheet(_("DSO and CEI"))
        Kpi = self.env["dunning.kpi"]
        windows, all_windows, figures = Kpi._figures(
            self.env.company, date_from, date_to, by_customer=False
        )
        months, period = Kpi._indicators(figures[None], windows, all_windows)
        headers = [
            _("Month"),
            _("Credit Sales"),
            _("Receivables at the End"),
            _("Not Yet Due at the End"),
            _("DSO, simple (days)"),
            _("DSO, countback (days)"),
            _("Collection effectiveness"),
        ]
        first = self._write_header(sheet, styles, headers, [12, 16, 18, 18, 14, 14, 10])
        row = first
        for month in months:
            sheet.write_datetime(
                row, 0, fields.Datetime.to_datetime(month["month"]), styles["month"]
            )
            self._trend_figures(sheet, styles, row, month, "money", "percent")
            row += 1
        last = row - 1
        sheet.autofilter(0, 0, max(last, first), len(headers) - 1)
        sheet.write(row, 0, _("Period"), styles["total_label"])
        self._trend_figures(sheet, styles, row, period, "money_total", "percent_total")
        chart = workbook.add_chart({"type": "line"})
        for col in (4, 5):
            chart.add_series(
                {
                    "name": [sheet.name, 0, col],
                    "categories": [sheet.name, first, 0, last, 0],
                    "values": [sheet.name, first, col, last, col],
                    "marker": {"type": "circle"},
                }
            )
        chart.set_title({"name": _("DSO by month")})
        chart.set_y_axis({"name": _("Days")})
        sheet.insert_chart(1, len(headers) + 1, chart, {"x_scale": 1.4, "y_scale": 1.2})

    @api.model
    def _trend_figures(self, sheet, styles, row, figures, money, percent):
        for col, key in (
            (1, "credit_sales"),
            (2, "receivables_end"),
            (3, "current_end"),
        ):
            sheet.write_number(row, col, figures[key], styles[money])
        sheet.write_number(row, 4, figures["dso_simple"], styles["decimal"])
        sheet.write_number(row, 5, figures["dso_countback"], styles["decimal"])
        sheet.write_number(row, 6, (figures["cei"] or 0.0) / 100.0, styles[percent])

    @api.model
    def _effectiveness_rows(self, group_by, date_from, date_to):
        query = self.env["dunning.effectiveness.report"]._table_query
        selected = self._selected("effect.id")
        # the reminders chosen in the view, whatever their date
        period = (
            SQL()
            if self.env.context.get("dunning_workbook_ids") is not None
            else SQL("AND effect.date BETWEEN %s AND %s", date_from, date_to)
        )
        # group_by is one of this model's own column expressions
        self.env.cr.execute(
            SQL(
                f"""
            SELECT {group_by}, COUNT(*), SUM(effect.amount),
                   SUM(effect.amount_paid_7), SUM(effect.amount_paid_14),
                   SUM(effect.amount_paid_30)
              FROM (%s) AS effect
              LEFT JOIN dunning_level level ON level.id = effect.level_id
              LEFT JOIN mail_template template ON template.id = effect.template_id
             WHERE effect.company_id IN %s
                   %s
                   %s
             GROUP BY {group_by}
             ORDER BY {group_by}
                """,
                SQL(query),
                self._companies(),
                period,
                selected,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _sheet_effectiveness(self, workbook, styles, date_from, date_to):
        sheet = workbook.add_worksheet(_("Effectiveness"))
        channels = dict(
            self.env["dunning.communication"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        levels = {
            level.id: level.display_name
            for level in self.env["dunning.level"]
            .with_context(active_test=False)
            .search([])
        }
        templates = {
            template.id: template.name
            for template in self.env["mail.template"].search(
                [("model", "=", "dunning.communication")]
            )
        }
        headers = [
            _("Level"),
            _("Channel"),
            _("E-mail Template"),
            _("Reminders"),
            _("Amount"),
            _("Paid within 7 Days"),
            _("Paid within 14 Days"),
            _("Paid within 30 Days"),
            _("Share Paid in 7 Days"),
            _("Share Paid in 14 Days"),
            _("Share Paid in 30 Days"),
        ]
        first = self._write_header(
            sheet, styles, headers, [28, 12, 28, 10, 14, 14, 14, 14, 12, 12, 12]
        )
        row = first
        by_level = {}
        for (
            level_id,
            sequence,
            channel,
            template_id,
            *figures,
        ) in self._effectiveness_rows(
            "effect.level_id, level.sequence, effect.channel, effect.template_id",
            date_from,
            date_to,
        ):
            self._effectiveness_row(
                sheet,
                styles,
                row,
                [
                    levels.get(level_id, ""),
                    channels.get(channel, ""),
                    templates.get(template_id, ""),
                ],
                figures,
            )
            level = by_level.setdefault(
                (sequence or 0, level_id), [0, 0.0, 0.0, 0.0, 0.0]
            )
            for index, value in enumerate(figures):
                level[index] += value or 0
            row += 1
        last = row - 1
        sheet.autofilter(0, 0, max(last, first), len(headers) - 1)
        # the summary per level under the detail, with its chart
        row += 2
        sheet.write(row, 0, _("By level"), styles["title"])
        row += 1
        level_first = row
        for (_sequence, level_id), figures in sorted(
            by_level.items(), key=lambda item: (item[0][0], item[0][1] or 0)
        ):
            self._effectiveness_row(
                sheet, styles, row, [levels.get(level_id, ""), "", ""], figures
            )
            row += 1
        level_last = row - 1
        if level_last >= level_first:
            chart = workbook.add_chart({"type": "column"})
            for col in (8, 9, 10):
                chart.add_series(
                    {
                        "name": [sheet.name, 0, col],
                        "categories": [sheet.name, level_first, 0, level_last, 0],
                        "values": [sheet.name, level_first, col, level_last, col],
                    }
                )
            chart.set_title({"name": _("Share paid after a reminder, per level")})
            chart.set_y_axis({"num_format": "0%"})
            sheet.insert_chart(row + 1, 0, chart, {"x_scale": 1.6, "y_scale": 1.2})

    @api.model
    def _effectiveness_row(self, sheet, styles, row, labels, figures):
        count, amount, paid_7, paid_14, paid_30 = (value or 0 for value in figures)
        for col, label in enumerate(labels):
            sheet.write_string(row, col, label or "")
        sheet.write_number(row, 3, count, styles["integer"])
        for col, value in ((4, amount), (5, paid_7), (6, paid_14), (7, paid_30)):
            sheet.write_number(row, col, value, styles["money"])
        # the share of the group's money, not an average of shares
        for col, value in ((8, paid_7), (9, paid_14), (10, paid_30)):
            sheet.write_number(
                row, col, value / amount if amount else 0.0, styles["percent"]
            )

    @api.model
    def _sheet_worklist(self, workbook, styles, date_from, date_to):
        sheet = workbook.add_worksheet(_("Work List"))
        Partner = self.env["res.partner"]
        domain = [
            ("dunning_overdue_amount", ">", 0),
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
        ]
        selected = self.env.context.get("dunning_workbook_ids")
        if selected is not None:
            domain = [("id", "in", list(selected))]
        elif not self.env.user.has_group(
            "customer_retention_dunning.group_credit_manager"
        ):
            domain.append(("dunning_collector_id", "=", self.env.uid))
        headers = [
            _("Customer"),
            _("Collector"),
            _("Payment Band"),
            _("Payment Score"),
            _("Overdue"),
            _("Value at Risk"),
            _("Expected Recovery"),
            _("Next Action"),
            _("Last Promise"),
            _("Payment Plan Status"),
            _("To Act On Today"),
        ]
        first = self._write_header(
            sheet, styles, headers, [30, 20, 12, 10, 14, 14, 14, 40, 14, 16, 10]
        )
        bands = dict(
            Partner._fields["payment_score_band"]._description_selection(self.env)
        )
        promise_states = dict(
            Partner._fields["dunning_promise_state"]._description_selection(self.env)
        )
        plan_states = dict(
            Partner._fields["dunning_plan_state"]._description_selection(self.env)
        )
        row, offset = first, 0
        totals = {4: 0.0, 5: 0.0, 6: 0.0}
        while True:
            partners = Partner.search(
                domain,
                order="dunning_expected_recovery desc, id",
                offset=offset,
                limit=PAGE_SIZE,
            )
            if not partners:
                break
            offset += len(partners)
            for partner in partners:
                sheet.write_string(row, 0, partner.display_name or "")
                sheet.write_string(row, 1, partner.dunning_collector_id.name or "")
                sheet.write_string(row, 2, bands.get(partner.payment_score_band, ""))
                sheet.write_number(row, 3, partner.payment_score, styles["integer"])
                for col, value in (
                    (4, partner.dunning_overdue_amount),
                    (5, partner.dunning_value_at_risk),
                    (6, partner.dunning_expected_recovery),
                ):
                    sheet.write_number(row, col, value, styles["money"])
                    totals[col] += value
                sheet.write_string(row, 7, partner.dunning_next_action or "")
                sheet.write_string(
                    row, 8, promise_states.get(partner.dunning_promise_state, "")
                )
                sheet.write_string(
                    row, 9, plan_states.get(partner.dunning_plan_state, "")
                )
                sheet.write_boolean(row, 10, partner.dunning_act_today)
                row += 1
            partners.invalidate_recordset()
        last = row - 1
        if last >= first:
            sheet.autofilter(0, 0, last, len(headers) - 1)
        self._totals(sheet, styles, row, first, last, list(totals), totals)
