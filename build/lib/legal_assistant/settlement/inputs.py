"""The settlement input file: case, parties, judgment, the debtor's capacity, negotiation choices.

Validated with pydantic; every problem is reported in zh-CN with the field's Chinese label, and
identities are checked by :mod:`legal_assistant.identity` (python-stdnum underneath).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from legal_assistant import identity
from legal_assistant.settlement.case_number import CaseNumber, parse_case_number, parse_enforcement_case_number
from legal_assistant.settlement.errors import SettlementError

EXAMPLE_FILE = Path(__file__).parent / "data" / "example_input.json"
MAX_IMPORT_ROWS = 2000

NonNegativeAmount = Field(ge=0, decimal_places=2)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Party(_Strict):
    name: str
    kind: Literal["organization", "individual"]
    id_number: str
    representative: str = ""  # 法定代表人 / 负责人 (organisations)
    address: str = ""
    mobile: str = ""

    @model_validator(mode="after")
    def _identity_is_valid(self) -> "Party":
        problems = identity.validate_party(name=self.name, kind=self.kind, id_number=self.id_number, mobile=self.mobile or None)
        if problems:
            raise ValueError("；".join(p.message for p in problems))
        self.id_number = identity.normalize_id_number(self.id_number)
        return self

    @property
    def id_label(self) -> str:
        return "统一社会信用代码" if self.kind == identity.ORGANIZATION else "公民身份号码"


class GeneralInterest(_Strict):
    """一般债务利息 as the judgment sets it: a yearly rate on the unpaid principal from a start date."""

    annual_rate: Decimal = Field(ge=0, le=1)
    start_date: date
    end_date: date | None = None  # None: 计算至实际清偿之日
    day_count: Literal[360, 365] = 365
    description: str = ""  # e.g. 按一年期LPR 3.45% 计算


class Judgment(_Strict):
    document: str  # 执行依据，如（2024）浙0402民初5678号民事判决书
    principal: Decimal = NonNegativeAmount
    general_interest: GeneralInterest | None = None
    litigation_fee: Decimal = NonNegativeAmount  # 案件受理费（判决由被执行人负担的部分）
    execution_fee: Decimal = NonNegativeAmount  # 申请执行费
    performance_deadline: date  # 判决确定的履行期间届满之日
    # The judgment orders the debtor to pay the 受理费 to the creditor: then it is a money debt the
    # judgment fixed, and 加倍部分债务利息 accrues on it like on the principal.
    litigation_fee_in_delay_base: bool = True


class Payment(_Strict):
    paid_on: date
    amount: Decimal = Field(gt=0, decimal_places=2)
    note: str = ""


class SeizedAsset(_Strict):
    description: str
    value: Decimal = NonNegativeAmount
    may_keep_using: bool = False  # 活查封：查封后被执行人仍可使用


class OtherEnforcementDebt(_Strict):
    case_number: str
    amount_owed: Decimal = NonNegativeAmount
    monthly_payment: Decimal = NonNegativeAmount

    @field_validator("case_number")
    @classmethod
    def _case_number_is_valid(cls, value: str) -> str:
        return parse_case_number(value).text


class Capacity(_Strict):
    """Organisations: monthly revenue and operating costs. Individuals: income and necessary living expenses."""

    monthly_income: Decimal = NonNegativeAmount
    monthly_expenses: Decimal = NonNegativeAmount
    cash: Decimal = Field(default=Decimal("0"), ge=0, decimal_places=2)
    receivables: Decimal = Field(default=Decimal("0"), ge=0, decimal_places=2)
    seized_assets: list[SeizedAsset] = []
    other_enforcement_debts: list[OtherEnforcementDebt] = []


class Guarantor(Party):
    guarantee: str = "连带责任保证"  # or 以某财产提供抵押担保
    consents_to_direct_enforcement: bool = True


class Negotiation(_Strict):
    as_of: date  # 和解方案的计算基准日（通常为拟签署日）
    terms_months: list[int] | None = None
    shapes: list[Literal["equal", "rising"]] | None = None
    max_share_of_free_cash_flow: Decimal | None = Field(default=None, gt=0, le=1)
    down_payment: Decimal | None = Field(default=None, ge=0, decimal_places=2)
    grace_days: int | None = Field(default=None, ge=0, le=90)
    execution_fee_borne_by: Literal["debtor", "creditor"] = "debtor"
    guarantor: Guarantor | None = None
    creditor_account: str = ""  # 收款账户
    release_seizure_after_down_payment: bool = True

    @field_validator("terms_months")
    @classmethod
    def _terms_are_sensible(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and any(not 1 <= months <= 120 for months in value):
            raise ValueError("分期月数应在1至120之间")
        return value


class SettlementInput(_Strict):
    case_number: str
    court: str = Field(min_length=4)
    creditor: Party
    debtor: Party
    judgment: Judgment
    payments_before: list[Payment] = []  # 和解前已履行的款项
    capacity: Capacity
    negotiation: Negotiation

    @field_validator("case_number")
    @classmethod
    def _enforcement_case_number(cls, value: str) -> str:
        return parse_enforcement_case_number(value).text

    @model_validator(mode="after")
    def _dates_are_consistent(self) -> "SettlementInput":
        as_of = self.negotiation.as_of
        if self.judgment.performance_deadline > as_of:
            raise ValueError("履行期间届满日晚于计算基准日：尚未进入迟延履行期间，不需要执行和解")
        interest = self.judgment.general_interest
        if interest and interest.end_date and interest.end_date < interest.start_date:
            raise ValueError("一般债务利息的截止日早于起算日")
        if any(p.paid_on > as_of for p in self.payments_before):
            raise ValueError("已履行款项的日期不能晚于计算基准日")
        if self.creditor.id_number == self.debtor.id_number:
            raise ValueError("申请执行人与被执行人不能是同一主体")
        return self

    @property
    def parsed_case_number(self) -> CaseNumber:
        return parse_case_number(self.case_number)


# ---- zh-CN error messages ----------------------------------------------------------------
FIELD_LABELS = {
    "case_number": "案号", "court": "执行法院", "creditor": "申请执行人", "debtor": "被执行人",
    "name": "名称/姓名", "kind": "主体类型", "id_number": "证件号码", "mobile": "手机号码",
    "judgment": "执行依据", "document": "执行依据文书", "principal": "本金",
    "general_interest": "一般债务利息", "annual_rate": "年利率", "start_date": "起算日", "end_date": "截止日",
    "day_count": "计息天数基准", "litigation_fee": "案件受理费", "execution_fee": "申请执行费",
    "performance_deadline": "履行期间届满日", "payments_before": "和解前已付款", "paid_on": "付款日",
    "amount": "金额", "capacity": "还款能力", "monthly_income": "月收入", "monthly_expenses": "月支出",
    "cash": "现金", "receivables": "应收账款", "seized_assets": "被查封财产", "value": "价值",
    "other_enforcement_debts": "其他执行案件欠款", "amount_owed": "欠款金额", "monthly_payment": "月还款额",
    "negotiation": "协商参数", "as_of": "计算基准日", "terms_months": "分期月数", "shapes": "还款形态",
    "max_share_of_free_cash_flow": "每期占自由现金流上限", "down_payment": "首付款", "grace_days": "宽限天数",
    "guarantor": "担保人", "description": "说明",
}
_ERROR_TEXT = {
    "missing": "缺少必填项",
    "extra_forbidden": "不是可识别的字段",
    "decimal_parsing": "应为数字金额",
    "decimal_type": "应为数字金额",
    "decimal_max_places": "最多保留两位小数（到分）",
    "greater_than_equal": "不能为负数",
    "greater_than": "应大于0",
    "less_than_equal": "超出允许的上限",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "literal_error": "取值不在允许范围内",
    "string_too_short": "内容过短",
    "bool_parsing": "应为“是/否”（true/false）",
    "int_parsing": "应为整数",
    "list_type": "应为列表",
    "model_type": "应为对象",
}


def _field_path(location: tuple[Any, ...]) -> str:
    parts = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"第{part + 1}项")
        else:
            parts.append(FIELD_LABELS.get(str(part), str(part)))
    return "·".join(parts)


def describe_validation_error(error: ValidationError) -> str:
    messages = []
    for item in error.errors():
        path = _field_path(item["loc"])
        if item["type"] == "value_error":
            text = str(item["ctx"]["error"])
        else:
            text = _ERROR_TEXT.get(item["type"], "格式不正确")
        messages.append(f"{path}：{text}" if path else text)
    return "输入有误：" + "；".join(messages)


def load_input(data: dict[str, Any]) -> SettlementInput:
    try:
        return SettlementInput.model_validate(data)
    except ValidationError as error:
        raise SettlementError(describe_validation_error(error)) from None


def load_input_file(path: Path) -> SettlementInput:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettlementError(f"找不到输入文件：{path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SettlementError(f"输入文件不是有效的 UTF-8 JSON：{error}") from None
    if not isinstance(data, dict):
        raise SettlementError("输入文件应为一个 JSON 对象")
    return load_input(data)


def example_input() -> dict[str, Any]:
    return json.loads(EXAMPLE_FILE.read_text(encoding="utf-8"))


# ---- capacity import from CSV / XLSX -----------------------------------------------------
# One row per item, summed by category, so a finance clerk can paste a ledger extract:
#   类别,名称,金额,可继续使用,月还款
CAPACITY_COLUMNS = ("类别", "名称", "金额", "可继续使用", "月还款")
CAPACITY_CATEGORIES = ("月收入", "月支出", "现金", "应收账款", "查封财产", "其他执行债务")
_YES = {"是", "y", "yes", "true", "1", "活查封"}
_NO = {"", "否", "n", "no", "false", "0"}


def _amount(text: Any, where: str) -> Decimal:
    cleaned = str(text if text is not None else "").replace(",", "").replace("，", "").replace("元", "").replace("¥", "").strip()
    if not cleaned:
        return Decimal("0")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise SettlementError(f"{where}：金额“{text}”不是数字") from None
    if not value.is_finite() or value < 0:
        raise SettlementError(f"{where}：金额不能为负数或非数字")
    if value != value.quantize(Decimal("0.01")):
        raise SettlementError(f"{where}：金额最多保留两位小数（到分）")
    return value


def capacity_from_rows(rows: list[list[Any]]) -> Capacity:
    """Rows after the header (类别, 名称, 金额, 可继续使用, 月还款) → Capacity."""
    if len(rows) > MAX_IMPORT_ROWS:
        raise SettlementError(f"还款能力表超过 {MAX_IMPORT_ROWS} 行，请拆分后导入")
    totals = {category: Decimal("0") for category in ("月收入", "月支出", "现金", "应收账款")}
    assets: list[SeizedAsset] = []
    debts: list[OtherEnforcementDebt] = []
    for index, raw in enumerate(rows, start=2):
        cells = [("" if cell is None else str(cell)).strip() for cell in list(raw) + [""] * 5][:5]
        if not any(cells):
            continue
        category, name, amount_text, keep_using, monthly = cells
        where = f"第{index}行"
        if category not in CAPACITY_CATEGORIES:
            raise SettlementError(f"{where}：类别“{category}”无法识别，应为：{'、'.join(CAPACITY_CATEGORIES)}")
        amount = _amount(amount_text, where)
        if category in totals:
            totals[category] += amount
        elif category == "查封财产":
            flag = keep_using.lower()
            if flag not in _YES | _NO:
                raise SettlementError(f"{where}：“可继续使用”应填“是”或“否”")
            assets.append(SeizedAsset(description=name or "被查封财产", value=amount, may_keep_using=flag in _YES))
        else:
            try:
                debts.append(OtherEnforcementDebt(case_number=name, amount_owed=amount, monthly_payment=_amount(monthly, where)))
            except ValidationError as error:
                raise SettlementError(f"{where}：{describe_validation_error(error)}") from None
    return Capacity(
        monthly_income=totals["月收入"],
        monthly_expenses=totals["月支出"],
        cash=totals["现金"],
        receivables=totals["应收账款"],
        seized_assets=assets,
        other_enforcement_debts=debts,
    )


def _check_header(header: list[Any]) -> None:
    names = [("" if cell is None else str(cell)).strip() for cell in header][:3]
    if names != list(CAPACITY_COLUMNS[:3]):
        raise SettlementError(f"还款能力表的表头应为：{','.join(CAPACITY_COLUMNS)}")


def capacity_from_csv(content: bytes) -> Capacity:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GB18030
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SettlementError("CSV 文件编码无法识别，请另存为 UTF-8")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise SettlementError("CSV 文件为空")
    _check_header(rows[0])
    return capacity_from_rows(rows[1:])


def capacity_from_xlsx(content: bytes) -> Capacity:
    from openpyxl import load_workbook
    from zipfile import BadZipFile

    try:  # read-only, values only: formulas and macros in an uploaded workbook are never run
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise SettlementError("XLSX 文件无法打开，请确认是 Excel 2007 及以上格式") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 2):
            rows.append(list(row))
    finally:
        workbook.close()
    if not rows:
        raise SettlementError("XLSX 文件第一个工作表为空")
    _check_header(rows[0])
    return capacity_from_rows(rows[1:])


def capacity_from_file(path: Path, max_bytes: int) -> Capacity:
    if not path.exists():
        raise SettlementError(f"找不到还款能力文件：{path}")
    if path.stat().st_size > max_bytes:
        raise SettlementError(f"还款能力文件超过 {max_bytes // (1024 * 1024)} MB 上限")
    content = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return capacity_from_csv(content)
    if suffix == ".xlsx":
        return capacity_from_xlsx(content)
    raise SettlementError("还款能力文件只支持 .csv 或 .xlsx")
