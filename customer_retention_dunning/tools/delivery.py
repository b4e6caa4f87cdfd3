"""What became of a reminder, and how a failed one is tried again.

Pure rules, no Odoo: the reminder's state follows what Odoo's own queues say
of its message (the ``mail.notification`` statuses), and a reminder that did
not reach the customer is tried again by the next channel of the chain.
"""

from .dunning_schedule import EMAIL, LETTER, PHONE, SMS, WHATSAPP

QUEUED, SENT, FAILED = "queued", "sent", "failed"

# Odoo's notification statuses that mean the message left: for an e-mail the
# mail server accepted it, for an SMS the gateway did ("pending" is what Odoo
# calls "Sent" for an SMS until the delivery report), for Snailmail the post
DELIVERED = {
    EMAIL: frozenset({"sent"}),
    SMS: frozenset({"sent", "pending"}),
    LETTER: frozenset({"sent"}),
}
# refused, bounced, or cancelled before it left
REFUSED = frozenset({"exception", "bounce", "canceled"})

# the order in which a reminder that did not arrive is tried again: a text
# message by e-mail, an e-mail by letter, a letter by a call from a person
NEXT_CHANNEL = {
    SMS: EMAIL,
    WHATSAPP: EMAIL,
    EMAIL: LETTER,
    LETTER: PHONE,
    PHONE: PHONE,
}


def delivery_state(channel, statuses):
    """The state a reminder sent by ``channel`` is in, given the statuses of
    the notifications of its own message.

    A bounce or refusal wins over an earlier "sent": a bounce arrives after
    the mail server accepted the message. Without any status (nothing in
    Odoo's queue yet) the reminder is still queued.

    >>> delivery_state("email", ["ready"])
    'queued'
    >>> delivery_state("email", ["sent"])
    'sent'
    >>> delivery_state("email", ["bounce"])
    'failed'
    >>> delivery_state("sms", ["pending"])
    'sent'
    """
    statuses = set(statuses)
    if statuses & REFUSED:
        return FAILED
    if statuses and statuses <= DELIVERED.get(channel, frozenset()):
        return SENT
    return QUEUED


def retry_channel(channel, retries_done, retry_limit, reachable):
    """The channel of the next attempt after a reminder by ``channel``
    failed, or ``None`` when no attempt is left.

    :param retries_done: how many times this reminder was tried again already
    :param retry_limit: how many times a failed reminder is tried again by
        another channel before a collector calls
    :param reachable: the channels the customer can be reached by now

    A channel the customer cannot be reached by is passed over. Once the
    limit is reached the last attempt is always a call: a person takes over.
    A call that failed is not tried again: the collector already has it.

    >>> retry_channel("email", 0, 2, ("email", "letter"))
    'letter'
    >>> retry_channel("email", 0, 2, ("email",))
    'phone'
    >>> retry_channel("letter", 2, 2, ("email", "letter"))
    'phone'
    >>> retry_channel("phone", 1, 2, ("email", "letter")) is None
    True
    """
    if channel == PHONE or retries_done > retry_limit:
        return None
    if retries_done >= retry_limit:
        return PHONE
    following = NEXT_CHANNEL[channel]
    while following != PHONE and following not in reachable:
        following = NEXT_CHANNEL[following]
    return following
