"""Every term the bridge shows has a Dutch translation."""

from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"
MODULE = "customer_retention_dunning_queue"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def _terms(self):
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        return {
            source: name
            for _module, _type, name, _res_id, source, _value, _comments in reader
        }

    def test_every_term_of_the_bridge_is_translated_to_dutch(self):
        dutch = {
            entry.msgid: entry.msgstr
            for entry in polib.pofile(str(I18N / "nl.po"))
            if entry.msgstr and not entry.fuzzy
        }
        missing = sorted(source for source in self._terms() if source not in dutch)
        self.assertFalse(missing, f"terms without a Dutch translation: {missing}")
        self.assertEqual(
            dutch[
                "Dunning escalation: customers %(first)s-%(last)s of %(total)s, %(day)s"
            ],
            "Escalatie van aanmaningen: klanten %(first)s-%(last)s van %(total)s, "
            "%(day)s",
        )

    def test_the_template_lists_every_term(self):
        template = {entry.msgid for entry in polib.pofile(str(I18N / f"{MODULE}.pot"))}
        self.assertEqual(set(self._terms()) - template, set(), "regenerate the .pot")
