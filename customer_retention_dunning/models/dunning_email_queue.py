"""How reminder e-mails are queued: for a whole chunk of reminders at once,
their messages, their mails (the customer's layout around each) and the
recipient's notification, each made with one create for all of them.

It is what ``message_post`` followed by Odoo's e-mail notification makes
for one reminder (a comment on the reminder, a ``mail.mail`` waiting for
the mail cron, a ``mail.notification`` the delivery state follows, bounces
included), without its per-message look-ups: the recipient is the only one
told (the night's reminders have no followers to notify)."""

from markupsafe import Markup, escape

from odoo import Command, models
from odoo.exceptions import UserError

from .message_bodies import sanitized, write_bodies

LAYOUT = "customer_retention_dunning.mail_layout_reminder"


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    def _queue_emails(self, prepared):
        """Queue the e-mails of these reminders.

        :param prepared: ``{id: {subject, body_html, email_from, reply_to}}``
            (see :meth:`_prepare_emails`)
        """
        if not self:
            return
        for communication in self:
            if not communication.recipient_id.email:
                raise UserError(
                    self.env._(
                        "%s has no e-mail address.",
                        communication.recipient_id.display_name,
                    )
                )
        values_list = [
            communication._email_message_values(prepared[communication.id])
            for communication in self
        ]
        # the bodies, sanitised once, written after (see message_bodies.py)
        bodies = [sanitized(self.env, values.pop("body")) for values in values_list]
        messages = self._message_create(values_list)
        write_bodies(self.env, messages, bodies)
        for communication, message in zip(self, messages, strict=True):
            communication.mail_message_id = message
        parents = self._first_messages()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .create(
                [
                    communication._email_mail_values(message, parents)
                    for communication, message in zip(self, messages, strict=True)
                ]
            )
        )
        self.env["mail.notification"].sudo().create(
            [
                {
                    "author_id": message.author_id.id,
                    # an e-mail, not a message for an Inbox
                    "is_read": True,
                    "mail_mail_id": mail.id,
                    "mail_message_id": message.id,
                    "notification_status": "ready",
                    "notification_type": "email",
                    "res_partner_id": communication.recipient_id.id,
                }
                for communication, message, mail in zip(
                    self, messages, mails, strict=True
                )
            ]
        )

    def _email_message_values(self, values):
        """The reminder's message: the comment on it that is e-mailed."""
        self.ensure_one()
        if self.review_body:
            # reviewed: the words the collector left, not the template's
            values = dict(
                values,
                body_html=self.review_body,
                subject=self.review_subject or values["subject"],
            )
        # the sender is known: no partner looked up by address
        author = (
            self.user_id.partner_id
            if self.user_id.email
            else self.company_id.partner_id
        )
        email_from = values.get("email_from") or author.email_formatted
        if not email_from and not self.env.su:
            raise UserError(
                self.env._(
                    "The reminder cannot be sent: set an e-mail address on %s.",
                    author.display_name,
                )
            )
        return {
            "author_id": author.id,
            "email_from": email_from,
            "reply_to": values["reply_to"],
            "model": self._name,
            "res_id": self.id,
            "body": escape(values["body_html"] or ""),
            "subject": values["subject"] or False,
            "message_type": "comment",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            "partner_ids": self.recipient_id.ids,
            "record_name": self.display_name,
            "record_company_id": self.company_id.id,
            "record_alias_domain_id": self.company_id.alias_domain_id.id,
            "email_add_signature": True,
            # the customer's own layout: no internal names, no follower links
            "email_layout_xmlid": LAYOUT,
            "attachment_ids": [
                Command.link(attachment.id) for attachment in self._email_attachments()
            ],
        }

    def _email_attachments(self):
        """The customer's statement, for the steps that ask for it (the PDF
        engine costs more than the rest of a reminder)."""
        self.ensure_one()
        if not self.level_id.attach_statement:
            return self.env["ir.attachment"]
        name, content = self.partner_id.with_company(
            self.company_id
        )._statement_attachment(self.date)
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _first_messages(self):
        """The first message of each of these reminders' threads, which an
        e-mail on them answers (as Odoo threads them).

        :return: ``{communication id: mail.message}``
        """
        Message = self.env["mail.message"].sudo()
        firsts = Message._read_group(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("message_type", "!=", "user_notification"),
            ],
            ["res_id"],
            ["id:min"],
        )
        return {res_id: Message.browse(first) for res_id, first in firsts}

    def _email_mail_values(self, message, parents):
        """The ``mail.mail`` of this reminder's message: the reminder in the
        customer's layout, in the recipient's language, for Odoo's mail
        cron (no SMTP round trip inside the run)."""
        self.ensure_one()
        parent = parents.get(self.id, message)
        if parent != message:
            message.parent_id = parent
        references = " ".join(
            dict.fromkeys(m.message_id for m in parent | message if m.message_id)
        )
        headers = {}
        bounce = self.company_id.alias_domain_id.bounce_email
        if bounce:
            headers["Return-Path"] = bounce
        headers = self._notify_by_email_get_headers(headers=headers)
        lang = self.recipient_id.lang
        if not lang or not self.env["res.lang"]._lang_get(lang):
            lang = self.env.lang
        # what the layout reads (the sender's lines, the title) in the
        # recipient's language
        this = self.with_context(lang=lang)
        body = self.env["ir.qweb"]._render(
            LAYOUT,
            {
                "company": this.company_id,
                "lang": lang,
                "message": message,
                "record": this,
            },
            minimal_qcontext=True,
            lang=lang,
        )
        return {
            "mail_message_id": message.id,
            "auto_delete": True,
            "references": references,
            "headers": repr(headers),
            "body_html": Markup(body),
            "recipient_ids": [Command.link(self.recipient_id.id)],
        }
