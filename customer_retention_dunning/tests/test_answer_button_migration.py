"""18.0.1.3.0 gives the reminder templates that databases already have (they
are ``noupdate``) the *Answer online* button, and leaves a template whose
words were changed alone."""

import importlib.util
import json
from pathlib import Path

from odoo.tests import TransactionCase, tagged

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "migrations"
    / "18.0.1.3.0"
    / "post-migration.py"
)
OLD_EN = (
    "<p>Questions about an invoice? Reply to this e-mail or call us: we are "
    "glad to help, and a payment arrangement is possible.</p>"
)
OLD_NL = (
    "<p>Vragen over een factuur? Beantwoord deze e-mail of bel ons: wij "
    "helpen u graag, en een betalingsregeling is mogelijk.</p>"
)


def _migrate(cr):
    spec = importlib.util.spec_from_file_location("answer_button", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cr, "18.0.1.2.0")


@tagged("post_install", "-at_install")
class TestAnswerButtonMigration(TransactionCase):
    def _set_bodies(self, template, bodies):
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s",
            (json.dumps(bodies), template.id),
        )
        template.invalidate_recordset(["body_html"])

    def test_the_shipped_paragraph_gets_the_button_in_both_languages(self):
        friendly = self.env.ref(
            "customer_retention_dunning.mail_template_dunning_friendly"
        )
        firm = self.env.ref("customer_retention_dunning.mail_template_dunning_firm")
        self._set_bodies(
            friendly,
            {
                "en_US": f"<div><p>Dear</p>{OLD_EN}</div>",
                "nl_NL": f"<div>{OLD_NL}</div>",
            },
        )
        # a template a user reworded keeps its words
        self._set_bodies(firm, {"en_US": "<div><p>Call us.</p></div>"})
        _migrate(self.env.cr)
        english = friendly.with_context(lang="en_US").body_html
        self.assertIn('t-att-href="object.answer_url"', english)
        self.assertIn("Answer online", english)
        self.assertIn("<p>Dear</p>", english)
        self.assertNotIn("Questions about an invoice", english)
        self.env.cr.execute(
            "SELECT body_html->>'nl_NL' FROM mail_template WHERE id = %s",
            (friendly.id,),
        )
        self.assertIn("Antwoord online", self.env.cr.fetchone()[0])
        self.assertEqual(
            firm.with_context(lang="en_US").body_html, "<div><p>Call us.</p></div>"
        )
