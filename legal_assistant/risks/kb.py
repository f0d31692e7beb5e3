"""The enterprise risk knowledge base: themes, risk points and the self-check questionnaire.

Everything lives as YAML under ``risks/`` at the project root (one file per theme in ``risks/kb/``)
so a lawyer can review and edit it without touching code. This module only validates and loads it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from legal_assistant.settings import PROJECT_ROOT

KB_ROOT = PROJECT_ROOT / "risks"

Severity = Literal["high", "medium", "low"]
LikelihoodLevel = Literal["high", "medium", "low"]

SEVERITY_WEIGHT: dict[str, int] = {"high": 3, "medium": 2, "low": 1}
SEVERITY_LABEL: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}
LIKELIHOOD_BASE: dict[str, float] = {"high": 0.6, "medium": 0.4, "low": 0.2}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """A test on one earlier answer, e.g. ``{q: headcount, gte: 1}`` or ``{q: industry, in: [food]}``."""

    q: str
    eq: Any = None
    ne: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    gte: float | None = None
    lte: float | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _exactly_one_operator(self) -> "Condition":
        given = [op for op in ("eq", "ne", "in_", "gte", "lte") if getattr(self, op) is not None]
        if len(given) != 1:
            raise ValueError(f"条件 {self.q} 必须恰好给出一个比较运算（eq/ne/in/gte/lte），实际为 {given}")
        return self

    def holds(self, answers: dict[str, Any]) -> bool:
        """True when the answer satisfies the test; an unanswered question never satisfies it."""
        if self.q not in answers or answers[self.q] is None:
            return False
        value = answers[self.q]
        if self.eq is not None:
            return value == self.eq
        if self.ne is not None:
            return value != self.ne
        if self.in_ is not None:
            return value in self.in_
        try:
            number = float(value)
        except (TypeError, ValueError):
            return False
        if self.gte is not None:
            return number >= self.gte
        return number <= self.lte  # type: ignore[operator]

    def describe(self, questions: dict[str, "Question"], answers: dict[str, Any]) -> str:
        """The answer that satisfied this condition, e.g. "为全部员工足额缴纳社会保险：否"."""
        question = questions.get(self.q)
        value = answers.get(self.q)
        if question is None:
            return f"{self.q}：{value}"
        return f"{question.text}：{question.label_for(value)}"


Conditions = list[Condition]


def _as_list(value: Any) -> Any:
    """``applies_if`` may be one condition or a list (all must hold)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def all_hold(conditions: Conditions, answers: dict[str, Any]) -> bool:
    return all(c.holds(answers) for c in conditions)


class CitationRef(_Strict):
    """A legal basis as a lawyer writes it: ``劳动合同法第八十二条``.

    ``version`` pins a deliberately older version (YYYY-MM-DD); without it the citation must resolve
    to the version currently in force in the corpus.
    """

    ref: str
    version: str | None = None
    note: str | None = None

    @field_validator("version")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None and not (len(value) == 10 and value[4] == "-" and value[7] == "-"):
            raise ValueError(f"version 必须是 YYYY-MM-DD 格式：{value}")
        return value


class Likelihood(_Strict):
    base: LikelihoodLevel
    hints: list[str] = []
    raise_if: Conditions = []
    lower_if: Conditions = []


class RiskPoint(_Strict):
    id: str
    title: str
    triggers: list[str] = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    severity: Severity
    likelihood: Likelihood
    applies_if: Conditions = []
    consequences: list[str] = Field(min_length=1)
    remediation: list[str] = Field(min_length=1)
    citations: list[CitationRef] = Field(min_length=1)
    theme: str = ""  # filled from the file it is in

    @field_validator("applies_if", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_list(value)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABEL[self.severity]


class Theme(_Strict):
    key: str
    name: str
    prefix: str
    description: str
    checklist: list[str] = Field(min_length=1)
    key_articles: list[CitationRef] = Field(min_length=1)
    case_keywords: list[str] = []


class Option(_Strict):
    value: str
    label: str


class Question(_Strict):
    id: str
    text: str
    kind: Literal["bool", "choice", "number"]
    section: str
    options: list[Option] = []
    help: str | None = None
    applies_if: Conditions = []
    any_of: Conditions = []  # alternative gate: at least one must hold (besides all applies_if)
    example: Any = None

    @field_validator("applies_if", "any_of", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_list(value)

    @model_validator(mode="after")
    def _choices_have_options(self) -> "Question":
        if self.kind == "choice" and not self.options:
            raise ValueError(f"单选题 {self.id} 缺少 options")
        return self

    def applies(self, answers: dict[str, Any]) -> bool:
        if not all_hold(self.applies_if, answers):
            return False
        return not self.any_of or any(c.holds(answers) for c in self.any_of)

    def label_for(self, value: Any) -> str:
        if self.kind == "bool":
            return "是" if value is True else "否" if value is False else str(value)
        for option in self.options:
            if option.value == value:
                return option.label
        return str(value)

    def accepts(self, value: Any) -> bool:
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        return value in {o.value for o in self.options}


class KnowledgeBase(_Strict):
    themes: list[Theme]
    risks: list[RiskPoint]
    questions: list[Question]

    @model_validator(mode="after")
    def _consistent(self) -> "KnowledgeBase":
        problems: list[str] = []
        prefixes = {t.key: t.prefix for t in self.themes}
        seen: set[str] = set()
        for risk in self.risks:
            if risk.id in seen:
                problems.append(f"风险点编号重复：{risk.id}")
            seen.add(risk.id)
            prefix = prefixes.get(risk.theme)
            if prefix is None:
                problems.append(f"{risk.id} 的主题 {risk.theme} 未在 themes.yaml 中定义")
            elif not risk.id.startswith(prefix + "-"):
                problems.append(f"{risk.id} 的编号前缀应为 {prefix}-")
        question_ids = [q.id for q in self.questions]
        if len(set(question_ids)) != len(question_ids):
            problems.append("问卷题目编号重复")
        known: set[str] = set()
        for question in self.questions:  # a gate may only look at questions asked before it
            for cond in [*question.applies_if, *question.any_of]:
                if cond.q not in known:
                    problems.append(f"问题 {question.id} 的适用条件引用了未在其之前出现的问题 {cond.q}")
            known.add(question.id)
        for risk in self.risks:
            conds = [*risk.applies_if, *risk.likelihood.raise_if, *risk.likelihood.lower_if]
            for cond in conds:
                if cond.q not in known:
                    problems.append(f"{risk.id} 引用了不存在的问卷题目 {cond.q}")
        if problems:
            raise ValueError("；".join(problems))
        return self

    # ---- lookups --------------------------------------------------------------------------
    @property
    def risk_by_id(self) -> dict[str, RiskPoint]:
        return {r.id: r for r in self.risks}

    @property
    def theme_by_key(self) -> dict[str, Theme]:
        return {t.key: t for t in self.themes}

    @property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def risks_of(self, theme_key: str) -> list[RiskPoint]:
        return [r for r in self.risks if r.theme == theme_key]


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def read_kb(root: Path = KB_ROOT) -> KnowledgeBase:
    """Parse and validate the YAML files under ``root`` (raises ``pydantic.ValidationError``)."""
    themes_doc = _read_yaml(root / "themes.yaml")
    risks: list[dict[str, Any]] = []
    for theme in themes_doc["themes"]:
        path = root / "kb" / f"{theme['key']}.yaml"
        doc = _read_yaml(path)
        if doc.get("theme") != theme["key"]:
            raise ValueError(f"{path.name} 中的 theme 应为 {theme['key']}")
        risks.extend({**risk, "theme": theme["key"]} for risk in doc["risks"])
    questions = _read_yaml(root / "questionnaire.yaml")["questions"]
    return KnowledgeBase(themes=themes_doc["themes"], risks=risks, questions=questions)


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The project's knowledge base, validated once per process."""
    return read_kb(KB_ROOT)
