import logging
from collections import defaultdict

from odoo import api, fields, models

from ..tools.phone_numbers import mobile_e164

_logger = logging.getLogger(__name__)


class ResPartnerChannels(models.Model):
    """Who receives a reminder and through which channels it can reach them;
    the open credit reminders are netted with."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    dunning_open_credit = fields.Float(
        string="Unallocated Credit",
        compute="_compute_dunning_open_credit",
        help="Open credit notes and payments not matched yet, in the current "
        "company, as a positive amount: reminders are netted with it.",
    )

    dunning_preferred_channel = fields.Selection(
        [("email", "E-mail"), ("sms", "SMS"), ("whatsapp", "WhatsApp")],
        string="Reminders By",
        default="email",
        required=True,
        tracking=True,
        help="How this customer likes to get reminders. SMS and WhatsApp "
        "replace e-mail; a letter or a call for large amounts stays.",
    )

    dunning_mobile_e164 = fields.Char(
        string="Mobile for Reminders",
        compute="_compute_dunning_mobile",
        store=True,
        help="The mobile number (else the phone number) in international "
        "form, read with the contact's country.",
    )

    dunning_mobile_problem = fields.Selection(
        [
            ("missing", "No mobile number"),
            ("invalid", "The number is not a valid phone number"),
            ("not_mobile", "The number is not a mobile number"),
        ],
        string="Mobile Number Problem",
        compute="_compute_dunning_mobile",
        store=True,
        help="Why SMS or WhatsApp reminders cannot reach this contact; they "
        "go by e-mail, else by letter, until the number is fixed.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("mobile", "phone", "country_id", "dunning_preferred_channel")
    def _compute_dunning_mobile(self):
        for partner in self:
            country = partner.country_id or partner.commercial_partner_id.country_id
            e164, problem = mobile_e164(partner.mobile, country.code)
            if not e164 and partner.phone:
                e164, phone_problem = mobile_e164(partner.phone, country.code)
                problem = problem if problem != "missing" else phone_problem
            partner.dunning_mobile_e164 = e164 or False
            partner.dunning_mobile_problem = (
                problem
                if not e164 and partner.dunning_preferred_channel in ("sms", "whatsapp")
                else False
            )

    @api.depends_context("company")
    def _compute_dunning_open_credit(self):
        # one query for every customer being read (the dunning run reads a
        # whole batch), not one per customer
        customers = self.commercial_partner_id
        credit = defaultdict(float)
        for contact, amount in self.env["account.move.line"]._read_group(
            [
                ("partner_id", "child_of", customers.ids),
                ("company_id", "=", self.env.company.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "<", 0),
            ],
            ["partner_id"],
            ["amount_residual:sum"],
        ):
            while contact and contact not in customers:
                contact = contact.parent_id
            credit[contact] -= amount or 0.0
        for partner in self:
            partner.dunning_open_credit = credit[partner.commercial_partner_id]

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _dunning_open_credit(self, company):
        """Unallocated credit of this customer in ``company`` (open credit
        notes, payments not matched yet), as a positive amount."""
        self.ensure_one()
        return self.with_company(company).dunning_open_credit

    def _dunning_recipient(self, invoices):
        """Who receives a reminder about ``invoices``: the contact the
        invoices were addressed to, else the customer's invoice address,
        else the customer."""
        self.ensure_one()
        contacts = invoices.partner_id
        if len(contacts) == 1 and contacts != self and contacts.email:
            return contacts
        billing = self.child_ids.filtered(
            lambda child: child.type == "invoice" and child.email
        )[:1]
        return billing or self

    def _dunning_reachable_channels(self, recipient=None):
        """The channels this customer can be reached by: e-mail with an
        address to write to, a letter with a postal address, SMS and
        WhatsApp with a valid mobile number."""
        self.ensure_one()
        recipient = recipient or self._dunning_recipient(self.env["account.move"])
        channels = []
        if recipient.email or self.email:
            channels.append("email")
        if self.street and (self.zip or self.city) and self.country_id:
            channels.append("letter")
        if self._dunning_mobile(recipient):
            channels += ["sms", "whatsapp"]
        return tuple(channels)

    def _dunning_mobile(self, recipient=None):
        """The E.164 mobile number text reminders go to: the recipient's,
        else the customer's."""
        self.ensure_one()
        return (recipient and recipient.dunning_mobile_e164) or self.dunning_mobile_e164
