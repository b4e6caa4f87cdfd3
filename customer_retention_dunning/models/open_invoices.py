"""What "an open customer invoice" means, in one place: a posted customer
invoice or receipt that is not (fully) paid yet. The ladder, the plans, the
promises, the work list and the screens all use this definition."""

CUSTOMER_INVOICE_TYPES = ("out_invoice", "out_receipt")
OPEN_PAYMENT_STATES = ("not_paid", "partial")
OPEN_INVOICE_DOMAIN = [
    ("move_type", "in", CUSTOMER_INVOICE_TYPES),
    ("state", "=", "posted"),
    ("payment_state", "in", OPEN_PAYMENT_STATES),
]


def is_open_invoice(move):
    """The same test on one ``account.move`` record."""
    return (
        move.move_type in CUSTOMER_INVOICE_TYPES
        and move.state == "posted"
        and move.payment_state in OPEN_PAYMENT_STATES
    )
