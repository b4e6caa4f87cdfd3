"""Mobile numbers for text reminders, in the one form gateways accept.

SMS gateways and WhatsApp's click-to-chat links want E.164 (``+31612345678``).
Customers type numbers every which way (``06-12 34 56 78``, ``0031 6...``),
so the number is read with the customer's country as the default region.
"""

from urllib.parse import quote

import phonenumbers

#: why a number cannot carry a text reminder
MISSING, INVALID, NOT_MOBILE = "missing", "invalid", "not_mobile"

_TEXTABLE = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def mobile_e164(number, country_code=None):
    """The number in E.164 when it can receive a text message.

    :param number: the number as typed (``None`` or empty for none)
    :param country_code: the ISO code of the customer's country (``"NL"``),
        used when the number has no international prefix
    :return: ``(e164, problem)``: the normalised number and ``None``, or
        ``None`` and one of :data:`MISSING`, :data:`INVALID`,
        :data:`NOT_MOBILE`
    """
    if not number or not number.strip():
        return None, MISSING
    region = country_code.upper() if country_code else None
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None, INVALID
    if not phonenumbers.is_valid_number(parsed):
        return None, INVALID
    if phonenumbers.number_type(parsed) not in _TEXTABLE:
        return None, NOT_MOBILE
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None


def whatsapp_link(e164, text):
    """A wa.me click-to-chat link that opens WhatsApp with ``text`` ready."""
    return f"https://wa.me/{e164.lstrip('+')}?text={quote(text, safe='')}"
