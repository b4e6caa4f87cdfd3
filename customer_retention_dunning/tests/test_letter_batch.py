"""The night prints its letters together: one call of the PDF engine for a
batch, one PDF per letter afterwards, each with its own customer's pages
only; a letter left without its PDF is printed by the catch-up step."""

import io
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from ..tools.letter_pages import letter_marker, pages_by_letter
from .test_delivery import TODAY, DeliveryCase


def _pages(attachment):
    reader = PdfFileReader(io.BytesIO(attachment.raw), strict=False)
    return [reader.pages[index].extract_text() for index in range(len(reader.pages))]


@tagged("post_install", "-at_install")
class TestLettersPrintedTogether(DeliveryCase):
    def _letters_for_both(self, many_invoices=1):
        """A letter's worth overdue for both customers; the first customer's
        spread over ``many_invoices`` invoices."""
        for _index in range(many_invoices):
            self._overdue(3000.0 / many_invoices + 1)
        self._overdue(3000.0, partner=self.other)

    def _night_counting_engine_calls(self, day=TODAY):
        printing = type(self.env["dunning.communication"])
        report = type(self.env["ir.actions.report"])
        calls = {"batch": 0, "one": 0}
        batch, one = printing._run_pdf_engine, report._render_qweb_pdf

        def counted_batch(records, *args):
            calls["batch"] += 1
            return batch(records, *args)

        def counted_one(records, *args, **kwargs):
            calls["one"] += 1
            return one(records, *args, **kwargs)

        with (
            patch.object(printing, "_run_pdf_engine", counted_batch),
            patch.object(report, "_render_qweb_pdf", counted_one),
        ):
            self._night(day)
        return calls

    def test_two_letters_in_one_engine_call_each_with_its_own_pages(self):
        self._letters_for_both()
        calls = self._night_counting_engine_calls()
        mine, theirs = self._reminders(), self._reminders(self.other)
        self.assertEqual((mine.channel, theirs.channel), ("letter", "letter"))
        # one call of the engine for both, none per letter
        self.assertEqual(calls, {"batch": 1, "one": 0})
        for letter, name, not_name in (
            (mine, self.customer.name, self.other.name),
            (theirs, self.other.name, self.customer.name),
        ):
            pages = _pages(letter.attachment_id)
            self.assertEqual(len(pages), 1)
            text = " ".join(" ".join(pages).split())
            self.assertIn(name, text)
            self.assertNotIn(not_name, text)
            self.assertEqual(letter.state, "queued")
            self.assertEqual(letter.attachment_id.mimetype, "application/pdf")
            # the customer's chatter notes the letter, with what it states
            # and the PDF attached
            note = letter.mail_message_id
            self.assertEqual(note.model, "res.partner")
            self.assertEqual(note.res_id, letter.partner_id.id)
            self.assertIn("Reminder letter to print and post", str(note.body))
            self.assertIn(letter.line_ids.move_id[:1].name, str(note.body))
            self.assertIn("No promise to pay on record.", str(note.body))
            self.assertEqual(note.attachment_ids, letter.attachment_id)
            self.assertIn(note, letter.partner_id.message_ids)

    def test_a_letter_of_two_pages_keeps_both_and_the_next_starts_after(self):
        # 45 invoices do not fit on one page
        self._letters_for_both(many_invoices=45)
        # many small invoices read as a worse payer: the same ladder for both
        self.customer.dunning_profile_id = self.other.dunning_profile_id
        calls = self._night_counting_engine_calls()
        self.assertEqual(calls, {"batch": 1, "one": 0})
        mine = _pages(self._reminders().attachment_id)
        theirs = _pages(self._reminders(self.other).attachment_id)
        self.assertGreaterEqual(len(mine), 2)
        self.assertEqual(len(theirs), 1)
        mine_text = " ".join(" ".join(mine).split())
        # the last of the 45 invoices is on the customer's own letter
        last = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )
        self.assertIn(last.name, mine_text)
        self.assertNotIn(self.other.name, mine_text)
        self.assertIn(self.other.name, " ".join(" ".join(theirs).split()))

    def test_letters_left_without_a_pdf_are_printed_by_the_catch_up(self):
        self._letters_for_both()
        # a run stopped before it printed: the letters wait, queued
        with patch.object(
            type(self.env["dunning.communication"]), "_cron_render_letters"
        ):
            self._night(TODAY)
        letters = self._reminders() | self._reminders(self.other)
        self.assertEqual(letters.mapped("attachment_id"), self.env["ir.attachment"])
        self.env["dunning.communication"]._cron_render_letters()
        self.assertEqual(len(letters.attachment_id), 2)
        self.assertEqual(set(letters.mapped("state")), {"queued"})

    def test_a_persons_escalate_now_prints_its_letter_at_once(self):
        self._overdue(3000.0)
        self.customer.with_user(self.collector).action_dunning_escalate_now()
        letters = self._reminders()
        self.assertEqual(letters.channel, "letter")
        # printed in the person's own transaction, not left for the night
        self.assertEqual(letters.attachment_id.mimetype, "application/pdf")
        self.assertEqual(letters.state, "queued")


class TestLetterPageRules(DeliveryCase):
    """The pure rule that tells the pages apart (no PDF engine)."""

    def test_one_page_each_reads_no_page(self):
        def unread(index):
            raise AssertionError("no page needs reading")

        self.assertEqual(
            pages_by_letter([7, 3, 9], 3, unread), {7: [0], 3: [1], 9: [2]}
        )

    def test_the_pages_follow_the_markers(self):
        texts = [
            f"{letter_marker(7)} Dear",
            "invoices",
            f"{letter_marker(3)} Dear",
            f"{letter_marker(9)} Dear",
            "more",
            "total",
        ]
        self.assertEqual(
            pages_by_letter([7, 3, 9], 6, texts.__getitem__),
            {7: [0, 1], 3: [2], 9: [3, 4, 5]},
        )

    def test_pages_that_cannot_be_told_apart_are_refused(self):
        with self.assertRaises(ValueError):
            pages_by_letter([7, 3], 3, ["CRDL7Z", "x", "y"].__getitem__)
        with self.assertRaises(ValueError):
            # out of print order
            pages_by_letter([7, 3], 3, ["CRDL3Z", "CRDL7Z", "y"].__getitem__)
        with self.assertRaises(ValueError):
            pages_by_letter([7, 3, 9], 2, ["CRDL7Z", "CRDL3Z"].__getitem__)
        self.assertEqual(pages_by_letter([], 0), {})
