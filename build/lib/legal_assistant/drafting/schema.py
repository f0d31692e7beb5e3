"""Contract templates as data: clause text and a field schema in YAML, validated user input in Python.

A template file under ``templates/contracts/<id>.yaml`` holds the parties, the fields (type,
required, limits, the legal basis of each legal limit), cross-field rules and the clause text with
Jinja placeholders. Clauses shared by every contract (dispute resolution, notices, signatures) live
in ``templates/contracts/_common.yaml`` and are pulled in with ``- use: <key>``.

:func:`validate` turns a user's JSON into a render context (amounts in figures and Chinese
capitals, dates as 年月日, clause numbers) or a list of :class:`FieldError` — never both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import cn2an
import yaml
from jinja2 import Environment, StrictUndefined

from legal_assistant.identity import (
    INDIVIDUAL,
    ORGANIZATION,
    FieldError,
    find_same_party_on_both_sides,
    normalize_id_number,
    normalize_mobile,
    validate_party,
    validate_uscc,
)
from legal_assistant.settings import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates" / "contracts"
COMMON_FILE = "_common.yaml"
KIND_LABELS = {ORGANIZATION: "单位", INDIVIDUAL: "自然人"}
ID_LABELS = {ORGANIZATION: "统一社会信用代码", INDIVIDUAL: "居民身份证号码"}

_EXPRESSIONS = Environment(undefined=StrictUndefined)


class TemplateNotFound(LookupError):
    pass


@dataclass(frozen=True)
class PartyRole:
    key: str  # "party_a"
    label: str  # "甲方（出卖人）"
    short: str  # "甲方"
    kinds: tuple[str, ...]
    when: str | None = None  # optional party (e.g. a guarantor), present only when this holds


@dataclass(frozen=True)
class Clause:
    key: str
    heading: str
    paragraphs: tuple[str, ...]
    when: str | None = None  # Jinja expression over the context; clause omitted when false
    basis: tuple[str, ...] = ()  # statutes the clause text follows, checked against the corpus


@dataclass
class ContractTemplate:
    id: str
    title: str
    summary: str
    legal_basis: list[str]
    parties: list[PartyRole]
    fields: dict[str, dict[str, Any]]
    rules: list[dict[str, Any]]
    preamble: list[str]
    clauses: list[Clause]
    source: Path
    constants: dict[str, Any] = field(default_factory=dict)

    @property
    def docx_path(self) -> Path:
        return self.source.with_suffix(".docx")

    def example(self) -> dict[str, Any]:
        """A complete, valid data file: every field's ``example`` plus example parties."""
        data: dict[str, Any] = {}
        for index, role in enumerate(self.parties):
            data[role.key] = dict(_EXAMPLE_PARTIES[role.kinds[0]][index])
        for name, spec in self.fields.items():
            if "example" in spec:
                data[name] = spec["example"]
        return data


# Check digits computed with python-stdnum; the people and firms are fictitious.
_EXAMPLE_PARTIES = {
    ORGANIZATION: [
        {"kind": ORGANIZATION, "name": "北京嘉禾科技有限公司", "id_number": "91110108MA01ABCD0B",
         "representative": "王明", "address": "北京市海淀区中关村大街1号", "mobile": "13812345678"},
        {"kind": ORGANIZATION, "name": "上海浦江贸易有限公司", "id_number": "91310115MA1K3XYW03",
         "representative": "李华", "address": "上海市浦东新区世纪大道100号", "mobile": "13987654321"},
        {"kind": ORGANIZATION, "name": "杭州西溪融资担保有限公司", "id_number": "91330100MA27XY1235",
         "representative": "陈静", "address": "浙江省杭州市西湖区文三路90号", "mobile": "18955556666"},
    ],
    INDIVIDUAL: [
        {"kind": INDIVIDUAL, "name": "张伟", "id_number": "110105199003071239",
         "address": "北京市朝阳区建国路8号", "mobile": "13611112222"},
        {"kind": INDIVIDUAL, "name": "刘芳", "id_number": "310104198512154565",
         "address": "上海市徐汇区漕溪北路20号", "mobile": "15033334444"},
        {"kind": INDIVIDUAL, "name": "赵强", "id_number": "440305199206207893",
         "address": "广东省深圳市南山区科技园路3号", "mobile": "17788889999"},
    ],
}


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


def _load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=64)
def load_template(template_id: str, templates_dir: Path = TEMPLATES_DIR) -> ContractTemplate:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", template_id or ""):
        raise TemplateNotFound(f"模板编号“{template_id}”不存在")
    path = templates_dir / f"{template_id}.yaml"
    if not path.is_file():
        raise TemplateNotFound(f"模板编号“{template_id}”不存在")
    raw = _load_yaml(path)
    common = _load_yaml(templates_dir / COMMON_FILE)
    fields = dict(common.get("fields", {}))
    fields.update(raw.get("fields", {}))
    clauses: list[Clause] = []
    for item in raw["clauses"]:
        source = common["clauses"][item["use"]] if "use" in item else item
        for name, spec in source.get("fields", {}).items():
            fields.setdefault(name, spec)
        clauses.append(
            Clause(
                key=item.get("use") or item["key"],
                heading=source["heading"],
                paragraphs=_paragraphs(source["text"]),
                when=item.get("when", source.get("when")),
                basis=tuple(source.get("basis", [])),
            )
        )
    return ContractTemplate(
        id=raw["id"],
        title=raw["title"],
        summary=raw.get("summary", ""),
        legal_basis=list(raw.get("legal_basis", [])),
        parties=[
            PartyRole(key=p["key"], label=p["label"], short=p.get("short", p["label"][:2]),
                      kinds=tuple(p.get("kinds", [ORGANIZATION, INDIVIDUAL])), when=p.get("when"))
            for p in raw["parties"]
        ],
        fields=fields,
        rules=list(common.get("rules", [])) + list(raw.get("rules", [])),
        preamble=list(_paragraphs(raw.get("preamble", common.get("preamble", "")))),
        clauses=clauses,
        source=path,
        constants=dict(common.get("constants", {})),
    )


def list_templates(templates_dir: Path = TEMPLATES_DIR) -> list[ContractTemplate]:
    return [
        load_template(path.stem, templates_dir)
        for path in sorted(templates_dir.glob("*.yaml"))
        if not path.name.startswith("_")
    ]


# ---------------------------------------------------------------------------------------------
# Values the templates print


@dataclass(frozen=True)
class Money:
    """An RMB amount printed as 人民币100,000.00元（大写：人民币壹拾万元整）."""

    amount: Decimal

    @property
    def figures(self) -> str:
        return f"{self.amount:,.2f}"

    @property
    def capital(self) -> str:
        return "人民币" + cn2an.an2cn(str(self.amount), "rmb")

    def __str__(self) -> str:
        return f"人民币{self.figures}元（大写：{self.capital}）"


@dataclass(frozen=True)
class DateValue:
    value: date

    def __str__(self) -> str:
        return f"{self.value.year}年{self.value.month}月{self.value.day}日"


def chinese_number(number: int) -> str:
    return cn2an.an2cn(number, "low")


def chinese_percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


# ---------------------------------------------------------------------------------------------
# Validation


def _is_active(spec: dict[str, Any], data: dict[str, Any]) -> bool:
    condition = spec.get("when")
    if not condition:
        return True
    return bool(_EXPRESSIONS.compile_expression(condition, undefined_to_none=True)(**data))


def _check_field(name: str, spec: dict[str, Any], raw: Any) -> tuple[Any, str | None]:
    """(typed value, None) or (None, zh-CN message) for one field."""
    label = spec.get("label", name)
    kind = spec.get("type", "string")
    if kind == "bool":
        if not isinstance(raw, bool):
            return None, f"{label}只能选择“是”或“否”"
        return raw, None
    if kind in ("string", "text"):
        text = str(raw).strip()
        if len(text) > spec.get("max_length", 200 if kind == "string" else 2000):
            return None, f"{label}不能超过{spec.get('max_length', 200 if kind == 'string' else 2000)}个字"
        if "pattern" in spec and not re.fullmatch(spec["pattern"], text):
            return None, spec.get("pattern_message", f"{label}格式不正确")
        return text, None
    if kind == "uscc":
        problem = validate_uscc(str(raw))
        return (None, problem) if problem else (normalize_id_number(str(raw)), None)
    if kind == "choice":
        if raw not in spec["choices"]:
            options = "、".join(str(v) for v in spec["choices"].values())
            return None, f"{label}只能选择：{options}"
        return raw, None
    if kind == "date":
        try:
            value = date.fromisoformat(str(raw))
        except ValueError:
            return None, f"{label}不是有效日期，请按“年-月-日”填写，如 2025-01-31"
        return value, None
    if kind in ("money", "integer", "percent", "decimal"):
        if isinstance(raw, bool):
            return None, f"{label}应为数字"
        try:
            value = Decimal(str(raw).replace(",", "").strip())
        except InvalidOperation:
            return None, f"{label}应为数字"
        if not value.is_finite():
            return None, f"{label}应为数字"
        if kind == "integer" and value != value.to_integral_value():
            return None, f"{label}应为整数"
        if kind == "money" and value != value.quantize(Decimal("0.01")):
            return None, f"{label}最多保留两位小数（精确到分）"
        if "min" in spec and value < Decimal(str(spec["min"])):
            return None, spec.get("min_message", f"{label}不能小于{spec['min']}")
        if "max" in spec and value > Decimal(str(spec["max"])):
            return None, spec.get("max_message", f"{label}不能大于{spec['max']}")
        return (int(value) if kind == "integer" else value), None
    raise ValueError(f"unknown field type {kind!r} in template schema")


def _months_between(start: date, end: date) -> Decimal:
    """Whole months from start to end, counting a partial month as a fraction (for term limits)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return Decimal(months) + Decimal(end.day - start.day) / Decimal(31)


def _probation_limit_months(term_type: str, term_months: Decimal | None) -> int:
    """Longest probation 劳动合同法第十九条 allows for a contract term."""
    if term_type == "open_ended":
        return 6
    if term_type == "task_based" or term_months is None or term_months < 3:
        return 0
    if term_months < 12:
        return 1
    if term_months < 36:
        return 2
    return 6


def _apply_rule(rule: dict[str, Any], values: dict[str, Any], constants: dict[str, Any]) -> FieldError | None:
    kind = rule["type"]
    target = rule["field"]
    if values.get(target) is None:
        return None
    if "when" in rule and not _is_active(rule, values):
        return None
    if kind == "max_ratio":
        base = values.get(rule["of"])
        if base is not None and values[target] > base * Decimal(str(rule["ratio"])):
            return FieldError(target, rule["message"])
    elif kind == "min_ratio":
        base = values.get(rule["of"])
        if base is not None and values[target] < base * Decimal(str(rule["ratio"])):
            return FieldError(target, rule["message"])
    elif kind == "date_after":
        earlier = values.get(rule["after"])
        if earlier is not None and values[target] <= earlier:
            return FieldError(target, rule["message"])
    elif kind == "date_not_before":
        earlier = values.get(rule["after"])
        if earlier is not None and values[target] < earlier:
            return FieldError(target, rule["message"])
    elif kind == "max_months_between":
        start = values.get(rule["start"])
        if start is not None and _months_between(start, values[target]) > rule["months"]:
            return FieldError(target, rule["message"])
    elif kind == "rate_cap":
        # e.g. 年利率 ≤ 4 × 一年期LPR at signing (民间借贷规定第二十五条)
        reference = values.get(rule["reference"]) or Decimal(str(constants[rule["reference"]]))
        if values[target] > reference * Decimal(str(rule["multiple"])):
            return FieldError(target, rule["message"].format(cap=chinese_percent(reference * Decimal(str(rule["multiple"])))))
    elif kind == "probation_limit":
        term_type = values.get(rule["term_type"])
        start, end = values.get(rule["start"]), values.get(rule["end"])
        term = _months_between(start, end) if start and end else None
        limit = _probation_limit_months(term_type, term)
        if values[target] > limit:
            return FieldError(target, rule["message"].format(limit=limit))
    else:
        raise ValueError(f"unknown rule type {kind!r} in template schema")
    return None


@dataclass
class ValidationResult:
    errors: list[FieldError]
    context: dict[str, Any]
    parties: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return not self.errors


def _validate_parties(template: ContractTemplate, data: dict[str, Any]) -> tuple[list[FieldError], list[dict[str, Any]]]:
    errors: list[FieldError] = []
    parties: list[dict[str, Any]] = []
    for role in template.parties:
        if role.when and not _is_active({"when": role.when}, data):
            continue
        raw = data.get(role.key)
        if not isinstance(raw, dict):
            errors.append(FieldError(role.key, f"请填写{role.label}的信息"))
            continue
        kind = raw.get("kind", role.kinds[0])
        if kind not in role.kinds:
            allowed = "或".join(KIND_LABELS[k] for k in role.kinds)
            errors.append(FieldError(f"{role.key}.kind", f"{role.label}只能是{allowed}"))
            continue
        party_errors = validate_party(
            name=str(raw.get("name", "")), kind=kind, id_number=str(raw.get("id_number", "")),
            mobile=str(raw.get("mobile", "")), mobile_required=True, field_prefix=f"{role.key}.",
        )
        address = str(raw.get("address", "")).strip()
        if not address:
            party_errors.append(FieldError(f"{role.key}.address", "请填写住所（地址）"))
        representative = str(raw.get("representative", "")).strip()
        if kind == ORGANIZATION and not representative:
            party_errors.append(FieldError(f"{role.key}.representative", "请填写法定代表人或负责人"))
        errors.extend(party_errors)
        if party_errors:
            continue
        parties.append({
            "key": role.key, "role": role.label, "short": role.short, "kind": kind,
            "kind_label": KIND_LABELS[kind], "id_label": ID_LABELS[kind],
            "name": str(raw["name"]).strip(), "id_number": normalize_id_number(raw["id_number"]),
            "mobile": normalize_mobile(raw["mobile"]), "address": address,
            "representative": representative,
        })
    # The same person or firm may not appear in two roles of one contract.
    for index, party in enumerate(parties):
        duplicates = find_same_party_on_both_sides(parties[:index], [party], field_prefix_b="")
        errors.extend(FieldError(f"{party['key']}.id_number", e.message) for e in duplicates)
    return errors, parties


def validate(template: ContractTemplate, data: dict[str, Any]) -> ValidationResult:
    if not isinstance(data, dict):
        return ValidationResult([FieldError("", "数据文件应为JSON对象")], {}, [])
    errors, parties = _validate_parties(template, data)
    values: dict[str, Any] = {}
    # Booleans and choices first: they decide which other fields are active.
    ordered = sorted(template.fields.items(), key=lambda item: item[1].get("type") not in ("bool", "choice"))
    for name, spec in ordered:
        if not _is_active(spec, values):
            values[name] = None
            continue
        raw = data.get(name, spec.get("default"))
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.get("required", True):
                verb = "请选择" if spec.get("type") in ("bool", "choice") else "请填写"
                errors.append(FieldError(name, f"{verb}{spec.get('label', name)}"))
            values[name] = None
            continue
        value, problem = _check_field(name, spec, raw)
        if problem:
            errors.append(FieldError(name, problem))
        values[name] = value
    failed = {e.field for e in errors}
    for rule in template.rules:
        involved = {rule["field"], rule.get("of"), rule.get("after"), rule.get("start"), rule.get("reference")}
        if involved & failed:
            continue
        problem = _apply_rule(rule, values, template.constants)
        if problem:
            errors.append(problem)
            failed.add(problem.field)
    if errors:
        return ValidationResult(errors, {}, parties)
    return ValidationResult([], _context(template, values, parties), parties)


def _display(spec: dict[str, Any], value: Any) -> Any:
    kind = spec.get("type", "string")
    if value is None:
        return None
    if kind == "money":
        return Money(value)
    if kind == "date":
        return DateValue(value)
    if kind == "percent":
        return chinese_percent(value)
    if kind == "decimal":
        return f"{value.normalize():f}"
    if kind == "choice":
        return value  # the template prints labels through ``choice_labels``
    return value


def _context(template: ContractTemplate, values: dict[str, Any], parties: list[dict[str, Any]]) -> dict[str, Any]:
    context: dict[str, Any] = {"title": template.title, "constants": template.constants}
    for name, spec in template.fields.items():
        context[name] = _display(spec, values[name])
        if spec.get("type") == "integer" and values[name] is not None:
            context[f"{name}_cn"] = chinese_number(values[name])
        if spec.get("type") == "choice" and values[name] is not None:
            context[f"{name}_label"] = spec["choices"][values[name]]
    for role in template.parties:
        context[role.key] = None  # optional parties that are absent render as nothing
    for party in parties:
        context[party["key"]] = party
    context["parties"] = parties
    context["copies_cn"] = chinese_number(len(parties))  # one paper original per party
    # Clause numbers follow the clauses actually present, so optional clauses never leave gaps.
    numbers: dict[str, str] = {}
    for clause in template.clauses:
        if clause.when is None or _EXPRESSIONS.compile_expression(clause.when, undefined_to_none=True)(**context):
            numbers[clause.key] = f"第{chinese_number(len(numbers) + 1)}条"
    context["no"] = numbers
    return context
