"""The statement of open items: everything a customer still owes or has to
its credit with one company, by age, as a PDF, a workbook, an e-mail and a
portal page. Who may see it is decided here, for every way in."""

import base64
import io
import zipfile

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_date

from ..tools.excel import excel_date_format
from ..tools.remittance import remittance_text
from ..tools.statement import BUCKET_KEYS, age_bucket, bucket_totals, days_overdue
from .decision_fields import GROUP_COLLECTOR, check_group

REPORT_XMLID = "customer_retention_dunning.action_report_statement"
REPORT_NAME = "customer_retention_dunning.dunning_statement_document"
MAIL_TEMPLATE_XMLID = "customer_retention_dunning.mail_template_statement"
# who may print a statement or download its workbook
GROUP_PRINT = "account.group_account_invoice"
# marks a user's own statement downloads, so a new one replaces the last
DOWNLOAD_MARK = "customer_retention_dunning.statement_download"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print_statement(self):
        """The statement of each selected customer as a PDF: one file for
        one customer, a ZIP with one PDF per customer for several."""
        return self._statement_download("pdf")

    def action_download_statement_xlsx(self):
        """The same statement as a workbook (a ZIP for several customers)."""
        return self._statement_download("xlsx")

    def action_send_statement(self):
        """E-mail each selected customer its statement, PDF attached: one
        e-mail per customer, queued for Odoo's mail cron. Refused as a
        whole, before anything goes out, when a customer has no address."""
        customers = self.commercial_partner_id
        customers._statement_check_access("send")
        if not customers:
            raise UserError(_("Select the customers to send a statement to."))
        recipients = {
            customer: customer._dunning_recipient(self.env["account.move"])
            for customer in customers
        }
        missing = [
            customer.display_name
            for customer, recipient in recipients.items()
            if not (recipient.email or customer.email)
        ]
        if missing:
            raise UserError(
                _(
                    "No statement was sent: these customers have no e-mail address: %s",
                    ", ".join(missing),
                )
            )
        statement_date = self._statement_date()
        template = self.env.ref(MAIL_TEMPLATE_XMLID)
        for customer, recipient in recipients.items():
            if not recipient.email:
                recipient = customer
            customer._statement_send(template, recipient, statement_date)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "Statement of open items queued for %(count)s customer(s).",
                    count=len(customers),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # RIGHTS
    # ------------------------------------------------------------

    def _statement_check_access(self, operation="print"):
        """Raise AccessError unless the user may ``print`` (PDF, workbook,
        portal) or ``send`` (e-mail) the statement of these customers.

        Billing users and up print any customer they can read; collectors
        and up also send; a portal user prints its own company's statement
        only; the code running as superuser (the nightly run) may do all.
        """
        if self.env.su:
            return
        user = self.env.user
        if user._is_internal():
            check_group(
                self.env, GROUP_COLLECTOR if operation == "send" else GROUP_PRINT
            )
            self.check_access("read")
            return
        own = user.sudo().partner_id.commercial_partner_id
        if operation == "print" and self.sudo().commercial_partner_id == own:
            return
        raise AccessError(
            _("You can only see the statement of open items of your own company.")
        )

    # ------------------------------------------------------------
    # THE STATEMENT
    # ------------------------------------------------------------

    @api.model
    def _statement_date(self, value=None):
        """The statement's date: ``value``, else the context's
        ``statement_date``, else the user's today."""
        value = value or self.env.context.get("statement_date")
        return fields.Date.to_date(value) if value else fields.Date.context_today(self)

    def _statement_line_domain(self, statement_date):
        """The customer's open receivable items in the current company:
        invoices, credit notes and payments not (fully) reconciled, dated
        on or before the statement's date."""
        self.ensure_one()
        return [
            ("partner_id.commercial_partner_id", "=", self.id),
            ("company_id", "=", self.env.company.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            "|",
            ("amount_residual", "!=", 0),
            ("amount_residual_currency", "!=", 0),
            ("date", "<=", statement_date),
        ]

    def _statement_lines(self, statement_date):
        return (
            self.env["account.move.line"]
            .sudo()
            .search(
                self._statement_line_domain(statement_date),
                order="date_maturity, date, id",
            )
        )

    def _statement_count(self, statement_date=None):
        """How many items the statement lists, without building it."""
        self.ensure_one()
        self._statement_check_access("print")
        customer = self.sudo().commercial_partner_id
        return (
            self.env["account.move.line"]
            .sudo()
            .search_count(
                customer._statement_line_domain(self._statement_date(statement_date))
            )
        )

    def _statement_bucket_labels(self):
        return {
            "not_due": self.env._("Not due"),
            "1_30": self.env._("1-30 days"),
            "31_60": self.env._("31-60 days"),
            "61_90": self.env._("61-90 days"),
            "over_90": self.env._("Over 90 days"),
        }

    def _statement_kind(self, move):
        if move.move_type == "out_refund":
            return self.env._("Credit note")
        if move.move_type in ("out_invoice", "out_receipt"):
            return self.env._("Invoice")
        if move.origin_payment_id or move.statement_line_id:
            return self.env._("Payment")
        return self.env._("Entry")

    def _statement_values(self, statement_date=None):
        """Everything the statement shows, in the environment's language:
        the open items with their age, the totals per currency and age
        bucket, the open promises and instalments, the sender and how to
        pay. Amounts of different currencies are never added up."""
        self.ensure_one()
        self._statement_check_access("print")
        statement_date = self._statement_date(statement_date)
        customer = self.sudo().commercial_partner_id
        company = self.env.company
        labels = self._statement_bucket_labels()
        items = []
        for line in customer._statement_lines(statement_date):
            due_date = line.date_maturity or line.date
            items.append(
                {
                    "number": line.move_id.name,
                    "reference": line.move_id.ref or "",
                    "kind": self._statement_kind(line.move_id),
                    "date": line.move_id.invoice_date or line.date,
                    "due_date": due_date,
                    "days_overdue": max(days_overdue(due_date, statement_date), 0),
                    "bucket": labels[age_bucket(due_date, statement_date)],
                    "currency": line.currency_id,
                    "amount": line.amount_residual_currency,
                    "move": line.move_id,
                }
            )
        totals = bucket_totals(
            [(item["currency"], item["due_date"], item["amount"]) for item in items],
            statement_date,
        )
        # the company's currency first, the others by name
        currencies = sorted(
            totals,
            key=lambda currency: (currency != company.currency_id, currency.name),
        )
        per_currency = []
        for currency in currencies:
            figures = totals[currency]
            total = currency.round(float(figures["total"]))
            invoices = [
                item["move"]
                for item in items
                if item["currency"] == currency and item["amount"] > 0
            ]
            reference = remittance_text(
                [move.payment_reference or move.name for move in invoices]
            )
            per_currency.append(
                {
                    "currency": currency,
                    "buckets": [
                        (labels[key], currency.round(float(figures["buckets"][key])))
                        for key in BUCKET_KEYS
                    ],
                    "total": total,
                    # a customer with more credit than debt has nothing to pay
                    "payment": company._dunning_payment(
                        total, currency, reference, customer
                    )
                    if total > 0
                    else False,
                }
            )
        promises = (
            self.env["dunning.promise"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                ],
                order="date, id",
            )
        )
        instalments = (
            self.env["payment.plan.line"]
            .sudo()
            .search(
                [
                    ("plan_id.partner_id", "=", customer.id),
                    ("plan_id.company_id", "=", company.id),
                    ("plan_id.state", "=", "active"),
                    ("state", "in", ("open", "late")),
                ],
                order="date, id",
            )
        )
        return {
            "customer": customer,
            "company": company,
            "date": statement_date,
            "items": items,
            "totals": per_currency,
            "promises": promises,
            "instalments": instalments,
            "pay_url": self._statement_pay_url(items),
            "sender": company._dunning_sender(),
        }

    def _statement_pay_url(self, items):
        """Where the customer pays online: the page of its oldest open
        invoice, which lists the others (no portal account needed)."""
        invoices = [
            item["move"]
            for item in items
            if item["amount"] > 0
            and item["move"].move_type in ("out_invoice", "out_receipt")
        ]
        if not invoices:
            return False
        invoice = invoices[0].sudo()
        return invoice.get_base_url() + invoice.get_portal_url()

    # ------------------------------------------------------------
    # FILES
    # ------------------------------------------------------------

    def _statement_filename(self, extension, statement_date):
        self.ensure_one()
        return _(
            "Statement %(customer)s %(date)s.%(extension)s",
            customer=self.sudo().commercial_partner_id.name,
            date=fields.Date.to_string(statement_date),
            extension=extension,
        ).replace("/", "-")

    def _statement_pdf(self, statement_date=None):
        """The statement of this one customer as PDF bytes. One customer
        per call: the unpatched wkhtmltopdf of many servers fails on a
        render of several records."""
        self.ensure_one()
        self._statement_check_access("print")
        statement_date = self._statement_date(statement_date)
        customer = self.sudo().commercial_partner_id
        # checked above: the render reads what a portal user may not
        pdf, _format = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                REPORT_XMLID,
                customer.ids,
                data={"statement_date": fields.Date.to_string(statement_date)},
            )
        )
        return pdf

    def _statement_xlsx(self, statement_date=None):
        """The statement of this one customer as a workbook's bytes."""
        self.ensure_one()
        customer = self.commercial_partner_id.with_context(
            lang=self.sudo().commercial_partner_id.lang or self.env.lang
        )
        values = customer._statement_values(statement_date)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        lang = self.env["res.lang"]._get_data(code=customer.env.lang or "en_US")
        date_style = workbook.add_format(
            {"num_format": excel_date_format(lang.date_format if lang else None)}
        )
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True}
        )
        sheet = workbook.add_worksheet(customer.env._("Statement"))
        sheet.write(0, 0, customer.env._("Statement of open items"), bold)
        sheet.write(1, 0, values["customer"].name)
        sheet.write(2, 0, values["company"].name)
        sheet.write_datetime(
            3, 0, fields.Datetime.to_datetime(values["date"]), date_style
        )
        headers = [
            customer.env._("Number"),
            customer.env._("Type"),
            customer.env._("Date"),
            customer.env._("Due date"),
            customer.env._("Days overdue"),
            customer.env._("Age"),
            customer.env._("Currency"),
            customer.env._("Open amount"),
        ]
        for col, (title, width) in enumerate(
            zip(headers, (20, 14, 12, 12, 12, 14, 10, 16), strict=True)
        ):
            sheet.write(5, col, title, header)
            sheet.set_column(col, col, width)
        money = {}

        def money_style(currency, total=False):
            key = (currency, total)
            if key not in money:
                digits = currency.decimal_places
                style = {"num_format": "#,##0" + ("." + "0" * digits if digits else "")}
                if total:
                    style.update(bold=True, top=1)
                money[key] = workbook.add_format(style)
            return money[key]

        row = 6
        for item in values["items"]:
            sheet.write_string(row, 0, item["number"] or "")
            sheet.write_string(row, 1, item["kind"])
            sheet.write_datetime(
                row, 2, fields.Datetime.to_datetime(item["date"]), date_style
            )
            sheet.write_datetime(
                row, 3, fields.Datetime.to_datetime(item["due_date"]), date_style
            )
            sheet.write_number(row, 4, item["days_overdue"])
            sheet.write_string(row, 5, item["bucket"])
            sheet.write_string(row, 6, item["currency"].name)
            sheet.write_number(row, 7, item["amount"], money_style(item["currency"]))
            row += 1
        row += 1
        sheet.write(row, 0, customer.env._("Totals per currency"), bold)
        row += 1
        bucket_titles = customer._statement_bucket_labels()
        for col, title in enumerate(
            [
                customer.env._("Currency"),
                *(bucket_titles[key] for key in BUCKET_KEYS),
                customer.env._("Total"),
            ]
        ):
            sheet.write(row, col, title, header)
        row += 1
        for figures in values["totals"]:
            currency = figures["currency"]
            sheet.write_string(row, 0, currency.name)
            for col, (_label, amount) in enumerate(figures["buckets"], start=1):
                sheet.write_number(row, col, amount, money_style(currency))
            sheet.write_number(
                row,
                len(figures["buckets"]) + 1,
                figures["total"],
                money_style(currency, True),
            )
            row += 1
        workbook.close()
        return output.getvalue()

    def _statement_download(self, kind):
        """Hand the browser the statement file of each selected customer,
        as a file of the user's own (see ``dunning.workbook``)."""
        customers = self.commercial_partner_id
        if not customers:
            raise UserError(_("Select the customers to print a statement for."))
        customers._statement_check_access("print")
        statement_date = self._statement_date()
        files = []
        for customer in customers:
            content = (
                customer._statement_pdf(statement_date)
                if kind == "pdf"
                else customer._statement_xlsx(statement_date)
            )
            files.append((customer._statement_filename(kind, statement_date), content))
        if len(files) == 1:
            name, content = files[0]
            mimetype = "application/pdf" if kind == "pdf" else XLSX_MIMETYPE
        else:
            name = _("Statements %s.zip", fields.Date.to_string(statement_date))
            mimetype = "application/zip"
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                seen = set()
                for file_name, file_content in files:
                    # two customers of one name keep a file each
                    while file_name in seen:
                        file_name = f"_{file_name}"
                    seen.add(file_name)
                    archive.writestr(file_name, file_content)
            content = buffer.getvalue()
        Attachment = self.env["ir.attachment"]
        # readable by the user who made it (and the administrators) only;
        # the user's earlier statement downloads are dropped
        Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", 0),
                ("create_uid", "=", self.env.uid),
                ("description", "=", DOWNLOAD_MARK),
            ]
        ).unlink()
        attachment = Attachment.create(
            {
                "name": name,
                "datas": base64.b64encode(content),
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": 0,
                "description": DOWNLOAD_MARK,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------
    # E-MAIL
    # ------------------------------------------------------------

    def _statement_attachment(self, statement_date=None):
        """``(file name, PDF bytes)`` of this customer's statement, as
        ``message_post(attachments=...)`` takes it."""
        self.ensure_one()
        statement_date = self._statement_date(statement_date)
        return (
            self._statement_filename("pdf", statement_date),
            self._statement_pdf(statement_date),
        )

    def _statement_send(self, template, recipient, statement_date):
        self.ensure_one()
        values = template.with_context(
            statement_date=fields.Date.to_string(statement_date)
        )._generate_template(self.ids, ["subject", "body_html", "email_from"])[self.id]
        self.message_post(
            body=values["body_html"],
            subject=values["subject"],
            email_from=values.get("email_from"),
            partner_ids=recipient.ids,
            attachments=[self._statement_attachment(statement_date)],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            # the customer's own layout: no internal names, no follower links
            email_layout_xmlid="customer_retention_dunning.mail_layout_reminder",
            force_send=False,
        )

    def _statement_mail_summary(self):
        """The open totals per currency, formatted, for the e-mail's text
        (in the environment's language)."""
        self.ensure_one()
        values = self._statement_values()
        return {
            "date": format_date(self.env, values["date"]),
            "totals": [
                format_amount(self.env, figures["total"], figures["currency"])
                for figures in values["totals"]
            ],
            "sender": values["sender"],
        }


class StatementReport(models.AbstractModel):
    """The statement's PDF: the one door every render goes through (the
    web client's report route included), so the rights hold there too."""

    _name = f"report.{REPORT_NAME}"
    _description = "Statement of Open Items"

    @api.model
    def _get_report_values(self, docids, data=None):
        customers = self.env["res.partner"].browse(docids)
        if len(customers) > 1:
            raise UserError(
                _(
                    "Print the statement of open items one customer at a time, "
                    "with the Print Statement action."
                )
            )
        customers._statement_check_access("print")
        data = data or {}
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": customers,
            "statement_date": customers._statement_date(data.get("statement_date")),
        }
