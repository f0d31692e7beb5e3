"""案号 parsing: the parts are read correctly and each kind of mistake gets its own zh-CN message."""

from __future__ import annotations

from datetime import date

import pytest

from legal_assistant.settlement.case_number import parse_case_number, parse_enforcement_case_number
from legal_assistant.settlement.errors import SettlementError

TODAY = date(2026, 6, 1)


def test_a_first_enforcement_case_number_is_split_into_year_court_type_and_number():
    case_number = parse_case_number("（2025）浙0402执1234号", TODAY)
    assert (case_number.year, case_number.court_code, case_number.case_type.code, case_number.number) == (2025, "浙0402", "执", 1234)
    assert case_number.case_type.name == "首次执行案件"
    assert case_number.text == "（2025）浙0402执1234号"


def test_the_longest_case_type_code_wins_so_resumed_enforcement_is_not_read_as_enforcement():
    assert parse_case_number("（2024）浙04执恢7号", TODAY).case_type.code == "执恢"
    assert parse_case_number("（2024）浙0402执保88号", TODAY).case_type.code == "执保"
    assert parse_case_number("（2024）浙0402执异3号", TODAY).case_type.code == "执异"


def test_ascii_or_old_style_brackets_and_spaces_are_normalised():
    assert parse_case_number(" (2025)浙0402执 12号 ", TODAY).text == "（2025）浙0402执12号"
    assert parse_case_number("〔2025〕浙0402执12号", TODAY).text == "（2025）浙0402执12号"


def test_supreme_court_and_intermediate_court_codes_are_accepted():
    assert parse_case_number("（2023）最高法执监5号", TODAY).court_code == "最高法"
    assert parse_case_number("（2023）浙04执12号", TODAY).court_code == "浙04"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "案号不能为空"),
        ("2025浙0402执1234号", "应以括号内的收案年度开头"),
        ("（25）浙0402执1234号", "应为四位数字"),
        ("（2031）浙0402执1234号", "不在2000年至2026年之间"),
        ("（2025）XX执1234号", "法院代字"),
        ("（2025）浙0402刑1234号", "案件类型代字无法识别"),
        ("（2025）浙0402执号", "缺少案件编号"),
        ("（2025）浙0402执0012号", "不以0开头"),
        ("（2025）浙0402执1234", "应以“号”结尾"),
        ("（2025）浙0402执1234号之一", "多余内容"),
    ],
)
def test_each_malformed_case_number_names_what_is_wrong(raw, message):
    with pytest.raises(SettlementError) as error:
        parse_case_number(raw, TODAY)
    assert message in str(error.value)


def test_a_settlement_must_belong_to_an_enforcement_implementation_case():
    assert parse_enforcement_case_number("（2025）浙0402执恢3号", TODAY).case_type.enforcement_implementation
    with pytest.raises(SettlementError, match="执行异议案件（执异），执行和解须在执行实施案件中达成"):
        parse_enforcement_case_number("（2025）浙0402执异3号", TODAY)
