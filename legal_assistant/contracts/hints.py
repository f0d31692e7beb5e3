"""相似条款提示: clauses worded like risky clauses that reviewers labelled in other contracts.

Rules catch the risks someone wrote a rule for; each new batch of unseen contracts brings risk kinds
no rule names. This module learns, from labelled contracts (``tests/data/contracts_blind``: each
clause marked risky with the articles it offends, or sound), how risky clauses read — one-sided
duties, waived rights, unbounded liability — and flags clauses that read the same way: unruled ones
as a prompt to check, ruled ones with the further articles similar clauses rest on.

A hint is low severity, deducts no points and is labelled as a statistical prompt, not a finding
of law. Its citations are the articles cited for the most similar labelled risky clauses, grounded
in the corpus like every rule citation; its explanation shows the nearest labelled clause and why
that one was risky, so the reader can judge whether the comparison holds.

Party words are rewritten to 我方/对方 from the reviewing side's point of view, so "乙方不得…" learnt
from a contract reviewed for 乙方 matches "承租方不得…" in a lease reviewed for the tenant.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from legal_assistant.contracts.segment import ContractStructure, section_key, sections

EXAMPLES_PATH = Path(__file__).parent / "data" / "clause_examples.json"
HINT_RULE_ID = "HINT-SIMILAR-CLAUSE"
log = logging.getLogger(__name__)
_NUMBER_PREFIX = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+条|[一二三四五六七八九十]+[、.．]|\d+(\.\d+)*[、.．\s])\s*")


@dataclass
class ClauseExample:
    text: str  # the whole top-level clause, party words as the reviewing side reads them (我方/对方)
    risky: bool
    cites: list[str] = field(default_factory=list)
    note: str = ""
    source: str = ""  # file the clause came from


def perspective(structure: ContractStructure, stance: str) -> Callable[[str], str]:
    """Text as the reviewing side reads it: its own party words → 我方, the other side's → 对方."""
    if stance not in ("甲方", "乙方"):
        return lambda text: text
    other = "乙方" if stance == "甲方" else "甲方"
    swap = {}
    for party in structure.parties:
        mine = "我方" if party.side == stance else "对方"
        for word in (party.role, party.side):
            if word and len(word) >= 2:
                swap[word] = mine
    swap.setdefault(stance, "我方")
    swap.setdefault(other, "对方")
    pattern = re.compile("|".join(sorted(map(re.escape, swap), key=len, reverse=True)))
    return lambda text: pattern.sub(lambda m: swap[m.group(0)], text)


def _body(text: str) -> str:
    return _NUMBER_PREFIX.sub("", text, count=1)


class ClauseHints:
    """A character-n-gram classifier (risky vs sound) plus nearest labelled risky clauses for the basis."""

    def __init__(self, examples: list[ClauseExample], threshold: float, neighbours: int = 5, basis_size: int = 2):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.threshold = threshold
        self.citations: dict = {}  # reference → GroundedCitation, filled by get_hints
        self.neighbours = neighbours
        self.basis_size = basis_size
        self.risky = [e for e in examples if e.risky and e.cites]
        texts = [_body(e.text) for e in examples]
        labels = np.array([e.risky for e in examples], dtype=int)
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
        matrix = self.vectorizer.fit_transform(texts)
        self.classifier = LogisticRegression(C=4.0, solver="liblinear", random_state=0, class_weight="balanced").fit(matrix, labels)
        self.risky_matrix = self.vectorizer.transform([_body(e.text) for e in self.risky])

    def probabilities(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return self.classifier.predict_proba(self.vectorizer.transform([_body(t) for t in texts]))[:, 1]

    def basis(self, text: str) -> tuple[list[str], ClauseExample | None]:
        """Articles cited for the most similar risky clauses, weighted by similarity; the nearest one."""
        similarity = (self.vectorizer.transform([_body(text)]) @ self.risky_matrix.T).toarray()[0]
        nearest = np.argsort(-similarity, kind="stable")[: self.neighbours]
        votes: dict[str, float] = {}
        for index in nearest:
            for cite in self.risky[index].cites:
                votes[cite] = votes.get(cite, 0.0) + float(similarity[index])
        ranked = sorted(votes, key=lambda c: (-votes[c], c))[: self.basis_size]
        return ranked, (self.risky[int(nearest[0])] if len(nearest) else None)


def load_examples(path: Path = EXAMPLES_PATH) -> tuple[list[ClauseExample], dict]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    return [ClauseExample(**row) for row in payload["examples"]], {k: v for k, v in payload.items() if k != "examples"}


@lru_cache(maxsize=1)
def get_hints() -> ClauseHints | None:
    """The shipped examples with every cited article grounded in the corpus (an ungroundable one is dropped)."""
    from legal_assistant.contracts.rulebook import RuleBookError, _default_resolver

    if not EXAMPLES_PATH.exists():
        return None
    examples, options = load_examples()
    resolve = _default_resolver("clause-hint-citations")
    grounded = {}
    for reference in sorted({c for e in examples for c in e.cites}):
        try:
            grounded[reference] = resolve(reference)
        except RuleBookError:
            log.warning("相似条款样例的引用无法在法规库中找到，已忽略：%s", reference)
    resolve.save()
    for example in examples:
        example.cites = [c for c in example.cites if c in grounded]
    hints = _fitted(examples, float(options["threshold"]))
    hints.citations = grounded
    return hints


def _fitted(examples: list[ClauseExample], threshold: float) -> ClauseHints:
    """The classifier fitted once per set of examples and kept in the cache: fitting takes longer
    than reviewing a 30-page contract, and every new process (CLI, batch worker) would repeat it."""
    import sklearn

    from legal_assistant.pickle_cache import load_or_build
    from legal_assistant.settings import get_settings

    key = hashlib.sha256(
        json.dumps([[asdict(e) for e in examples], threshold, sklearn.__version__], ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()[:16]
    return load_or_build(get_settings().cache_dir, "clause-hints", key, lambda: ClauseHints(examples, threshold))


# ---- building and measuring from labelled contracts ------------------------------------------
def _labelled_section(label: str, structure: ContractStructure, grouped: dict) -> str | None:
    """The whole top-level clause a label points into, as the reviewer reads it (see engine._hint_findings)."""
    from legal_assistant.contracts.evaluation import _same_clause

    clause = next((c for c in structure.clauses if _same_clause(str(label), c.number)), None)
    if clause is None:
        return None
    return "\n".join(c.text for c in grouped[section_key(clause.number)])


def examples_from_labels(directory: Path) -> list[ClauseExample]:
    """Every labelled clause of a directory with ``labels.yaml`` (see contracts.evaluation) as an example."""
    import yaml

    from legal_assistant.contracts.engine import review_file

    directory = Path(directory)
    labels = yaml.safe_load((directory / "labels.yaml").read_text(encoding="utf-8"))
    examples = []
    for entry in labels["contracts"]:
        stance = entry.get("stance", "neutral")
        structure = review_file(directory / entry["file"], stance).structure
        read = perspective(structure, stance)
        grouped = sections(structure.clauses)
        rows = [(p.get("clause"), True, p) for p in entry.get("planted") or []] + [(s, False, {}) for s in entry.get("sound") or []]
        for label, risky, planted in rows:
            if label in (None, "", "null", "missing"):
                continue
            text = _labelled_section(str(label), structure, grouped)
            if text is None:
                continue
            cites = planted.get("cite") or []
            examples.append(
                ClauseExample(
                    text=read(text),
                    risky=risky,
                    cites=[c if isinstance(c, str) else f"{c.get('law', '')}{c.get('article', '')}" for c in (cites if isinstance(cites, list) else [cites])],
                    note=str(planted.get("note") or "").strip(),
                    source=entry["file"],
                )
            )
    return examples


def write_examples(examples: list[ClauseExample], threshold: float, path: Path = EXAMPLES_PATH) -> None:
    payload = {
        "about": "相似条款提示的样例：带标注合同中的风险条款（risky，附所违反的条文）与健全条款；由 `legal-assistant train clause-hints` 生成。",
        "threshold": threshold,
        "examples": [asdict(e) for e in examples],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def batch_of(source: str) -> str:
    """Blind contracts are named a01_…, b07_…: the letter is the batch (one writer, one sitting)."""
    match = re.match(r"([a-z]+)\d+_", source)
    return match.group(1) if match else ""


def cross_validate(examples: list[ClauseExample], threshold: float, corpus=None) -> dict:
    """Leave one batch out: train on the others, flag the held-out batch's clauses.

    Reports, per threshold, the share of risky clauses flagged, of those the share whose basis
    names a labelled article, and the share of sound clauses flagged — the honest figure for
    contracts whose risk kinds nobody wrote a rule or example for.
    """
    from legal_assistant.contracts.evaluation import _label_articles

    if corpus is None:
        from legal_assistant.corpus import get_corpus

        corpus = get_corpus()
    batches = sorted({batch_of(e.source) for e in examples})
    probability = np.zeros(len(examples))
    grounded = np.zeros(len(examples), dtype=bool)
    for batch in batches:
        held = [i for i, e in enumerate(examples) if batch_of(e.source) == batch]
        model = ClauseHints([e for e in examples if batch_of(e.source) != batch], threshold)
        probability[held] = model.probabilities([examples[i].text for i in held])
        for i in held:
            if examples[i].risky:
                cites, _ = model.basis(examples[i].text)
                grounded[i] = bool(_label_articles(cites, corpus) & _label_articles(examples[i].cites, corpus))
    risky = np.array([e.risky for e in examples])
    rows = []
    for value in sorted({0.45, 0.5, 0.55, 0.6, 0.65, 0.7, threshold}):
        flagged = probability >= value
        rows.append(
            {
                "threshold": value,
                "risky_flagged": round(float(flagged[risky].mean()), 4),
                "risky_flagged_grounded": round(float((flagged & grounded)[risky].mean()), 4),
                "sound_flagged": round(float(flagged[~risky].mean()), 4),
            }
        )
    return {"batches": len(batches), "risky": int(risky.sum()), "sound": int((~risky).sum()), "by_threshold": rows}
