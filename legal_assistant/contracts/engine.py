"""The contract reviewer: type detection, stance, generic checks driven by the YAML rule book, score."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from legal_assistant.contracts import numbers
from legal_assistant.contracts.facts import ContractFacts, extract_facts, sentences
from legal_assistant.contracts.rulebook import DIMENSIONS, Rule, RuleBook, expand_placeholders, get_rulebook
from legal_assistant.contracts.segment import Clause, ContractStructure, clause_key, section_key, sections, segment

STANCES = ("甲方", "乙方", "neutral")
SEVERITY_POINTS = {"high": 12, "medium": 6, "low": 2}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
STANCE_ALIASES = {"a": "甲方", "A": "甲方", "甲": "甲方", "b": "乙方", "B": "乙方", "乙": "乙方", "中立": "neutral", "": "neutral"}


@dataclass
class Finding:
    rule_id: str
    title: str
    severity: str
    dimension: str
    clause: str | None  # clause number as written (第五条, 3.2); None for a missing clause
    clause_key: str | None
    excerpt: str | None
    explanation: str
    suggestion: str
    citations: list[dict]
    risk_id: str | None = None
    paragraph_indices: list[int] = field(default_factory=list)
    at_risk: str = ""  # which side the clause burdens, in words
    source: str = "rule"  # rule | hint (相似条款提示: statistical, deducts no points)

    def as_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "severity": self.severity,
            "dimension": self.dimension,
            "clause": self.clause,
            "excerpt": self.excerpt,
            "explanation": self.explanation,
            "suggestion": self.suggestion,
            "citations": self.citations,
            "risk_id": self.risk_id,
            "at_risk": self.at_risk,
            "source": self.source,
        }


@dataclass
class ReviewResult:
    contract_type: str
    contract_type_name: str
    stance: str
    stance_role: str
    score: int
    dimensions: dict
    facts: ContractFacts
    findings: list[Finding]
    structure: ContractStructure
    title: str = ""
    filename: str = ""
    document_kind: str = "text"  # pdf | docx | txt | text (reviewed from a string)
    paragraph_texts: list[str] = field(default_factory=list)  # reading order; report comments anchor here

    @property
    def clauses(self) -> list[Clause]:
        return self.structure.clauses

    def counts(self) -> dict[str, int]:
        return {severity: sum(1 for f in self.findings if f.severity == severity) for severity in SEVERITY_POINTS}

    def as_dict(self) -> dict:
        return {
            "contract_type": self.contract_type,
            "contract_type_name": self.contract_type_name,
            "title": self.title,
            "stance": self.stance,
            "stance_role": self.stance_role,
            "score": self.score,
            "dimensions": self.dimensions,
            "facts": self.facts.as_dict(),
            "findings": [f.as_dict() for f in self.findings],
            "clauses": [{"clause": c.number, "heading": c.heading, "text": c.text} for c in self.structure.clauses],
        }


def normalise_stance(stance: str | None) -> str:
    stance = (stance or "").strip()
    stance = STANCE_ALIASES.get(stance, stance)
    if stance not in STANCES:
        raise ValueError(f"审查立场只能是 甲方、乙方 或 neutral（中立），收到：{stance}")
    return stance


# ---- type detection ------------------------------------------------------------------------
def detect_type(structure: ContractStructure, text: str, book: RuleBook) -> str:
    title = structure.title or ""
    for contract_type in book.types:
        if contract_type.id == "general":
            continue
        if not contract_type.title.search(title):
            continue
        if contract_type.title_excludes and contract_type.title_excludes.search(title):
            continue
        if contract_type.body_requires and not contract_type.body_requires.search(text):
            continue
        if contract_type.body_excludes and contract_type.body_excludes.search(text):
            continue
        return contract_type.id
    best, best_score = "general", 0
    for contract_type in book.types:
        if contract_type.body_excludes and contract_type.body_excludes.search(text):
            continue
        score = sum(min(text.count(word), 5) for word in contract_type.keywords)
        if score > best_score:
            best, best_score = contract_type.id, score
    return best if best_score >= 4 else "general"


# ---- stance --------------------------------------------------------------------------------
def _side_roles(structure: ContractStructure, contract_type: str, book: RuleBook) -> dict[str, set[str]]:
    """甲方/乙方 → abstract roles (worker, payer …) from the parties block, else the type's usual roles."""
    roles: dict[str, set[str]] = {}
    for party in structure.parties:
        words = {party.role} if party.role else set()
        found = set()
        for word in words:
            found.update(book.roles.get(word, ()))
        if found:
            roles.setdefault(party.side, set()).update(found)
    defaults = next((t.sides for t in book.types if t.id == contract_type), {})
    for side, role in defaults.items():
        if side not in roles:
            roles[side] = {role}
            roles[side].update(_implied_roles(role))
    return roles


def _implied_roles(role: str) -> set[str]:
    implied = {"landlord": {"payee"}, "tenant": {"payer"}, "lender": {"creditor", "payee"}, "borrower": {"debtor", "payer"}, "employer": {"payer"}, "worker": {"payee"}}
    return implied.get(role, set())


def _side_of_word(word: str, structure: ContractStructure) -> str | None:
    if word in ("甲方", "乙方", "丙方", "丁方"):
        return word
    for party in structure.parties:
        if party.role == word or party.side == word:
            return party.side
    return None


# ---- review --------------------------------------------------------------------------------
@dataclass
class _Context:
    book: RuleBook
    structure: ContractStructure
    text: str
    contract_type: str
    facts: ContractFacts
    stance: str
    side_roles: dict[str, set[str]]

    @cached_property
    def clause_texts(self) -> dict[str, str]:
        """Clause text by comparable number, for rules that follow a reference (违反第十一条…)."""
        return {clause_key(c.number): c.text for c in self.structure.clauses}

    @cached_property
    def sections(self) -> dict[str, list[Clause]]:
        return sections(self.structure.clauses)

    def section_text(self, clause: Clause) -> str:
        """The clause with its siblings under the same top-level number (四.1 and 四.2 are one 四)."""
        return "\n".join(c.text for c in self.sections[section_key(clause.number)])


def review_text(text: str, stance: str = "neutral", *, filename: str = "", paragraphs: list[tuple[int, str]] | None = None, book: RuleBook | None = None) -> ReviewResult:
    """Review contract text for one side (甲方/乙方) or neutrally; deterministic and offline."""
    stance = normalise_stance(stance)
    book = book or get_rulebook()
    if paragraphs is None:
        paragraphs = list(enumerate(text.split("\n")))
    structure = segment(paragraphs)
    if not structure.clauses:
        # Unnumbered text: every paragraph after the parties block is reviewed as its own unit.
        structure.clauses = [
            Clause(number=f"第{n}段", key=f"p{n}", heading="", text=para, paragraph_indices=[], level=1)
            for n, para in enumerate(structure.preamble, start=1)
        ]
        structure.preamble = []
    contract_type = detect_type(structure, text, book)
    facts = extract_facts(structure, text, book.lpr_on)
    signed = facts.signing_date or facts.start_date
    if signed is None:
        facts.lpr_note = f"未识别到签订日期，按最近一期一年期 LPR（{facts.lpr_date} 公布）计算上限。"
    elif signed.isoformat() > book.lpr_last_checked:
        facts.lpr_note = f"签订日期晚于 LPR 表最后核对日（{book.lpr_last_checked}），按最后已知的一年期 LPR 计算，请核对当期公布值。"
    side_roles = _side_roles(structure, contract_type, book)
    context = _Context(book, structure, text, contract_type, facts, stance, side_roles)
    findings: list[Finding] = []
    for rule in book.rules:
        if not rule.applies(contract_type):
            continue
        if rule.contract_requires and not all(p.search(text) for p in rule.contract_requires):
            continue
        if rule.contract_unless and any(p.search(text) for p in rule.contract_unless):
            continue
        if rule.kind == "pattern":
            findings.extend(_pattern_findings(rule, context))
        elif rule.kind == "numeric":
            findings.extend(_numeric_findings(rule, context))
        else:
            finding = _missing_finding(rule, context)
            if finding:
                findings.append(finding)
    findings.extend(_hint_findings(context, findings))
    order = {"high": 0, "medium": 1, "low": 2}
    clause_order = {clause.number: n for n, clause in enumerate(structure.clauses)}
    findings.sort(key=lambda f: (f.clause is None, clause_order.get(f.clause or "", 9999), order[f.severity], f.rule_id))
    score, dimensions = score_findings([f for f in findings if f.source == "rule"])
    stance_role = _roles_zh(side_roles.get(stance, set())) if stance != "neutral" else ""
    return ReviewResult(
        contract_type=contract_type,
        contract_type_name=book.type_name(contract_type),
        stance=stance,
        stance_role=stance_role,
        score=score,
        dimensions=dimensions,
        facts=facts,
        findings=findings,
        structure=structure,
        title=structure.title,
        filename=filename,
        paragraph_texts=[line for _, line in paragraphs],
    )


def _hint_findings(context: _Context, findings: list[Finding]) -> list[Finding]:
    """相似条款提示 (see contracts.hints): for a top-level clause no rule flagged, a prompt to check it;
    for one a rule flagged, the further articles similar labelled clauses rest on, when the rule cites none of them."""
    from legal_assistant.contracts.hints import HINT_RULE_ID, get_hints, perspective

    hints = get_hints()
    if hints is None:
        return []
    ruled: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.clause:
            ruled.setdefault(section_key(finding.clause), []).append(finding)
    # A top-level clause with its sub-items (四 with 四.1, 四.2): a heading alone says nothing about risk.
    candidates = [key for key, members in context.sections.items() if not members[0].key.startswith("p")]
    sides = (context.stance,) if context.stance != "neutral" else ("甲方", "乙方")
    readers = [perspective(context.structure, side) for side in sides]
    views = [[read(context.section_text(context.sections[key][0])) for read in readers] for key in candidates]
    all_chances = hints.probabilities([view for per_clause in views for view in per_clause]).reshape(len(candidates), len(sides))
    results = []
    for key, clause_views, chances in zip(candidates, views, all_chances):
        best = int(np.argmax(chances))
        if chances[best] < hints.threshold:
            continue
        references, nearest = hints.basis(clause_views[best])
        rule_findings = ruled.get(key, [])
        cited = {article_key(c["law"], c["article"]) for f in rule_findings for c in f.citations}
        citations = [hints.citations[r].as_dict() for r in references]
        if rule_findings:
            if any(article_key(c["law"], c["article"]) in cited for c in citations):
                continue  # the rule already rests on what similar clauses rest on
            citations = [c for c in citations if article_key(c["law"], c["article"]) not in cited]
        if not citations or nearest is None:
            continue
        # The excerpt is the most hint-like sentence; the finding sits on the (sub-)clause holding it.
        parts = [(piece, c) for c in context.sections[key] for piece, _ in sentences(c.text)]
        if not parts:
            continue
        part_chances = hints.probabilities([readers[best](piece) for piece, _ in parts])
        excerpt, clause = parts[int(np.argmax(part_chances))]
        side = f"【{sides[best]}视角】" if context.stance != "neutral" else f"【对{sides[best]}而言】"
        example = f"最相近的一例：“{nearest.text[:80]}{'…' if len(nearest.text) > 80 else ''}”——{nearest.note.rstrip('。')}。"
        if rule_findings:
            titles = "、".join(dict.fromkeys(f"“{f.title}”" for f in rule_findings))
            title = "相似条款提示：类似条款还涉及其他依据，建议一并核对"
            explanation = (
                f"{side}规则已就本条提示{titles}；与本条写法相似的已标注风险条款（模型估计 {chances[best]:.0%}）还常以下列条文为依据。"
                f"{example}这是统计提示，不是法律认定，请对照核对这些条文是否也适用于本条。"
            )
        else:
            title = "相似条款提示：措辞接近已标注的风险条款，建议人工核对"
            explanation = (
                f"{side}规则库没有针对本条的规则，但本条的写法与其他合同中经审查标注为有风险的条款相似"
                f"（模型估计 {chances[best]:.0%}）。{example}"
                "这是统计提示，不是法律认定；所引条文是该类条款常涉及的依据，请对照核对本条是否同样存在问题。"
            )
        results.append(
            Finding(
                rule_id=HINT_RULE_ID,
                title=title,
                severity="low",
                dimension="compliance",
                clause=clause.number,
                clause_key=clause.key,
                excerpt=excerpt,
                explanation=explanation,
                suggestion="对照所引条文核对本条：是否加重我方义务、限制或排除我方权利、违反强制性规定；如有，建议删改为对等、明确的约定，拿不准时请咨询律师。",
                citations=citations,
                paragraph_indices=list(clause.paragraph_indices),
                source="hint",
            )
        )
    return results


def article_key(law: str, article: str) -> tuple[str, str]:
    """(law, article) as one article: 《中华人民共和国民法典》第五百八十五条第二款 ≡ 民法典第五百八十五条."""
    return re.sub(r"[《》\s]|中华人民共和国", "", law), re.sub(r"第[一二三四五六七八九十百零]+款$", "", article)


def _units(rule: Rule, clause: Clause) -> list[str]:
    if rule.scope in ("clause", "first_clause"):
        return [clause.text]
    return [sentence for sentence, _ in sentences(clause.text)]


def _pattern_findings(rule: Rule, context: _Context) -> list[Finding]:
    findings = []
    for clause in context.structure.clauses:
        for unit in _units(rule, clause):
            captured = _match_unit(rule, unit)
            if captured is None:
                continue
            if not all(p.search(unit) for p in rule.all):
                continue
            if _excluded(rule, unit, context):
                continue
            finding = _make_finding(rule, context, clause, unit, captured=captured or None)
            if finding:
                findings.append(finding)
                if rule.scope == "first_clause":
                    return findings  # a contract-level gap, shown once where the topic starts
                break  # one finding per rule and clause
    return findings


def _excluded(rule: Rule, unit: str, context: _Context) -> bool:
    if any(p.search(unit) for p in rule.unless):
        return True
    if not rule.unless_referenced:
        return False
    texts = [context.clause_texts.get(clause_key(number), "") for number in _CLAUSE_REFERENCE.findall(unit)]
    return any(p.search(text) for p in rule.unless_referenced for text in texts)


_CLAUSE_REFERENCE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")


def _match_unit(rule: Rule, unit: str) -> str | None:
    """'' or the party word captured by {PARTY} when the unit matches the rule; None when it does not."""
    for pattern in rule.any:
        match = pattern.search(unit)
        if match:
            return match.groupdict().get("party") or ""
    for group in rule.cooccur:
        matches = [pattern.search(unit) for pattern in group]
        if all(matches):
            return next((m.groupdict().get("party") for m in matches if m.groupdict().get("party")), "")
    return None


def _measure(rule: Rule, context: _Context, sentence: str, clause: Clause | None = None) -> list[float]:
    """The quantity a numeric rule compares, read from one sentence (after the ``near`` keyword)."""
    if rule.near:
        match = rule.near.search(sentence)
        if not match:
            return []
        # Read from a little before the keyword (30%的定金 puts the number first), but not across
        # a comma: "…6月30日止，其中前四个月为试用期" must read 四个月, not the 30日 of a date.
        start = max(0, match.start() - 12)
        boundary = max(sentence.rfind(mark, start, match.start()) for mark in "，,；;：:")
        segment_text = sentence[boundary + 1 if boundary >= 0 else start :]
    else:
        segment_text = sentence
    measure = rule.measure
    if measure == "share_of_contract_amount":
        shares = [p.value for p in numbers.percents(segment_text) if re.search(r"总|价|额|款|标的|租金|金额|费", segment_text)]
        if not shares and _AS_THE_KEYWORD.search(sentence):
            # 支付合同总价的30%，即100,800元，作为定金: the share is written before the keyword.
            shares = [p.value for p in numbers.percents(sentence)]
        if shares:
            return shares[:1]
        amount = context.facts.contract_amount
        # An amount is the deposit's only when written after the keyword (定金 150 万元); one before
        # it belongs to something else (首期 192 万元（已付定金抵作价款）).
        after_keyword = sentence[match.end():] if rule.near else segment_text
        found = [f.value for f in numbers.money(after_keyword)]
        if amount and found and found[0] < amount * 50:
            return [found[0] / amount]
        return []
    if measure == "annual_rate":
        # Rates are read in the whole sentence so that a period word before the window still counts
        # (按月……1.5% 的服务费 is monthly), but only those inside the window are taken.
        offset = len(sentence) - len(segment_text)
        raised = _RAISED.search(segment_text)
        if raised and context.facts.interest_rate_annual:
            # 罚息按借款利率上浮 50%: a relative increase on the contract rate, not a rate of its own.
            return [context.facts.interest_rate_annual * (1 + float(raised.group(1)) / 100)]
        rates = [r.value for r in numbers.annual_rates(sentence) if r.start >= offset][:1]
        if rates:
            return rates
        return _rate_from_amount(segment_text, context.facts.contract_amount)
    if measure == "daily_rate":
        # The period may open the sentence (每延误一日，乙方应按总价的1%支付违约金).
        if not _DAILY.search(sentence):
            return []
        # A share written as the cap (累计不超过总价的5%) is not the daily rate.
        offset = len(sentence) - len(segment_text)
        return [p.value for p in numbers.percents(segment_text) if not _CAP_BEFORE.search(sentence[max(0, offset + p.start - 14) : offset + p.start])][:1]
    if measure == "percent":
        shares = [p.value for p in numbers.percents(segment_text)][:1]
        if shares:
            return shares
        # 月薪 9000 元，试用期月薪 6000 元: the amount after the keyword against the other amounts.
        near_amounts = numbers.money(segment_text)
        others = [f.value for f in numbers.money(sentence) if near_amounts and f.value != near_amounts[0].value]
        if near_amounts and not others and clause is not None:
            # 1. 转正后月工资为5,200元。2. 试用期月工资为3,640元。: the pay it is a share of sits in the
            # clause's sentence about the regular wage.
            section = context.section_text(clause)
            regular = [numbers.money(s) for s, _ in sentences(section) if s != sentence and _REGULAR_PAY.search(s)]
            others = [found[0].value for found in regular if found]
        if near_amounts and others:
            return [near_amounts[0].value / max(others)]
        return []
    if measure in ("duration_months", "duration_days"):
        spans = numbers.durations_in_days(segment_text)
        if not spans:
            dated = numbers.dates(segment_text)
            if len(dated) >= 2 and dated[1][0] > dated[0][0]:
                months = numbers.months_between(dated[0][0], dated[1][0])
                return [months if measure == "duration_months" else months * 30.4375]
            months = _months_to_deadline(segment_text, dated, context.facts)
            if months is None:
                return []
            return [months if measure == "duration_months" else months * 30.4375]
        span = next((s for s in spans if s.value > 0), None)
        if span is None:
            return []
        return [span.months if measure == "duration_months" else span.value]
    if measure == "term_months":
        value = context.facts.term_months
        return [value] if value is not None else []
    return []


def _months_to_deadline(text: str, dated: list, facts: ContractFacts) -> float | None:
    """于2035年12月31日前缴足: one deadline date, counted from the signing (or start) date."""
    reference = facts.signing_date or facts.start_date
    if len(dated) != 1 or reference is None:
        return None
    deadline, start, end = dated[0]
    if deadline <= reference or not (_DEADLINE_AFTER.match(text[end:]) or _DEADLINE_BEFORE.search(text[:start])):
        return None
    return numbers.months_between(reference, deadline)


_DEADLINE_AFTER = re.compile(r"\s*(?:日)?(?:之前|以前|前|止|为止)")
_DEADLINE_BEFORE = re.compile(r"(?:至|到|截至|截止(?:到)?|不晚于|最迟(?:于|在)?)\s*$")
_REGULAR_PAY = re.compile(r"转正|正式(?:员工|工资|录用)|试用期满|合同工资")
_RAISED = re.compile(r"(?:上浮|上调|提高|加收|增加)\s*(\d+(?:\.\d+)?)\s*[%％]")
_FIRST_PARTY = re.compile(expand_placeholders("{PARTY}"))
_DAILY = re.compile(r"每(?:逾期|迟延|延迟|延误|拖延|超期|延期|晚|迟|发生)?(?:一)?[日天]|按[日天]|日(?:利率|息|费率|万分之|千分之)|/[日天]|每日|每天")


_AS_THE_KEYWORD = re.compile(r"(?:作为|作|为|充作|视为)(?:本合同的?)?(?:定金|订金|保证金|押金)")
_CAP_BEFORE = re.compile(r"累计|最高|上限|封顶|不超过|不得超过")
_AMOUNT_PERIOD = re.compile(r"(?:每|按)?(?P<count>[一二两三四五六七八九十\d]*)个?(?P<unit>日|天|月|季度?|年)")


def _rate_from_amount(text: str, principal: float | None) -> list[float]:
    """每月利息3000元 on a principal of 100,000 → 36% a year; interest written as money, not a rate."""
    if not principal:
        return []
    period = _AMOUNT_PERIOD.search(text)
    amounts = numbers.money(text)
    if not period or not amounts or amounts[0].value >= principal:
        return []
    count = numbers.to_number(period.group("count")) if period.group("count") else 1
    per_year = {"日": 365, "天": 365, "月": 12, "季": 4, "季度": 4, "年": 1}[period.group("unit")] / (count or 1)
    return [amounts[0].value * per_year / principal]


def _limit(rule: Rule, context: _Context) -> float | None:
    if rule.table:
        basis = context.facts.number(rule.table_fact) if rule.table_fact else None
        if basis is None:
            return rule.table[-1][1] if rule.value is None else rule.value
        limit = None
        for threshold, allowed in rule.table:
            if basis >= threshold:
                limit = allowed
        return limit
    if rule.fact:
        base = context.facts.number(rule.fact)
        return base * rule.factor if base is not None else None
    return rule.value


def _compare(value: float, op: str, limit: float) -> bool:
    return {">": value > limit + 1e-9, ">=": value >= limit - 1e-9, "<": value < limit - 1e-9, "<=": value <= limit + 1e-9}[op]


def _numeric_findings(rule: Rule, context: _Context) -> list[Finding]:
    limit = _limit(rule, context)
    if limit is None:
        return []
    findings = []
    for clause in context.structure.clauses:
        for sentence, _ in sentences(clause.text):
            if _excluded(rule, sentence, context) or not all(p.search(sentence) for p in rule.all):
                continue
            for value in _measure(rule, context, sentence, clause):
                if value == math.inf or not _compare(value, rule.op, limit):
                    continue
                # Numeric rules name no party in their pattern: the party a sentence starts with
                # (乙方逾期交付的，…支付违约金) is the one that bears the number.
                named = _FIRST_PARTY.search(sentence) if "party" in rule.risk_for or "other_party" in rule.risk_for else None
                finding = _make_finding(rule, context, clause, sentence, value=value, limit=limit, captured=named.group("party") if named else None)
                if finding:
                    findings.append(finding)
                    if rule.measure == "term_months":
                        return findings  # a contract-wide fact is reported once, where it is written
                break
            else:
                continue
            break
    return findings


def _missing_finding(rule: Rule, context: _Context) -> Finding | None:
    concept = context.book.concepts[rule.concept]
    searchable = "\n".join([context.structure.title, *context.structure.preamble, *(c.text for c in context.structure.clauses)])
    if concept.id == "parties":
        if len(context.structure.parties) >= 2 or concept.present_in(context.text):
            return None
    elif concept.present_in(searchable):
        return None
    return _make_finding(rule, context, None, None, concept_name=concept.name)


def _format(template: str, **values) -> str:
    class Default(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    return template.format_map(Default(values))


def _fmt_value(rule: Rule, value: float | None) -> str:
    if value is None:
        return ""
    if rule.measure in ("share_of_contract_amount", "annual_rate", "daily_rate", "percent"):
        return f"{value * 100:.2f}%".replace(".00%", "%")
    if rule.measure in ("duration_months", "term_months"):
        return f"{value:.1f} 个月".replace(".0 个月", " 个月")
    if rule.measure == "duration_days":
        return f"{value:.0f} 日"
    return f"{value:g}"


def _make_finding(rule: Rule, context: _Context, clause: Clause | None, excerpt: str | None, *, captured: str | None = None, value: float | None = None, limit: float | None = None, concept_name: str = "") -> Finding | None:
    at_risk_sides, at_risk_words = _at_risk(rule, context, captured)
    severity = rule.severity
    explanation = rule.explanation
    stance = context.stance
    if stance != "neutral" and at_risk_sides and stance not in at_risk_sides:
        if rule.other_side == "skip":
            return None
        severity = "low"
        explanation = rule.explanation_other_side or (
            rule.explanation + "（该条款主要不利于对方；但对您而言，相关约定可能无效或被调整，不宜依赖。）"
        )
    values = {
        "value": _fmt_value(rule, value),
        "limit": _fmt_value(rule, limit),
        "lpr": f"{context.facts.lpr_one_year}%" if context.facts.lpr_one_year is not None else "",
        "lpr_date": context.facts.lpr_date or "",
        "concept": concept_name,
        "type": context.book.type_name(context.contract_type),
        "party": captured or "一方",
    }
    prefix = ""
    if stance != "neutral":
        role = "、".join(sorted(context.side_roles.get(stance, ()))) or stance
        prefix = f"【{stance}视角】" if role == stance else f"【{stance}（{_roles_zh(context.side_roles.get(stance, set()))}）视角】"
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        severity=severity,
        dimension=rule.dimension,
        clause=clause.number if clause else None,
        clause_key=clause.key if clause else None,
        excerpt=excerpt,
        explanation=prefix + _format(explanation, **values),
        suggestion=_format(rule.suggestion, **values),
        citations=[c.as_dict() for c in rule.citations],
        risk_id=rule.risk_id,
        paragraph_indices=list(clause.paragraph_indices) if clause else [],
        at_risk="、".join(sorted(at_risk_words)),
    )


ROLE_ZH = {
    "payer": "付款方", "payee": "收款方", "lender": "出借人", "borrower": "借款人", "creditor": "债权人", "debtor": "债务人",
    "employer": "用人单位", "worker": "劳动者", "landlord": "出租人", "tenant": "承租人", "seller": "出卖方", "buyer": "买受方",
    "guarantor": "担保人", "franchisor": "特许人", "franchisee": "被特许人", "principal": "委托人", "agent": "受托人",
    "donor": "赠与人", "donee": "受赠人",
}


def _roles_zh(roles: set[str]) -> str:
    return "、".join(ROLE_ZH.get(r, r) for r in sorted(roles)) or "未识别角色"


def _at_risk(rule: Rule, context: _Context, captured: str | None) -> tuple[set[str], set[str]]:
    """Sides (甲方/乙方) the clause burdens; empty = cannot tell or burdens everyone."""
    sides = set(context.side_roles) | {p.side for p in context.structure.parties}
    at_risk: set[str] = set()
    words: set[str] = set()
    for target in rule.risk_for:
        if target in ("party", "other_party"):
            side = _side_of_word(captured, context.structure) if captured else None
            if side is None:
                continue
            if target == "party":
                at_risk.add(side)
            else:
                at_risk.update(s for s in sides | {"甲方", "乙方"} if s != side and s in ("甲方", "乙方", "丙方", "丁方"))
            words.add(f"{'对方' if target == 'other_party' else ''}{captured}")
        else:
            words.add(ROLE_ZH.get(target, target))
            for side, roles in context.side_roles.items():
                if target in roles:
                    at_risk.add(side)
    return at_risk, words


def score_findings(findings: list[Finding]) -> tuple[int, dict]:
    """Each dimension starts at its full weight; every finding deducts points by severity (floor 0)."""
    dimensions = {}
    total = 0
    for key, (name, weight) in DIMENSIONS.items():
        deductions = [
            {"rule_id": f.rule_id, "severity": f.severity, "points": SEVERITY_POINTS[f.severity], "clause": f.clause}
            for f in findings
            if f.dimension == key
        ]
        lost = min(weight, sum(d["points"] for d in deductions))
        score = weight - lost
        total += score
        if deductions:
            explanation = f"{name}满分 {weight} 分，" + "；".join(
                f"{d['rule_id']}（{SEVERITY_ZH[d['severity']]}风险{'，' + d['clause'] if d['clause'] else '，缺失条款'}）扣 {d['points']} 分" for d in deductions
            ) + f"，得 {score} 分。"
        else:
            explanation = f"{name}满分 {weight} 分，未发现问题，得 {weight} 分。"
        dimensions[key] = {"name": name, "score": score, "max": weight, "percent": round(100 * score / weight), "deductions": deductions, "explanation": explanation}
    return total, dimensions


def review_document(document, stance: str = "neutral") -> ReviewResult:
    paragraphs = [(p.index, p.display_text) for p in document.paragraphs]
    result = review_text(document.text, stance, filename=document.filename, paragraphs=paragraphs)
    result.document_kind = document.kind
    result.paragraph_texts = [text for _, text in paragraphs]
    return result


def review_file(source: str | Path | bytes, stance: str = "neutral", *, filename: str = "", password: str | None = None) -> ReviewResult:
    """Review a PDF/DOCX/TXT given as a path or bytes; raises DocumentError for unreadable files."""
    from legal_assistant.documents import read_document

    if isinstance(source, (str, Path)):
        path = Path(source)
        data = path.read_bytes()
        filename = filename or path.name
    else:
        data = source
    document = read_document(data, filename, password=password)
    return review_document(document, stance)
