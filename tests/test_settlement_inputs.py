"""The input file and capacity tables: validated with clear zh-CN messages, untrusted files handled safely."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from openpyxl import Workbook

from legal_assistant.settlement.errors import SettlementError
from legal_assistant.settlement.inputs import capacity_from_csv, capacity_from_file, capacity_from_xlsx, example_input, load_input

CSV_TABLE = """类别,名称,金额,可继续使用,月还款
月收入,主营业务收入,"620,000",,
月收入,其他收入,30000,,
月支出,原材料,300000,,
月支出,工资社保,180000.50,,
现金,基本户,150000,,
应收账款,嘉兴某公司货款,400000元,,
查封财产,厂房,2600000,是,
查封财产,设备,300000,否,
其他执行债务,（2025）浙0411执88号,200000,,5000
"""


def test_the_example_input_is_complete_and_valid():
    data = load_input(example_input())
    assert data.case_number == "（2025）浙0402执1234号"
    assert data.debtor.id_label == "统一社会信用代码"


def test_a_wrong_check_character_in_a_credit_code_is_reported_in_chinese():
    data = example_input()
    data["debtor"]["id_number"] = "91330402MA2B7X3K4B"
    with pytest.raises(SettlementError) as error:
        load_input(data)
    assert "被执行人：统一社会信用代码校验位不正确" in str(error.value)


def test_a_resident_id_with_an_impossible_birth_date_is_reported_in_chinese():
    data = example_input()
    data["negotiation"]["guarantor"]["id_number"] = "330411198813203034"
    with pytest.raises(SettlementError) as error:
        load_input(data)
    assert "担保人" in str(error.value) and "居民身份证号码" in str(error.value)


def test_a_bad_case_number_and_bad_amounts_are_all_listed_at_once():
    data = example_input()
    data["case_number"] = "（2025）浙0402执异1号"
    data["judgment"]["principal"] = "八十六万"
    data["capacity"]["cash"] = "-5"
    with pytest.raises(SettlementError) as error:
        load_input(data)
    message = str(error.value)
    assert "案号：" in message and "执行异议案件" in message
    assert "执行依据·本金：应为数字金额" in message
    assert "还款能力·现金：不能为负数" in message


def test_a_settlement_before_the_performance_period_ended_is_refused():
    data = example_input()
    data["judgment"]["performance_deadline"] = "2025-12-31"
    with pytest.raises(SettlementError, match="尚未进入迟延履行期间"):
        load_input(data)


def test_the_same_party_on_both_sides_is_refused():
    data = example_input()
    data["creditor"]["id_number"] = data["debtor"]["id_number"]
    with pytest.raises(SettlementError, match="不能是同一主体"):
        load_input(data)


def test_a_capacity_table_in_csv_is_summed_by_category():
    capacity = capacity_from_csv(CSV_TABLE.encode("utf-8"))
    assert capacity.monthly_income == Decimal("650000")
    assert capacity.monthly_expenses == Decimal("480000.50")
    assert capacity.cash == Decimal("150000") and capacity.receivables == Decimal("400000")
    assert [(a.description, a.may_keep_using) for a in capacity.seized_assets] == [("厂房", True), ("设备", False)]
    assert capacity.other_enforcement_debts[0].monthly_payment == Decimal("5000")


def test_a_csv_saved_by_excel_in_gb18030_is_read_too():
    assert capacity_from_csv(CSV_TABLE.encode("gb18030")).monthly_income == Decimal("650000")


def test_the_same_table_in_xlsx_gives_the_same_capacity(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(CSV_TABLE.strip().splitlines()):
        sheet.append(row)
    sheet.append(["月收入", "补贴", 1000, None, None])  # numbers typed as numbers
    path = tmp_path / "capacity.xlsx"
    workbook.save(path)
    capacity = capacity_from_file(path, max_bytes=5 * 1024 * 1024)
    assert capacity.monthly_income == Decimal("651000")
    assert len(capacity.seized_assets) == 2


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("项目,金额\n月收入,1\n", "表头应为"),
        ("类别,名称,金额,可继续使用,月还款\n利润,x,1,,\n", "第2行：类别“利润”无法识别"),
        ("类别,名称,金额,可继续使用,月还款\n现金,x,一万,,\n", "第2行：金额“一万”不是数字"),
        ("类别,名称,金额,可继续使用,月还款\n现金,x,1.005,,\n", "最多保留两位小数"),
        ("类别,名称,金额,可继续使用,月还款\n查封财产,厂房,1,也许,\n", "“可继续使用”应填“是”或“否”"),
        ("类别,名称,金额,可继续使用,月还款\n其他执行债务,浙0411执88号,1,,\n", "案号"),
    ],
)
def test_a_malformed_capacity_table_names_the_row_and_the_problem(table, message):
    with pytest.raises(SettlementError, match=message):
        capacity_from_csv(table.encode("utf-8"))


def test_a_file_that_is_not_a_workbook_or_is_too_large_is_refused(tmp_path):
    with pytest.raises(SettlementError, match="XLSX 文件无法打开"):
        capacity_from_xlsx(b"PK\x03\x04 not really a zip")
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(SettlementError, match="超过"):
        capacity_from_file(big, max_bytes=1024)
    text_file = tmp_path / "capacity.txt"
    text_file.write_text("现金,1")
    with pytest.raises(SettlementError, match="只支持"):
        capacity_from_file(text_file, max_bytes=1024)
