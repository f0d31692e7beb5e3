"""Measuring the reviewer on labelled contracts: recall of planted problems, grounded recall
(the finding also cites the right article), and medium/high flags on clauses labelled sound.
Recall counts 相似条款提示 (low-severity hints) too; ``recall_by_rules`` and ``sound_clauses_hinted``
show what the rules alone find and how many sound clauses drew a hint.

Labels live in ``labels.yaml`` beside the contracts::

    contracts:
      - file: loan_private.txt
        stance: 乙方
        type: private_loan            # optional: expected contract type
        planted:
          - {clause: 第二条, rules: [FIN-INTEREST-OVER-4LPR], cite: [最高人民法院关于审理民间借贷案件适用法律若干问题的规定第二十五条]}
          - {clause: null, rules: [MISS-DISPUTE], cite: [民法典第四百七十条]}   # a missing clause
        sound: [第一条, 第五条]

``rules`` may name rule ids or risk-knowledge-base ids (CON-001 …); ``cite`` may be written as
"民法典第五百八十六条" or as {law: 民法典, article: 第五百八十六条}. A planted problem counts as found
when a finding on that clause has one of the ids or cites one of the articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from legal_assistant.contracts.engine import ReviewResult, article_key, review_file
from legal_assistant.contracts.segment import clause_key


@dataclass
class ContractScore:
    file: str
    contract_type: str
    expected_type: str | None
    planted: int = 0
    found: int = 0
    found_by_rules: int = 0  # without 相似条款提示 (hints)
    sound_hinted: int = 0  # sound clauses given a low-severity hint
    grounded: int = 0
    sound: int = 0
    false_flags: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    error: str | None = None


def _same_clause(label: str | None, finding_clause: str | None) -> bool:
    if label is None or finding_clause is None:
        return label is None and finding_clause is None
    a, b = clause_key(label), clause_key(finding_clause)
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _label_articles(references: list, corpus) -> set[tuple[str, str]]:
    keys = set()
    for reference in references:
        if isinstance(reference, dict):
            reference = f"{reference.get('law', '')}{reference.get('article', '')}"
        citations = corpus.find_citations(reference)
        article = corpus.resolve(citations[-1]) if citations else None
        if article is not None:
            keys.add(article_key(article.short_name, article.number_text))
    return keys


def evaluate_directory(directory: Path, corpus=None) -> dict:
    if corpus is None:
        from legal_assistant.corpus import get_corpus

        corpus = get_corpus()
    directory = Path(directory)
    labels = yaml.safe_load((directory / "labels.yaml").read_text(encoding="utf-8"))
    scores: list[ContractScore] = []
    for entry in labels["contracts"]:
        path = directory / entry["file"]
        try:
            result: ReviewResult = review_file(path, entry.get("stance", "neutral"))
        except Exception as error:  # one unreadable contract must not hide the rest of the figures
            scores.append(ContractScore(entry["file"], "", entry.get("type"), error=str(error)))
            continue
        score = ContractScore(entry["file"], result.contract_type, entry.get("type"))
        for planted in entry.get("planted") or []:
            score.planted += 1
            # A missing protection is written as no clause at all, or as the word "missing".
            planted["clause"] = None if planted.get("clause") in (None, "", "null", "missing") else str(planted["clause"])
            wanted_rules = set(_as_list(planted.get("rules"))) | set(_as_list(planted.get("risk_ids"))) | set(_as_list(planted.get("risk_id")))
            wanted_articles = _label_articles(_as_list(planted.get("cite")), corpus)
            matches = [
                f for f in result.findings
                if _same_clause(planted.get("clause"), f.clause)
                and (not wanted_rules or f.rule_id in wanted_rules or f.risk_id in wanted_rules or _cites(f, wanted_articles))
            ]
            if matches:
                score.found += 1
                score.found_by_rules += any(f.source == "rule" for f in matches)
                if not wanted_articles or any(_cites(f, wanted_articles) for f in matches):
                    score.grounded += 1
            else:
                score.missed.append({"clause": planted.get("clause"), "rules": sorted(wanted_rules)})
        for sound_clause in entry.get("sound") or []:
            score.sound += 1
            on_clause = [f for f in result.findings if _same_clause(str(sound_clause), f.clause)]
            for finding in on_clause:
                if finding.severity in ("high", "medium"):
                    score.false_flags.append({"clause": sound_clause, "rule_id": finding.rule_id, "excerpt": finding.excerpt})
            score.sound_hinted += any(f.source == "hint" for f in on_clause)
        scores.append(score)
    planted = sum(s.planted for s in scores)
    found = sum(s.found for s in scores)
    grounded = sum(s.grounded for s in scores)
    sound = sum(s.sound for s in scores)
    typed = [s for s in scores if s.expected_type]
    return {
        "contracts": len(scores),
        "planted": planted,
        "recall": round(found / planted, 4) if planted else None,
        "recall_by_rules": round(sum(s.found_by_rules for s in scores) / planted, 4) if planted else None,
        "grounded_recall": round(grounded / planted, 4) if planted else None,
        "sound_clauses": sound,
        "false_flags": sum(len(s.false_flags) for s in scores),
        "sound_clauses_hinted": sum(s.sound_hinted for s in scores),
        "type_accuracy": round(sum(s.contract_type == s.expected_type for s in typed) / len(typed), 4) if typed else None,
        "errors": [{"file": s.file, "error": s.error} for s in scores if s.error],
        "per_contract": [
            {
                "file": s.file,
                "contract_type": s.contract_type,
                "expected_type": s.expected_type,
                "planted": s.planted,
                "found": s.found,
                "grounded": s.grounded,
                "missed": s.missed,
                "false_flags": s.false_flags,
            }
            for s in scores
        ],
    }


def _cites(finding, wanted: set[tuple[str, str]]) -> bool:
    return any(article_key(c["law"], c["article"]) in wanted for c in finding.citations)
