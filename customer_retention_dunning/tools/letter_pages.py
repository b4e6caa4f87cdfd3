"""Which pages of a batch of letters, printed as one PDF, belong to which
letter. Pure rules: no Odoo."""

import re

MARKER_PATTERN = re.compile(r"CRDL(\d+)Z")


def letter_marker(letter_id):
    """The word each letter prints, invisibly, at its start: its pages run
    from the page that shows it to the page before the next letter's."""
    return f"CRDL{int(letter_id)}Z"


def pages_by_letter(letter_ids, page_count, page_text=None):
    """Assign the pages of a batch PDF to its letters, in print order.

    :param list letter_ids: the letters in the order they were printed
    :param int page_count: pages in the PDF
    :param page_text: ``page_text(index) -> str``, the text of a page; only
        read when some letter took more than one page
    :return: ``{letter_id: [page indexes]}``
    :raise ValueError: when the pages cannot be told apart (a marker is
        missing, or the markers are not in print order): the caller then
        prints each letter on its own
    """
    letter_ids = list(letter_ids)
    if not letter_ids:
        return {}
    if page_count == len(letter_ids):
        # one page each, the usual case: no need to read a page
        return {letter_id: [index] for index, letter_id in enumerate(letter_ids)}
    if page_count < len(letter_ids) or page_text is None:
        raise ValueError(
            f"{page_count} pages cannot be split over {len(letter_ids)} letters"
        )
    starts = {}
    for index in range(page_count):
        for found in MARKER_PATTERN.findall(page_text(index) or ""):
            starts.setdefault(int(found), index)
    missing = [letter_id for letter_id in letter_ids if letter_id not in starts]
    if missing:
        raise ValueError(f"no first page found for letters {missing}")
    firsts = [starts[letter_id] for letter_id in letter_ids]
    if firsts[0] != 0 or any(a >= b for a, b in zip(firsts, firsts[1:], strict=False)):
        raise ValueError("the letters' first pages are not in print order")
    ends = [*firsts[1:], page_count]
    return {
        letter_id: list(range(first, end))
        for letter_id, first, end in zip(letter_ids, firsts, ends, strict=True)
    }
