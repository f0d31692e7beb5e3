"""Loading the contract-review rules, contract types and clause concepts from YAML.

Rules are data a lawyer can review (``rules/*.yaml``). The engine offers three generic check
kinds that rules parameterise:

* ``pattern``  – regular expressions that must (``any``/``all``) or must not (``unless``) match
  within one sentence or clause (``scope: first_clause``: a contract-level gap, reported only on the
  first clause that matches), optionally conditioned on the whole contract
  (``contract_requires`` / ``contract_unless``) or on the clauses a sentence refers to
  (``unless_referenced``);
* ``numeric``  – a quantity measured near a keyword (share of the contract amount, annualised
  rate, duration, percentage) compared with a number, a fact × factor, or a step table;
* ``missing``  – a clause concept that the contract type needs but the text never mentions.

Every citation is resolved against the statute corpus when the rule book is loaded; a rule that
cites an article the corpus does not have stops the load, so no citation is ever invented.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).parent / "rules"
DATA_DIR = Path(__file__).parent / "data"

SEVERITIES = ("high", "medium", "low")
DIMENSIONS = {
    "validity": ("合法有效性", 25),
    "performance": ("履约可执行性", 20),
    "liability": ("违约与责任", 20),
    "dispute": ("争议解决", 15),
    "compliance": ("合规与权益保护", 20),
}
CHECK_KINDS = ("pattern", "numeric", "missing")
MEASURES = ("share_of_contract_amount", "annual_rate", "daily_rate", "duration_months", "duration_days", "percent", "term_months")


class RuleBookError(ValueError):
    """A rule file is malformed or cites an article the corpus does not contain."""


@dataclass(frozen=True)
class GroundedCitation:
    law: str
    article: str
    text: str
    version: str
    reference: str  # as written in the rule: 民法典第五百八十六条第二款
    display: str  # 《民法典》第五百八十六条（2021-01-01）

    def as_dict(self) -> dict[str, str]:
        return {"law": self.law, "article": self.article, "text": self.text, "version": self.version, "citation": self.display}


@dataclass
class Rule:
    id: str
    title: str
    kind: str
    severity: str
    dimension: str
    explanation: str
    suggestion: str
    citations: list[GroundedCitation]
    applies_to: frozenset[str] | None = None
    exclude_types: frozenset[str] = frozenset()
    risk_for: tuple[str, ...] = ()
    other_side: str = "low"  # what a finding becomes for the side that is not at risk: low | skip
    explanation_other_side: str = ""
    risk_id: str | None = None
    # pattern checks
    scope: str = "sentence"
    any: tuple[re.Pattern, ...] = ()
    # Order-free alternatives to `any`: the unit matches when every pattern of one group matches
    # somewhere in it ("损失" + "无论何种原因" + "不予赔偿"), however the sentence is worded.
    cooccur: tuple[tuple[re.Pattern, ...], ...] = ()
    all: tuple[re.Pattern, ...] = ()
    unless: tuple[re.Pattern, ...] = ()
    contract_requires: tuple[re.Pattern, ...] = ()
    contract_unless: tuple[re.Pattern, ...] = ()
    # Like `unless`, but read in the clauses the sentence refers to (违反第十一条约定的…): a penalty for
    # breaching a confidentiality clause is not measured against the price.
    unless_referenced: tuple[re.Pattern, ...] = ()
    # numeric checks
    near: re.Pattern | None = None
    measure: str = ""
    op: str = ">"
    value: float | None = None
    fact: str | None = None
    factor: float = 1.0
    table: tuple[tuple[float, float], ...] = ()
    table_fact: str | None = None
    # missing checks
    concept: str = ""

    def applies(self, contract_type: str) -> bool:
        if contract_type in self.exclude_types:
            return False
        return self.applies_to is None or contract_type in self.applies_to


@dataclass
class ContractType:
    id: str
    name: str
    title: re.Pattern
    title_excludes: re.Pattern | None
    body_requires: re.Pattern | None
    body_excludes: re.Pattern | None
    keywords: tuple[str, ...]
    sides: dict[str, str]


@dataclass
class Concept:
    id: str
    name: str
    patterns: tuple[re.Pattern, ...]

    def present_in(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


@dataclass
class RuleBook:
    rules: list[Rule]
    types: list[ContractType]
    concepts: dict[str, Concept]
    roles: dict[str, tuple[str, ...]]
    lpr: list[tuple[str, float]]
    lpr_last_checked: str

    def type_name(self, type_id: str) -> str:
        return next((t.name for t in self.types if t.id == type_id), type_id)

    def lpr_on(self, day: str | None) -> tuple[float, str]:
        """One-year LPR (%) in force on ``day`` (YYYY-MM-DD) and the date it was published."""
        chosen = self.lpr[0] if day and day < self.lpr[0][0] else self.lpr[-1]
        if day:
            for published, rate in self.lpr:
                if published <= day:
                    chosen = (published, rate)
        return chosen[1], chosen[0]


# Placeholders rule authors may write instead of spelling out every party word:
# {PARTY} captures the party a clause names (used by risk_for: party / other_party), {ANYPARTY} does not.
_PARTY_WORDS = (
    "甲方|乙方|丙方|出租人|出租方|承租人|承租方|出借人|贷款人|借款人|用人单位|公司|单位|劳动者|员工|职工|出卖人|买受人|卖方|买方|供方|需方|供货方|采购方|供应商"
    "|承揽人|定作人|发包人|承包人|发包方|承包方|委托人|受托人|委托方|受托方|服务方|开发方|转让方|受让方|许可方|被许可方|特许人|被特许人|物业服务人|物业公司|业主"
    "|广告主|广告发布者|广告经营者|承运人|托运人|保管人|存货人|中介人|居间人|平台|本公司|我司|我方|贵方"
    "|披露方|接收方|信息披露方|信息接收方|许可人|被许可人|投资方|目标公司|转让人|受让人|让与人|出质人|质权人|抵押人|抵押权人"
    "|保证人|债权人|债务人|房东|租客|商家|用户|客户|会员|学员|消费者|雇主|聘用方|派遣单位|用工单位|合伙人|经销商|代理商"
    "|总部|总公司|品牌方|集团|母公司|主办方|主播方|经纪公司|承修方|维修方|修理方|加工方|制作方|出租方|承租方"
    "|卖家|买家|房东|租客|租户|业主|施工队|装修公司|师傅|美容院|健身房|会所|门店|物业|车主"
    "|出卖方|买受方|供货商|制造商|生产商|经营方|管理方|管理人|物业方|业主方|主播|达人|经纪人|中介方|中介公司|代理人|代理方"
    "|培训机构|学校|医院|银行|保险公司|担保公司|租赁公司|物流公司|快递公司|承运方|托运方|仓储方|委托单位|受托单位|建设方|设计方"
    "|本馆|本店|本中心|本平台|本园|本校|本机构|本所|本行|本单位|本酒店|经营者|店方|馆方|校方|园方"
    "|服务商|服务提供者|服务提供方|运营方|平台方|网站|总承包人|总包方|总承包方|分包人|分包方|承建方|施工方|施工单位|开发商|建设单位|销售方|采购人|供应方"
)


def expand_placeholders(pattern: str) -> str:
    # Only the first {PARTY} captures (a group name may occur once); later ones just match a party word.
    pattern = pattern.replace("{PARTY}", f"(?P<party>{_PARTY_WORDS})", 1)
    return pattern.replace("{PARTY}", f"(?:{_PARTY_WORDS})").replace("{ANYPARTY}", f"(?:{_PARTY_WORDS})")


def _compile(patterns, rule_id: str, key: str) -> tuple[re.Pattern, ...]:
    if patterns is None:
        return ()
    if isinstance(patterns, str):
        patterns = [patterns]
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(expand_placeholders(pattern)))
        except re.error as error:
            raise RuleBookError(f"规则 {rule_id} 的 {key} 正则表达式无效：{pattern}（{error}）") from error
    return tuple(compiled)


def ground_citation(reference: str, corpus) -> GroundedCitation:
    """'民法典第五百八十六条第二款' → the article (or paragraph) text from the corpus, or RuleBookError."""
    found = corpus.find_citations(reference)
    if not found:
        raise RuleBookError(f"无法解析引用：{reference}")
    citation = found[-1]
    article = corpus.resolve(citation)
    if article is None:
        raise RuleBookError(f"法规库中找不到：{reference}")
    text = article.text
    label = article.number_text
    if citation.paragraph:
        if citation.paragraph > len(article.paragraphs):
            raise RuleBookError(f"{reference}：该条只有 {len(article.paragraphs)} 款")
        text = article.paragraphs[citation.paragraph - 1]
        label = f"{article.number_text}第{_cn(citation.paragraph)}款"
    return GroundedCitation(
        law=article.short_name,
        article=label,
        text=text,
        version=article.version_date,
        reference=reference,
        display=f"《{article.short_name}》{label}（{article.version_date}）",
    )


def _cn(number: int) -> str:
    import cn2an

    return cn2an.an2cn(number)


class _CitationResolver:
    """Grounds rule citations in the corpus, remembering results per corpus fingerprint.

    Loading the whole corpus takes seconds; the grounded texts of the ~100 cited articles are
    kept in ``cache_dir`` under the corpus fingerprint, so an unchanged corpus needs no reload
    and a changed corpus (new fingerprint) re-verifies every citation.
    """

    def __init__(self, corpus=None, cache_file: Path | None = None) -> None:
        self._corpus = corpus
        self._full = corpus is not None
        self.cache_file = cache_file
        self.cached: dict[str, dict] = {}
        self.dirty = False
        if cache_file is not None and cache_file.exists():
            try:
                self.cached = json.loads(cache_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.cached = {}

    @property
    def corpus(self):
        if self._corpus is None:
            self._corpus = _cited_laws_corpus() or _full_corpus()
        return self._corpus

    def __call__(self, reference: str) -> GroundedCitation:
        if reference in self.cached:
            return GroundedCitation(**self.cached[reference])
        try:
            grounded = ground_citation(reference, self.corpus)
        except RuleBookError:
            if self._full:
                raise
            # The cited-laws subset missed something: ground in the whole corpus before giving up.
            self._corpus, self._full = _full_corpus(), True
            grounded = ground_citation(reference, self._corpus)
        self.cached[reference] = asdict(grounded)
        self.dirty = True
        return grounded

    def save(self) -> None:
        if self.cache_file is None or not self.dirty:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.cached, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.cache_file)


def _full_corpus():
    from legal_assistant.corpus import get_corpus

    return get_corpus()


def _cited_laws_corpus(rules_dir: Path = RULES_DIR):
    """Only the statute files the rules cite, parsed with the corpus parser (a fresh machine has no
    corpus cache yet, and parsing all ~2,000 files takes seconds; the cited laws take a fraction)."""
    from legal_assistant.corpus.library import Corpus, _group_versions
    from legal_assistant.corpus.parse import parse_statute
    from legal_assistant.settings import get_settings

    root = get_settings().corpus_dir
    laws: set[str] = set()
    for path in rules_dir.glob("*.yaml"):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            for reference in raw.get("citations") or []:
                laws.add(re.sub(r"[《》]|中华人民共和国", "", reference.split("第")[0] if not reference.startswith("第") else reference))
    wanted = []
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root)
        stem = re.sub(r"[《》]|中华人民共和国", "", re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", path.stem))
        if relative.parts[0] == "案例":
            continue
        if stem in laws or (relative.parts[0] == "民法典" and "民法典" in laws):
            wanted.append(path)
    if not wanted:
        return None
    return Corpus(_group_versions([parse_statute(path, root) for path in wanted]), [])


def _default_resolver(cache_name: str = "contract-citations") -> _CitationResolver:
    from legal_assistant.corpus.library import corpus_fingerprint
    from legal_assistant.settings import get_settings

    settings = get_settings()
    fingerprint = corpus_fingerprint(settings.corpus_dir)
    return _CitationResolver(cache_file=settings.cache_dir / f"{cache_name}-{fingerprint}.json")


def _parse_rule(raw: dict, resolve, known_types: set[str], known_concepts: set[str], source: str) -> Rule:
    rule_id = raw.get("id")
    if not rule_id:
        raise RuleBookError(f"{source}：规则缺少 id")
    check = raw.get("check") or {}
    kind = check.get("kind", "pattern")
    if kind not in CHECK_KINDS:
        raise RuleBookError(f"规则 {rule_id}：未知检查类型 {kind}")
    if raw.get("severity") not in SEVERITIES:
        raise RuleBookError(f"规则 {rule_id}：severity 必须是 {SEVERITIES}")
    if raw.get("dimension") not in DIMENSIONS:
        raise RuleBookError(f"规则 {rule_id}：dimension 必须是 {list(DIMENSIONS)}")
    references = raw.get("citations") or []
    if not references:
        raise RuleBookError(f"规则 {rule_id}：每条规则都必须写明法律依据（citations）")
    citations = [resolve(reference) for reference in references]
    applies_to = raw.get("applies_to")
    for type_id in (applies_to or []) + (raw.get("exclude_types") or []):
        if type_id not in known_types:
            raise RuleBookError(f"规则 {rule_id}：未知合同类型 {type_id}")
    rule = Rule(
        id=rule_id,
        title=raw["title"],
        kind=kind,
        severity=raw["severity"],
        dimension=raw["dimension"],
        explanation=raw["explanation"].strip(),
        suggestion=raw["suggestion"].strip(),
        citations=citations,
        applies_to=frozenset(applies_to) if applies_to else None,
        exclude_types=frozenset(raw.get("exclude_types") or ()),
        risk_for=tuple(raw.get("risk_for") or ()),
        other_side=raw.get("other_side", "low"),
        explanation_other_side=(raw.get("explanation_other_side") or "").strip(),
        risk_id=raw.get("risk_id"),
    )
    if kind == "pattern":
        rule.scope = check.get("scope", "sentence")
        rule.any = _compile(check.get("any"), rule_id, "any")
        rule.cooccur = tuple(_compile(group, rule_id, "cooccur") for group in check.get("cooccur") or [])
        rule.all = _compile(check.get("all"), rule_id, "all")
        rule.unless = _compile(check.get("unless"), rule_id, "unless")
        if not rule.any and not rule.cooccur:
            raise RuleBookError(f"规则 {rule_id}：pattern 检查至少需要一个 any 正则或 cooccur 组")
    elif kind == "numeric":
        rule.measure = check.get("measure", "")
        if rule.measure not in MEASURES:
            raise RuleBookError(f"规则 {rule_id}：未知度量 {rule.measure}")
        near = check.get("near")
        rule.near = re.compile(near) if near else None
        rule.all = _compile(check.get("all"), rule_id, "all")
        rule.unless = _compile(check.get("unless"), rule_id, "unless")
        rule.op = check.get("op", ">")
        if rule.op not in (">", ">=", "<", "<="):
            raise RuleBookError(f"规则 {rule_id}：比较符 {rule.op} 无效")
        rule.value = check.get("value")
        rule.fact = check.get("fact")
        rule.factor = float(check.get("factor", 1.0))
        table = check.get("table")
        if table:
            rule.table = tuple((float(row[0]), float(row[1])) for row in table)
            rule.table_fact = check.get("table_fact")
        if rule.value is None and rule.fact is None and not rule.table:
            raise RuleBookError(f"规则 {rule_id}：numeric 检查需要 value、fact 或 table")
    else:
        rule.concept = check.get("concept", "")
        if rule.concept not in known_concepts:
            raise RuleBookError(f"规则 {rule_id}：未知条款概念 {rule.concept}")
    rule.contract_requires = _compile(check.get("contract_requires"), rule_id, "contract_requires")
    rule.contract_unless = _compile(check.get("contract_unless"), rule_id, "contract_unless")
    rule.unless_referenced = _compile(check.get("unless_referenced"), rule_id, "unless_referenced")
    return rule


def load_rulebook(corpus=None, rules_dir: Path = RULES_DIR, data_dir: Path = DATA_DIR) -> RuleBook:
    """Parse and validate every rule; ``corpus`` given = ground citations in it without any cache."""
    resolve = _CitationResolver(corpus) if corpus is not None else _default_resolver()
    types_raw = yaml.safe_load((data_dir / "types.yaml").read_text(encoding="utf-8"))
    types = [
        ContractType(
            id=t["id"],
            name=t["name"],
            title=re.compile(t["title"]),
            title_excludes=re.compile(t["title_excludes"]) if t.get("title_excludes") else None,
            body_requires=re.compile(t["body_requires"]) if t.get("body_requires") else None,
            body_excludes=re.compile(t["body_excludes"]) if t.get("body_excludes") else None,
            keywords=tuple(t.get("keywords") or ()),
            sides=dict(t.get("sides") or {}),
        )
        for t in types_raw
    ]
    concepts_raw = yaml.safe_load((data_dir / "concepts.yaml").read_text(encoding="utf-8"))
    concepts = {key: Concept(key, value["name"], _compile(value["patterns"], key, "patterns")) for key, value in concepts_raw.items()}
    roles_raw = yaml.safe_load((data_dir / "roles.yaml").read_text(encoding="utf-8"))
    lpr_raw = yaml.safe_load((data_dir / "lpr.yaml").read_text(encoding="utf-8"))
    lpr = sorted((str(row["date"]), float(row["one_year"])) for row in lpr_raw["rates"])
    rules: list[Rule] = []
    known_types = {t.id for t in types}
    for path in sorted(rules_dir.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            rules.append(_parse_rule(raw, resolve, known_types, set(concepts), path.name))
    resolve.save()
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleBookError(f"规则 id 重复：{rule.id}")
        seen.add(rule.id)
    return RuleBook(
        rules=rules,
        types=types,
        concepts=concepts,
        roles={word: tuple(values) for word, values in roles_raw.items()},
        lpr=lpr,
        lpr_last_checked=str(lpr_raw.get("last_checked", "")),
    )


@lru_cache(maxsize=1)
def get_rulebook() -> RuleBook:
    return load_rulebook()
