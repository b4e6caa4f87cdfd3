"""What a customer writes on a bank transfer so that it finds its invoices."""

# a SEPA credit transfer's unstructured remittance information holds 140
# characters; the EPC QR code carries the same text
REMITTANCE_LIMIT = 140


def remittance_text(references, limit=REMITTANCE_LIMIT):
    """The invoices' payment references, joined, within the limit: as many
    as fit, then ``+N`` for the ones left out (the amount still tells the
    bank statement which payment it is).

    >>> remittance_text(["INV/2026/00012", "INV/2026/00015"])
    'INV/2026/00012, INV/2026/00015'
    >>> remittance_text(["A" * 80, "B" * 80]) == "A" * 80 + " +1"
    True
    """
    references = [reference for reference in references if reference]
    text = ""
    for count, reference in enumerate(references):
        candidate = f"{text}, {reference}" if text else reference
        left = len(references) - count - 1
        if len(candidate) + (len(f" +{left}") if left else 0) > limit:
            return f"{text} +{left + 1}" if text else reference[:limit]
        text = candidate
    return text
