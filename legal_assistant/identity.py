"""Identity checks for the parties of a contract or a case: one place, zh-CN messages.

Every validator returns ``None`` when the value is acceptable, or a message a user can act on.
Checksums come from python-stdnum (GB 32100-2015 for 统一社会信用代码, GB 11643-1999 for
居民身份证号码) rather than hand-written arithmetic. Numbers are never echoed back in full in
messages, because messages end up in logs; use :func:`mask_id_number` / :func:`mask_mobile`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from legal_assistant import clock

ORGANIZATION = "organization"  # 法人或其他组织：统一社会信用代码
INDIVIDUAL = "individual"  # 自然人：居民身份证号码
PARTY_KINDS = (ORGANIZATION, INDIVIDUAL)

# Mainland mobile numbers: 11 digits starting 13–19; an optional +86/0086 country prefix.
_MOBILE_RE = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")
_SEPARATORS_RE = re.compile(r"[\s\-]")


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; ``field`` is a dotted path such as ``parties.0.id_number``."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _compact(value: str) -> str:
    return _SEPARATORS_RE.sub("", value or "").upper()


def validate_uscc(value: str) -> str | None:
    """统一社会信用代码: 18 characters with a GB 32100-2015 check character."""
    code = _compact(value)
    if not code:
        return "请填写统一社会信用代码"
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidLength:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    except stdnum_errors.InvalidFormat:
        return "统一社会信用代码含有不允许的字符（只能是数字和除I、O、Z、S、V以外的大写字母）"
    except stdnum_errors.InvalidChecksum:
        return "统一社会信用代码校验位不正确，请核对是否抄错"
    except stdnum_errors.ValidationError:
        return "统一社会信用代码格式不正确"
    return None


def validate_resident_id(value: str, *, today: date | None = None) -> str | None:
    """居民身份证号码: 18 characters, a real birth date not in the future, GB 11643-1999 check digit."""
    number = _compact(value)
    if not number:
        return "请填写居民身份证号码"
    try:
        ric.validate(number)
    except stdnum_errors.InvalidLength:
        return f"居民身份证号码应为18位，当前为{len(number)}位"
    except stdnum_errors.InvalidFormat:
        return "居民身份证号码只能由17位数字和最后一位数字或X组成"
    except stdnum_errors.InvalidComponent:
        try:
            ric.get_birth_date(number)
        except stdnum_errors.InvalidComponent:
            return "居民身份证号码中的出生日期不存在"
        return "居民身份证号码前6位不是有效的行政区划代码"
    except stdnum_errors.InvalidChecksum:
        return "居民身份证号码校验位不正确，请核对是否抄错"
    except stdnum_errors.ValidationError:
        return "居民身份证号码格式不正确"
    if ric.get_birth_date(number) > (today or clock.today()):
        return "居民身份证号码中的出生日期晚于今天"
    return None


def validate_mobile(value: str) -> str | None:
    """中国大陆手机号码: 11 digits beginning 13–19 (spaces, dashes and +86 are tolerated)."""
    number = _compact(value)
    if not number:
        return "请填写手机号码"
    if not _MOBILE_RE.match(number):
        return "手机号码应为以13至19开头的11位数字"
    return None


def normalize_mobile(value: str) -> str:
    """The bare 11-digit form of a mobile number that passed :func:`validate_mobile`."""
    match = _MOBILE_RE.match(_compact(value))
    if not match:
        raise ValueError(validate_mobile(value) or "手机号码格式不正确")
    return match.group(1)


def normalize_id_number(value: str) -> str:
    """Upper-case, separator-free form used for storing and comparing ID numbers."""
    return _compact(value)


def validate_id_number(kind: str, value: str) -> str | None:
    """The check that fits the party kind: USCC for organisations, resident ID for individuals."""
    if kind == ORGANIZATION:
        return validate_uscc(value)
    if kind == INDIVIDUAL:
        return validate_resident_id(value)
    return "主体类型只能是“单位”或“自然人”"


def validate_party(
    *,
    name: str,
    kind: str,
    id_number: str,
    mobile: str | None = None,
    mobile_required: bool = False,
    field_prefix: str = "",
) -> list[FieldError]:
    """All problems with one party, one :class:`FieldError` per bad field (empty list = valid).

    ``field_prefix`` (e.g. ``"parties.0."``) lets callers report errors against their own form paths.
    """
    errors: list[FieldError] = []
    label = "单位名称" if kind == ORGANIZATION else "姓名"
    clean_name = (name or "").strip()
    if not clean_name:
        errors.append(FieldError(f"{field_prefix}name", f"请填写{label}"))
    elif len(clean_name) < 2:
        errors.append(FieldError(f"{field_prefix}name", f"{label}过短，请填写完整"))
    if kind not in PARTY_KINDS:
        errors.append(FieldError(f"{field_prefix}kind", "主体类型只能是“单位”或“自然人”"))
    else:
        problem = validate_id_number(kind, id_number)
        if problem:
            errors.append(FieldError(f"{field_prefix}id_number", problem))
    if mobile or mobile_required:
        problem = validate_mobile(mobile or "")
        if problem:
            errors.append(FieldError(f"{field_prefix}mobile", problem))
    return errors


def find_same_party_on_both_sides(
    side_a: list[dict], side_b: list[dict], *, field_prefix_b: str = "parties_b."
) -> list[FieldError]:
    """A contract with the same person/organisation on both sides is void of a counterparty.

    Parties are dicts with ``name`` and ``id_number``; matching is by ID number (the reliable key),
    and by name only when both IDs are missing.
    """
    errors: list[FieldError] = []
    ids_a = {normalize_id_number(p.get("id_number", "")) for p in side_a if p.get("id_number")}
    names_a = {(p.get("name") or "").strip() for p in side_a if p.get("name")}
    for index, party in enumerate(side_b):
        id_b = normalize_id_number(party.get("id_number", ""))
        name_b = (party.get("name") or "").strip()
        if id_b and id_b in ids_a:
            errors.append(FieldError(f"{field_prefix_b}{index}.id_number", "同一主体不能同时出现在合同双方"))
        elif not id_b and name_b and name_b in names_a:
            errors.append(FieldError(f"{field_prefix_b}{index}.name", "同一主体不能同时出现在合同双方"))
    return errors


def mask_id_number(value: str) -> str:
    """For logs and audit lines: keep the first 4 and last 2 characters (e.g. ``1101************2X``)."""
    text = _compact(value)
    if len(text) <= 6:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 6) + text[-2:]


def mask_mobile(value: str) -> str:
    """For logs: ``138****5678``."""
    text = _compact(value)
    if len(text) < 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]
