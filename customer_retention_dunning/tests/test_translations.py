"""Every term the addon shows has a Dutch translation."""

from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_of_the_addon_is_translated_to_dutch(self):
        reader = TranslationModuleReader(
            self.env.cr, modules=["customer_retention_dunning"]
        )
        terms = {}
        for _module, _type, name, _res_id, source, _value, _comments in reader:
            # the names of Odoo's own models keep Odoo's own translation, and
            # "ID" is the same word in Dutch
            if not name.startswith("ir.model,name") and source != "ID":
                terms[source] = name
        dutch = {
            entry.msgid: entry.msgstr
            for entry in polib.pofile(str(I18N / "nl.po"))
            if entry.msgstr and not entry.fuzzy
        }
        self.assertIn("Payment Behaviour", terms)
        missing = sorted(term for term in terms if term not in dutch)
        self.assertFalse(missing, f"terms without a Dutch translation: {missing}")
        self.assertEqual(dutch["Not enough history"], "Onvoldoende historie")

    def test_the_template_lists_every_term(self):
        reader = TranslationModuleReader(
            self.env.cr, modules=["customer_retention_dunning"]
        )
        terms = {source for *_head, source, _value, _comments in reader}
        template = {
            entry.msgid
            for entry in polib.pofile(str(I18N / "customer_retention_dunning.pot"))
        }
        self.assertEqual(terms - template, set(), "regenerate the .pot")
