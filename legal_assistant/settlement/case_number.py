"""案号 (court case number) parsing: （2025）浙0402执1234号 → year, court code, case type, number.

Each way a 案号 can be wrong gets its own zh-CN message, so an assistant who typed it by hand
sees what to fix instead of a generic "格式错误".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from legal_assistant import clock
from legal_assistant.settlement.errors import SettlementError

CASE_TYPES_FILE = Path(__file__).parent / "data" / "case_types.yaml"
# 法院代字: 最高法, or a province-level abbreviation (兵 = 新疆生产建设兵团) followed by the
# two-digit intermediate-court code and optionally the two-digit basic-court code.
PROVINCE_ABBREVIATIONS = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵"
_COURT_CODE = re.compile(rf"最高法|[{PROVINCE_ABBREVIATIONS}](?:\d{{4}}|\d{{2}})?")
# Brackets people type instead of the full-width （）: ASCII (), the pre-2016 〔〕 and [].
_BRACKET_VARIANTS = str.maketrans({"(": "（", ")": "）", "〔": "（", "〕": "）", "[": "（", "]": "）"})
EARLIEST_YEAR = 2000


@dataclass(frozen=True)
class CaseType:
    code: str
    name: str
    enforcement_implementation: bool


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    case_type: CaseType
    number: int

    @property
    def text(self) -> str:
        return f"（{self.year}）{self.court_code}{self.case_type.code}{self.number}号"

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=1)
def case_types() -> dict[str, CaseType]:
    raw = yaml.safe_load(CASE_TYPES_FILE.read_text(encoding="utf-8"))
    return {code: CaseType(code, entry["name"], bool(entry["enforcement_implementation"])) for code, entry in raw.items()}


def parse_case_number(raw: str, today: date | None = None) -> CaseNumber:
    """Parse a 案号; raises SettlementError naming the first part that is wrong."""
    text = re.sub(r"\s+", "", raw or "").translate(_BRACKET_VARIANTS)
    if not text:
        raise SettlementError("案号不能为空，格式如：（2025）浙0402执1234号")
    if not text.startswith("（"):
        raise SettlementError(f"案号“{raw}”应以括号内的收案年度开头，如（2025）浙0402执1234号")
    year_match = re.match(r"（(\d*)）", text)
    if not year_match:
        raise SettlementError(f"案号“{raw}”缺少收案年度的右括号“）”")
    year_text = year_match.group(1)
    if len(year_text) != 4:
        raise SettlementError(f"案号“{raw}”的收案年度“{year_text}”应为四位数字，如（2025）")
    year = int(year_text)
    current_year = (today or clock.today()).year
    if not EARLIEST_YEAR <= year <= current_year:
        raise SettlementError(f"案号“{raw}”的收案年度{year}年不在{EARLIEST_YEAR}年至{current_year}年之间")
    rest = text[year_match.end():]

    court_match = _COURT_CODE.match(rest)
    if not court_match:
        raise SettlementError(
            f"案号“{raw}”的法院代字“{rest[:6]}”无法识别：应为省级简称加两位或四位数字（如浙04、浙0402），或“最高法”"
        )
    court_code = court_match.group(0)
    rest = rest[court_match.end():]

    type_code = next((code for code in sorted(case_types(), key=len, reverse=True) if rest.startswith(code)), None)
    if type_code is None:
        known = "、".join(case_types())
        raise SettlementError(f"案号“{raw}”的案件类型代字无法识别（法院代字“{court_code}”之后为“{rest[:4]}”）；可识别的类型：{known}")
    rest = rest[len(type_code):]

    number_match = re.match(r"\d+", rest)
    if not number_match:
        raise SettlementError(f"案号“{raw}”缺少案件编号：类型代字“{type_code}”之后应为阿拉伯数字编号")
    number_text = number_match.group(0)
    if number_text.startswith("0"):
        raise SettlementError(f"案号“{raw}”的案件编号“{number_text}”应为不以0开头的正整数")
    rest = rest[number_match.end():]
    if rest != "号":
        if not rest:
            raise SettlementError(f"案号“{raw}”应以“号”结尾")
        raise SettlementError(f"案号“{raw}”在案件编号之后有多余内容“{rest}”，应以“号”结尾")
    return CaseNumber(year=year, court_code=court_code, case_type=case_types()[type_code], number=int(number_text))


def parse_enforcement_case_number(raw: str, today: date | None = None) -> CaseNumber:
    """A 案号 of an enforcement-implementation case (执/执恢): the only cases a 执行和解 belongs to."""
    case_number = parse_case_number(raw, today)
    if not case_number.case_type.enforcement_implementation:
        allowed = "、".join(code for code, kind in case_types().items() if kind.enforcement_implementation)
        raise SettlementError(
            f"案号“{case_number}”是{case_number.case_type.name}（{case_number.case_type.code}），"
            f"执行和解须在执行实施案件中达成，案件类型应为：{allowed}"
        )
    return case_number
