"""Printing letters: the night's letters in batches, a batch in one call of
wkhtmltopdf (about a second for the engine to start, a few milliseconds a
letter after that), split into one PDF per letter afterwards. A letter the
batch could not print is printed on its own, and fails alone."""

import functools
import io
import logging
import os
import re
import subprocess
import tempfile

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import split_every
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..tools.letter_pages import letter_marker, pages_by_letter
from .decision_fields import internal
from .message_bodies import write_bodies

_logger = logging.getLogger(__name__)

# letters in one call of the PDF engine
LETTERS_PER_CALL = 100
BODY = re.compile(r"(<body[^>]*>)(.*)</body>", re.S)


@functools.cache
def patched_wkhtmltopdf():
    """Whether this server's wkhtmltopdf is the build with patched Qt that
    Odoo recommends: only that one prints headers and footers, and prints
    several documents in one call."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "patched qt" in version.lower()


def join_documents(documents):
    """One HTML document of several rendered by the same layout: the first
    one's head, then every document's body, each from a new page."""
    head, first_body, _content = BODY.split(documents[0], maxsplit=1)[:3]
    parts = [head, first_body]
    for index, document in enumerate(documents):
        content = BODY.search(document).group(2)
        if index:
            parts.append('<div style="page-break-before: always;"></div>')
        parts.append(content)
    parts.append("</body></html>")
    return "".join(parts)


def without_javascript_delay(arguments):
    """wkhtmltopdf's arguments without the wait for scripts."""
    arguments = list(arguments)
    if "--javascript-delay" in arguments:
        index = arguments.index("--javascript-delay")
        del arguments[index : index + 2]
    return [*arguments, "--javascript-delay", "0"]


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    def _letter_marker(self):
        """The invisible word the letter starts with (see
        :func:`~..tools.letter_pages.pages_by_letter`)."""
        self.ensure_one()
        return letter_marker(self.id)

    @api.model
    def _cron_render_letters(self):
        """The letters that wait for their PDF (the night makes them first
        and prints them after, holding no customer): every letter has its
        PDF when the night is over, printed in batches."""
        letters = internal(self).search(
            [
                ("channel", "=", "letter"),
                ("state", "=", "queued"),
                ("attachment_id", "=", False),
            ],
            order="company_id, id",
        )
        self.env["dunning.night"]._run_batches(
            "letters", self._name, "_render_letter_batch", letters.ids, LETTERS_PER_CALL
        )

    @api.model
    def _render_letter_batch(self, letter_ids):
        """One batch of the night's letters (a job of its own with queue_job)."""
        internal(self).browse(letter_ids).exists()._render_letters()

    def _render_letters(self):
        """Print the letters that wait for their PDF, a batch per call of the
        PDF engine and company; a letter that cannot be printed fails alone,
        with the reason."""
        letters = self.filtered(
            lambda c: (
                c.channel == "letter" and c.state == "queued" and not c.attachment_id
            )
        )
        # what the letters read, read for all of them at once
        letters.line_ids.move_id.mapped("name")
        letters.partner_id.mapped("email_normalized")
        letters.recipient_id.mapped("name")
        for company in letters.company_id:
            of_company = letters.filtered(lambda c, co=company: c.company_id == co)
            for ids in split_every(LETTERS_PER_CALL, of_company.ids):
                self.browse(ids).with_company(company)._print_letter_batch()

    def _print_letter_batch(self):
        pdfs = {}
        if len(self) > 1:
            try:
                pdfs = self._letter_pdfs()
            except Exception:  # each letter is then printed on its own
                _logger.warning(
                    "Dunning: %s letters could not be printed together; "
                    "printing them one by one",
                    len(self),
                    exc_info=True,
                )
        printed = self.filtered(lambda letter: letter.id in pdfs)
        try:
            # filed together; should that fail, each on its own, below
            with self.env.cr.savepoint():
                printed._file_letters(pdfs)
        except Exception:
            _logger.warning(
                "Dunning: %s letters could not be filed together",
                len(printed),
                exc_info=True,
            )
            printed = self.browse()
        for letter in self - printed:
            letter._deliver_one(pdf=pdfs.get(letter.id))

    def _letter_pdfs(self):
        """These letters (one company's) printed in one call of wkhtmltopdf.

        :return: ``{letter id: PDF bytes}``
        """
        report = self.env.ref("customer_retention_dunning.dunning_letter_report")
        html = report.with_context(debug=False)._render_qweb_html(
            report.report_name, self.ids, data={"report_type": "pdf", "debug": False}
        )[0]
        bodies, ids, header, footer, paper = report.with_context(
            debug=False
        )._prepare_html(html, report_model=self._name)
        if ids != self.ids:
            raise UserError(_("The letters did not render one page set each."))
        pdf = self._run_pdf_engine(report, bodies, header, footer, paper)
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        pages = pages_by_letter(
            ids,
            len(reader.pages),
            lambda index: reader.pages[index].extract_text(),
        )
        pdfs = {}
        for letter_id, indexes in pages.items():
            writer = PdfFileWriter()
            # PyPDF2 1.x knows only the old name, 2.x warns about it
            add_page = getattr(writer, "add_page", None) or writer.addPage
            for index in indexes:
                add_page(reader.pages[index])
            stream = io.BytesIO()
            writer.write(stream)
            pdfs[letter_id] = stream.getvalue()
        return pdfs

    @api.model
    def _run_pdf_engine(self, report, bodies, header, footer, paper):
        """One call of wkhtmltopdf for these documents. The patched build
        takes each as a file of its own, with its header and footer and its
        own page numbers; the plain build (which prints no header or footer
        and fails on several files) takes them joined in one document."""
        arguments = report._build_wkhtmltopdf_args(
            report.get_paperformat(), False, specific_paperformat_args=paper
        )
        with tempfile.TemporaryDirectory(prefix="dunning_letters_") as folder:

            def written(name, text):
                path = os.path.join(folder, name)
                with open(path, "w", encoding="utf-8") as file:
                    file.write(text)
                return path

            if patched_wkhtmltopdf():
                inputs = []
                if header:
                    inputs += ["--header-html", written("header.html", header)]
                if footer:
                    inputs += ["--footer-html", written("footer.html", footer)]
                inputs += [
                    written(f"letter{index}.html", body)
                    for index, body in enumerate(bodies)
                ]
            else:
                inputs = [written("letters.html", join_documents(bodies))]
                # Odoo waits report.print_delay (a second) on every call for
                # the page's scripts; the joined letters run none (the plain
                # build has no header or footer to fill in)
                arguments = without_javascript_delay(arguments)
            output = os.path.join(folder, "letters.pdf")
            try:
                process = subprocess.run(
                    [_get_wkhtmltopdf_bin(), *arguments, *inputs, output],
                    capture_output=True,
                    text=True,
                    # never a worker held by a stuck engine
                    timeout=120 + 2 * len(bodies),
                    check=False,
                )
            except subprocess.TimeoutExpired as error:
                raise UserError(
                    _("The PDF engine took too long to print the letters.")
                ) from error
            if process.returncode not in (0, 1) or not os.path.getsize(output):
                raise UserError(
                    _(
                        "The PDF engine could not print the letters: %s",
                        (process.stderr or "")[-500:],
                    )
                )
            with open(output, "rb") as file:
                return file.read()

    def _deliver_letter(self, pdf=None):
        """File the letter: its PDF on the reminder, to print and post or
        handed to Odoo's Snailmail, and noted on the customer."""
        if pdf is None:
            report = self.env.ref("customer_retention_dunning.dunning_letter_report")
            pdf, _format = report._render_qweb_pdf(report, self.ids)
        self._file_letters({self.id: pdf})

    def _file_letters(self, pdfs):
        """File these printed letters (``pdfs``: ``{id: PDF bytes}``), each
        made with one create for all of them: the PDFs on the reminders,
        Snailmail's letters for the companies that post through it, and
        the notes on the customers with the PDF attached."""
        if not self:
            return
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": self.env._(
                        "Reminder %s.pdf", fields.Date.to_string(letter.date)
                    ),
                    "raw": pdfs[letter.id],
                    "res_model": self._name,
                    "res_id": letter.id,
                    "mimetype": "application/pdf",
                }
                for letter in self
            ]
        )
        by_post = self.browse()
        if "snailmail.letter" in self.env:
            by_post = self.filtered(
                lambda letter: letter.company_id.dunning_letter_by_post
            )
        for letter, attachment in zip(self, attachments, strict=True):
            letter.attachment_id = attachment
        if by_post:
            # Odoo's Snailmail queue prints and posts them (its own cron)
            self.env["snailmail.letter"].create(
                [
                    {
                        "model": self._name,
                        "res_id": letter.id,
                        "partner_id": letter.partner_id.id,
                        "company_id": letter.company_id.id,
                        "attachment_id": letter.attachment_id.id,
                        "user_id": letter.user_id.id or self.env.user.id,
                    }
                    for letter in by_post
                ]
            )
            by_post.letter_by_post = True
        author = self.env.user.partner_id
        companies = self.partner_id._mail_get_companies(default=self.env.company)
        # read once for the batch, not for each note: the customers' last
        # promises, and the reply address Odoo gives a logged note
        promises = self._last_promises()
        reply_to = self.env["mail.thread"]._notify_get_reply_to(
            default=author.email_formatted
        )[False]
        bodies = [
            letter._summary_html(
                self.env._("Reminder letter handed to the post (Snailmail)")
                if letter in by_post
                else self.env._("Reminder letter to print and post"),
                promises,
            )
            for letter in self
        ]
        notes = self.partner_id._message_create(
            [
                {
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "reply_to": reply_to,
                    "model": "res.partner",
                    "res_id": letter.partner_id.id,
                    "record_name": letter.partner_id.display_name,
                    "record_company_id": companies[letter.partner_id.id].id,
                    "message_type": "notification",
                    "is_internal": True,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_note"
                    ),
                    "attachment_ids": [Command.link(letter.attachment_id.id)],
                }
                for letter in self
            ]
        )
        # the notes' bodies, built of escaped values only, written as they
        # are (see message_bodies.py)
        write_bodies(self.env, notes, bodies)
        for letter, note in zip(self, notes, strict=True):
            letter.mail_message_id = note
