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

_ID_NUMBER_RE = re.compile(_EDGE_BEFORE + r"(?:\d{17}[\dXx]|\d{15})" + _EDGE_AFTER)
_MOBILE_RE = re.compile(_EDGE_BEFORE + r"(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}" + _EDGE_AFTER)
_LANDLINE_RE = re.compile(_EDGE_BEFORE + r"0\d{2,3}[\s-]\d{7,8}" + _EDGE_AFTER)
# 12–19 digit card/account numbers, optionally grouped by single spaces or hyphens.
_BANK_ACCOUNT_RE = re.compile(_EDGE_BEFORE + r"\d{4}(?:[\s-]?\d{4}){2,3}(?:[\s-]?\d{1,3})?" + _EDGE_AFTER)


def _digits_only(value: str) -> str:
    return re.sub(r"[^0-9Xx]", "", value)


def _mask_keep(value: str, keep_head: int, keep_tail: int) -> str:
    """Replace every digit except the first ``keep_head`` and last ``keep_tail`` ones, keeping separators."""
    positions = [i for i, ch in enumerate(value) if ch.isdigit() or ch in "Xx"]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join(MASK_CHAR if i in hidden else ch for i, ch in enumerate(value))


def _mask_id_number(match: re.Match[str]) -> str:
    return _mask_keep(match.group(0), keep_head=3, keep_tail=4)


def _mask_mobile(match: re.Match[str]) -> str:
    text = match.group(0)
    # Keep the 3-digit carrier prefix after any +86 country code, and the last 4 digits.
    prefix_digits = len(_digits_only(text)) - 11
    return _mask_keep(text, keep_head=prefix_digits + 3, keep_tail=4)


def _mask_landline(match: re.Match[str]) -> str:
    area, _, number = re.split(r"([\s-])", match.group(0), maxsplit=1)
    sep = match.group(0)[len(area)]
    return area + sep + _mask_keep(number, keep_head=0, keep_tail=2)


def _mask_bank_account(match: re.Match[str]) -> str:
    text = match.group(0)
    if not 12 <= len(_digits_only(text)) <= 19:
        return text
    return _mask_keep(text, keep_head=0, keep_tail=4)


def mask_pii(text: str) -> str:
    """Return ``text`` with ID numbers, phone numbers and bank account numbers masked.

    >>> mask_pii("联系人张三，电话13812345678，身份证11010519491231002X")
    '联系人张三，电话138****5678，身份证110***********002X'
    """
    if not text:
        return text
    # Order matters: an 18-digit ID would otherwise be taken for a bank account, and a mobile
    # number for part of one.
    text = _ID_NUMBER_RE.sub(_mask_id_number, text)
    text = _MOBILE_RE.sub(_mask_mobile, text)
    text = _LANDLINE_RE.sub(_mask_landline, text)
    return _BANK_ACCOUNT_RE.sub(_mask_bank_account, text)


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
