"""The bodies of the messages the night makes in bulk, written once the
messages exist.

Odoo's create sanitises a message's body twice, once for its cache and once
for its column: about half of what a reminder e-mail cost the night (its
message and the note on the customer). Here a body is written as it is
given, with one UPDATE for a chunk's messages:

- a reminder's e-mail, rendered from its template, is sanitised once first,
  as the message's body field would (``sanitized``);
- a note the night writes itself (:meth:`_summary_html`) is built of
  escaped values only and is written as it is."""

from odoo.tools import SQL
from odoo.tools.mail import html_sanitize
from odoo.tools.misc import split_every

# messages updated by one statement at most
PAGE = 500


def sanitized(env, body):
    """``body`` sanitised as the body of a message is on create."""
    field = env["mail.message"]._fields["body"]
    return html_sanitize(
        body,
        silent=True,
        sanitize_tags=field.sanitize_tags,
        sanitize_attributes=field.sanitize_attributes,
        sanitize_style=field.sanitize_style,
        sanitize_form=field.sanitize_form,
        sanitize_conditional_comments=field.sanitize_conditional_comments,
        output_method=field.sanitize_output_method,
        strip_style=field.strip_style,
        strip_classes=field.strip_classes,
    )


def write_bodies(env, messages, bodies):
    """Write ``bodies`` (in the order of ``messages``, made with empty
    bodies in this transaction) on ``messages``."""
    rows = [
        (message.id, str(body or ""))
        for message, body in zip(messages, bodies, strict=True)
    ]
    for page in split_every(PAGE, rows):
        env.cr.execute(
            SQL(
                """
                UPDATE mail_message
                   SET body = given.body
                  FROM (VALUES %s) AS given(id, body)
                 WHERE mail_message.id = given.id
                """,
                SQL(", ").join(SQL("(%s::int, %s::text)", *row) for row in page),
            )
        )
    messages.invalidate_recordset(["body"])
