"""Masking of personal data in free text: logs, audit details and exports that do not need it.

Three kinds of numbers identify a person and end up in contracts, questions and error messages:
居民身份证号码 (18 digits, or 15 for first-generation cards), mobile and landline phone numbers,
and bank card / account numbers. ``mask_pii`` replaces all but a few edge characters with ``*`` so
a masked line stays readable ("138****5678") without being usable.

The patterns refuse to match inside longer runs of letters or digits (contract numbers such as
HT2024010100012345 stay intact) and bank numbers may be written in groups of four. Matching is
deliberately broader than checksum validation: a mistyped ID number is still personal data.
"""

from __future__ import annotations

import logging
import re

MASK_CHAR = "*"

# Not preceded/followed by another ASCII letter or digit, so identifiers embedded in longer codes
# are left alone while "身份证号110105194912310021，" (CJK around it) is still found.
_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"

_ID_NUMBER_RE = re.compile(_EDGE_BEFORE + r"(?:\d{17}[\dXx]|\d{15})" + _EDGE_AFTER, re.ASCII)
_MOBILE_RE = re.compile(_EDGE_BEFORE + r"(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}" + _EDGE_AFTER, re.ASCII)
_LANDLINE_RE = re.compile(_EDGE_BEFORE + r"0\d{2,3}[ -]\d{7,8}" + _EDGE_AFTER, re.ASCII)
# 12–19 digit card/account numbers, optionally grouped by single spaces or hyphens.
_BANK_ACCOUNT_RE = re.compile(_EDGE_BEFORE + r"\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?" + _EDGE_AFTER, re.ASCII)


# Full-width digits (typed in Chinese input mode) are matched as their ASCII twins; the output keeps
# the original characters, so masking never changes the width of the text it leaves visible.
_ASCII_TWINS = str.maketrans("０１２３４５６７８９＋－ｘＸ\u3000", "0123456789+-xX ")
_DIGIT_LIKE = set("0123456789Xx")


def _masked(original: str, probe: str, keep_head: int, keep_tail: int) -> str:
    """Replace every digit except the first ``keep_head`` and last ``keep_tail``, keeping separators."""
    positions = [i for i, ch in enumerate(probe) if ch in _DIGIT_LIKE]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join(MASK_CHAR if i in hidden else ch for i, ch in enumerate(original))


def _digit_count(probe: str) -> int:
    return sum(ch in _DIGIT_LIKE for ch in probe)


def _mask_id_number(original: str, probe: str) -> str:
    return _masked(original, probe, keep_head=3, keep_tail=4)


def _mask_mobile(original: str, probe: str) -> str:
    # Keep the 3-digit carrier prefix after any +86 country code, and the last 4 digits.
    country_code_digits = _digit_count(probe) - 11
    return _masked(original, probe, keep_head=country_code_digits + 3, keep_tail=4)


def _mask_landline(original: str, probe: str) -> str:
    area_length = re.search(r"[ -]", probe).start()
    return original[: area_length + 1] + _masked(original[area_length + 1 :], probe[area_length + 1 :], 0, 2)


def _mask_bank_account(original: str, probe: str) -> str:
    if not 12 <= _digit_count(probe) <= 19:
        return original
    return _masked(original, probe, keep_head=0, keep_tail=4)


# Order matters: an 18-digit ID would otherwise be taken for a bank account, and a mobile number
# for part of one.
_MASKERS = (
    (_ID_NUMBER_RE, _mask_id_number),
    (_MOBILE_RE, _mask_mobile),
    (_LANDLINE_RE, _mask_landline),
    (_BANK_ACCOUNT_RE, _mask_bank_account),
)


def mask_pii(text: str) -> str:
    """Return ``text`` with ID numbers, phone numbers and bank account numbers masked.

    >>> mask_pii("联系人张三，电话13812345678，身份证11010519491231002X")
    '联系人张三，电话138****5678，身份证110***********002X'
    """
    if not text:
        return text
    for pattern, masker in _MASKERS:
        # Masking keeps lengths, so positions found in the ASCII twin apply to the original.
        probe = text.translate(_ASCII_TWINS)
        pieces, last = [], 0
        for match in pattern.finditer(probe):
            pieces.append(text[last : match.start()])
            pieces.append(masker(text[match.start() : match.end()], match.group(0)))
            last = match.end()
        pieces.append(text[last:])
        text = "".join(pieces)
    return text


class PIIMaskingFilter(logging.Filter):
    """Logging filter that masks personal data in the rendered message and any traceback.

    Attach it to handlers (not loggers): handler filters also see records propagated from child
    loggers, so one filter on the root handler covers every module's logging.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_pii(record.getMessage())
        record.args = None
        if record.exc_info:
            # Render the traceback now so the formatter reuses the masked text instead of the raw one.
            record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = mask_pii(record.stack_info)
        return True
