"""18.0.1.3.0: the reminder e-mails carry the customer's *Answer online*
button.

The shipped reminder templates are ``noupdate``: an upgrade keeps their old
text. Where a template still has the paragraph we shipped (in English or in
Dutch), that paragraph, and only that, becomes the new one with the button.
A template whose text was changed there keeps its own words."""

import json
import logging

_logger = logging.getLogger(__name__)

TEMPLATES = (
    "mail_template_dunning_friendly",
    "mail_template_dunning_firm",
    "mail_template_dunning_formal",
    "mail_template_dunning_final",
)
BUTTON_STYLE = (
    "display: inline-block; padding: 4px 10px; border-radius: 4px; "
    "background-color: #875A7B; color: #ffffff; text-decoration: none;"
)
# the texts as 18.0.1.2.0 shipped them and as 18.0.1.3.0 ships them, frozen
# here: a later change is a later migration
PARAGRAPHS = (
    (
        "<p>Questions about an invoice? Reply to this e-mail or call us: we are "
        "glad to help, and a payment arrangement is possible.</p>",
        "<p>Something wrong with an invoice, or do you need more time? "
        f'<a t-att-href="object.answer_url" style="{BUTTON_STYLE}">Answer online</a> '
        "to dispute an invoice, promise a date or ask for a payment plan; no "
        "account needed. You can also reply to this e-mail or call us: we are "
        "glad to help.</p>",
    ),
    (
        "<p>Vragen over een factuur? Beantwoord deze e-mail of bel ons: wij "
        "helpen u graag, en een betalingsregeling is mogelijk.</p>",
        "<p>Klopt er iets niet aan een factuur, of hebt u meer tijd nodig? "
        f'<a t-att-href="object.answer_url" style="{BUTTON_STYLE}">Antwoord online</a> '
        "om een factuur te betwisten, een datum te beloven of een "
        "betalingsregeling aan te vragen; u hebt geen account nodig. U kunt "
        "ook deze e-mail beantwoorden of ons bellen: wij helpen u graag.</p>",
    ),
)


def migrate(cr, version):
    cr.execute(
        """
        SELECT t.id, t.body_html
          FROM mail_template t
          JOIN ir_model_data d
            ON d.model = 'mail.template' AND d.res_id = t.id
         WHERE d.module = 'customer_retention_dunning' AND d.name IN %s
        """,
        (TEMPLATES,),
    )
    updated = 0
    for template_id, bodies in cr.fetchall():
        changed = dict(bodies or {})
        for lang, body in changed.items():
            for old, new in PARAGRAPHS:
                if body and old in body:
                    changed[lang] = body.replace(old, new)
        if changed != bodies:
            cr.execute(
                "UPDATE mail_template SET body_html = %s WHERE id = %s",
                (json.dumps(changed), template_id),
            )
            updated += 1
    _logger.info("%s reminder template(s) now carry the Answer online button", updated)
