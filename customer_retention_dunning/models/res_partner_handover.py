"""The hand-over file: what a collection agency needs to take a claim over.

When the ladder hands a customer over, the claim goes out as an Excel file
and a CSV file (the same rows, see ``tools/handover_file.py``): the debtor,
each handed-over invoice, the costs and interest, the reminders sent. Both
are kept on the customer, readable only in the company that made them, and
e-mailed to the company's collection agency when Settings name one.
"""

import base64
import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.excel import excel_date_format
from ..tools.handover_file import (
    Costs,
    Debtor,
    Invoice,
    Reminder,
    csv_bytes,
    handover_rows,
    money,
    xlsx_bytes,
)
from .decision_fields import GROUP_CREDIT_MANAGER, check_group
from .open_invoices import OPEN_INVOICE_DOMAIN, is_open_invoice

_logger = logging.getLogger(__name__)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_agency_email = fields.Char(
        string="Collection Agency E-mail",
        help="Where the hand-over file of a customer handed over to "
        "collection is e-mailed. Empty: the credit manager's activity says "
        "the files are on the customer, to send them by hand.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_agency_email = fields.Char(
        related="company_id.dunning_agency_email", readonly=False
    )


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # a customer is shared by the companies, and an attachment follows its
    # record's rules: this mark lets a record rule keep the file in its own
    # company (security/handover_file_security.xml)
    dunning_company_only = fields.Boolean(
        string="Only for Its Company",
        readonly=True,
        copy=False,
        help="Readable only by the users of the attachment's company, "
        "whoever may read the record it is attached to.",
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_dunning_handover_file(self):
        """(Re)build the hand-over file of this customer's handed-over
        invoices in the current company: a credit manager's action. Both
        files are attached to the customer; the Excel file is downloaded."""
        check_group(self.env, GROUP_CREDIT_MANAGER)
        self.ensure_one()
        self.check_access("read")
        customer = self.commercial_partner_id.with_company(self.env.company)
        invoices = self.env["account.move"].search(
            [
                *OPEN_INVOICE_DOMAIN,
                ("commercial_partner_id", "=", customer.id),
                ("company_id", "=", self.env.company.id),
                ("dunning_handed_over", "=", True),
            ]
        )
        if not invoices:
            raise UserError(
                _(
                    "No open invoice of %(customer)s is handed over to collection "
                    "in %(company)s.",
                    customer=customer.display_name,
                    company=self.env.company.name,
                )
            )
        xlsx, _csv = customer._dunning_handover_attachments(
            invoices, fields.Date.context_today(self)
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{xlsx.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _dunning_hand_over_file(self, communication, invoices, today):
        """Called by the ladder's hand-over: the files for the agency, kept
        on the customer and e-mailed to the agency, and a line on the
        credit manager's activity saying where they are. A file that cannot
        be made never stops the hand-over: the activity says so."""
        self.ensure_one()
        company = communication.company_id
        # for the agency: in the company's own language
        customer = self.commercial_partner_id.with_company(company).with_context(
            lang=company.partner_id.lang or self.env.lang
        )
        invoices = invoices.filtered(is_open_invoice)
        if not invoices:
            return
        try:
            with self.env.cr.savepoint():
                attachments = customer._dunning_handover_attachments(invoices, today)
                agency = company.dunning_agency_email
                if agency:
                    customer._dunning_send_to_agency(attachments, agency)
                    line = _(
                        "The hand-over file (Excel and CSV) was e-mailed to the "
                        "collection agency (%s) and is attached to the customer.",
                        agency,
                    )
                else:
                    line = _(
                        "The hand-over file (Excel and CSV) is attached to the "
                        "customer: send it to the collection agency. (Settings "
                        "can name the agency's e-mail address to send it "
                        "automatically.)"
                    )
        except Exception as error:  # the hand-over itself goes on
            _logger.exception("Hand-over file of %s failed", customer.display_name)
            line = _(
                "The hand-over file could not be made (%s): build it with the "
                "Hand-over File button on the customer.",
                error,
            )
        activity = customer.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        ).sorted("id")[-1:]
        if activity:
            activity.note = (activity.note or Markup("")) + Markup("<p>%s</p>") % line

    def _dunning_handover_attachments(self, invoices, today):
        """The Excel and CSV files of ``invoices`` as of ``today``, attached
        to this customer in the environment's company only.

        :return: the two ``ir.attachment`` (Excel, CSV)
        """
        self.ensure_one()
        company = self.env.company
        rows = self._dunning_handover_rows(invoices, today)
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        digits = company.currency_id.decimal_places
        name = _(
            "Hand-over %(customer)s %(date)s",
            customer=self.name,
            date=fields.Date.to_string(today),
        )
        contents = (
            (
                f"{name}.xlsx",
                xlsx_bytes(
                    rows,
                    sheet_name=_("Hand-over"),
                    date_format=excel_date_format(lang.date_format if lang else None),
                    money_format="#,##0" + ("." + "0" * digits if digits else ""),
                ),
                XLSX_MIMETYPE,
            ),
            (f"{name}.csv", csv_bytes(rows), "text/csv"),
        )
        # the files are the company's, whoever runs the night or the button
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": file_name,
                        "datas": base64.b64encode(content),
                        "mimetype": mimetype,
                        "res_model": "res.partner",
                        "res_id": self.id,
                        "company_id": company.id,
                        "dunning_company_only": True,
                    }
                    for file_name, content, mimetype in contents
                ]
            )
        )
        return attachments.sudo(False)

    def _dunning_send_to_agency(self, attachments, agency):
        """Queue the e-mail to the agency with both files."""
        self.ensure_one()
        company = self.env.company
        body = Markup("<p>%s</p><p>%s</p><p>%s<br/>%s</p>") % (
            _("Dear Sir or Madam,"),
            _(
                "We hand over the claim on %(customer)s to you. Attached are the "
                "debtor's details, the invoices with the costs and interest, "
                "and the reminders we sent, as an Excel file and as CSV.",
                customer=self.name,
            ),
            _("Kind regards,"),
            company.name,
        )
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": _(
                        "%(company)s: hand-over of %(customer)s",
                        company=company.name,
                        customer=self.name,
                    ),
                    "body_html": body,
                    "email_to": agency,
                    "email_from": company.email_formatted
                    or self.env.user.email_formatted,
                    "attachment_ids": [fields.Command.set(attachments.ids)],
                    "auto_delete": False,
                }
            )
        )

    def _dunning_handover_rows(self, invoices, today):
        """The values of the file, read from the customer, its invoices and
        reminders in the environment's company, laid out by
        :func:`handover_rows`."""
        self.ensure_one()
        company = self.env.company
        currency = company.currency_id
        invoices = invoices.sorted(lambda move: (move.invoice_date_due, move.id))
        reminders = (
            self.env["dunning.communication"]
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                    ("level_id", "!=", False),
                    ("move_ids", "in", invoices.ids),
                ]
            )
            .sorted(lambda c: (c.sent_date or c.date, c.id))
        )
        demand = reminders.filtered(
            lambda c: c.tone == "formal" and c.costs_claimable_from
        )[-1:]
        open_total = sum(money(move.amount_residual_signed) for move in invoices)
        if demand:
            costs = Costs(
                demand.statutory_costs,
                _(
                    "as stated in the formal demand of %s",
                    fields.Date.to_string(demand.sent_date or demand.date),
                ),
            )
        else:
            costs = Costs(
                self._dunning_statutory_costs(float(open_total), today),
                _("the statutory scale on %s", fields.Date.to_string(today)),
            )
        channels = dict(reminders._fields["channel"]._description_selection(self.env))
        tones = dict(reminders._fields["tone"]._description_selection(self.env))
        labels = self._dunning_handover_labels(currency, today)
        return handover_rows(
            labels,
            self._dunning_handover_debtor(),
            [
                Invoice(
                    move.name,
                    move.invoice_date,
                    move.invoice_date_due,
                    move.amount_total_signed,
                    move.amount_residual_signed,
                    move._dunning_interest_total(today),
                )
                for move in invoices
            ],
            [
                Reminder(
                    reminder.sent_date or reminder.date,
                    reminder.level_id.name,
                    tones.get(reminder.tone, ""),
                    channels.get(reminder.channel, ""),
                    reminder.amount,
                )
                for reminder in reminders
            ],
            costs,
            stated_interest=(
                (demand.sent_date or demand.date, demand.statutory_interest)
                if demand
                else None
            ),
        )

    def _dunning_handover_debtor(self):
        self.ensure_one()
        return Debtor(
            self.name,
            ", ".join(part for part in (self.street, self.street2) if part),
            " ".join(part for part in (self.zip, self.city) if part),
            self.country_id.name or "",
            self.company_registry or "",
            self.vat or "",
            self.email or "",
            self.phone or self.mobile or "",
        )

    @api.model
    def _dunning_handover_labels(self, currency, today):
        day = fields.Date.to_string(today)
        return {
            "title": _(
                "Claim handed over to collection by %(company)s on %(date)s",
                company=self.env.company.name,
                date=day,
            ),
            "currency": _("Amounts in %s", currency.name),
            "debtor": _("Debtor"),
            "name": _("Name"),
            "address": _("Address"),
            "zip_city": _("Postcode and city"),
            "country": _("Country"),
            "registry": _("Company registry (KvK)"),
            "vat": _("VAT number"),
            "email": _("E-mail"),
            "phone": _("Phone"),
            "invoices": _("Invoices handed over"),
            "invoice": _("Invoice"),
            "invoice_date": _("Invoice date"),
            "due_date": _("Due date"),
            "principal": _("Principal"),
            "open_amount": _("Open amount"),
            "interest": _("Interest to %s", day),
            "total": _("Total"),
            "claim": _("Claim"),
            "claim_open": _("Open amount"),
            "claim_costs": _("Collection costs"),
            "claim_interest": _("Statutory interest to %s", day),
            "claim_total": _("Total claim"),
            "stated_interest": _("Interest stated in the formal demand"),
            "reminders": _("Reminders sent"),
            "reminder_date": _("Date"),
            "step": _("Step"),
            "tone": _("Tone"),
            "channel": _("Channel"),
            "amount": _("Amount reminded"),
            "no_reminders": _("No reminder was sent for these invoices."),
        }
