"""The legal bases the settlement feature cites, each resolved against the corpus before use.

Nothing is cited from memory: ``data/legal_basis.yaml`` names law and article; this module finds
the article in the corpus (current version), checks it still says what the file claims
(``must_contain``), and refuses to run otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from legal_assistant.corpus import get_corpus
from legal_assistant.corpus.names import short_name
from legal_assistant.settlement.errors import SettlementError

LEGAL_BASIS_FILE = Path(__file__).parent / "data" / "legal_basis.yaml"


@dataclass(frozen=True)
class LegalBasis:
    key: str
    law_title: str
    number_text: str
    version_date: str
    text: str
    purpose: str

    @property
    def short_title(self) -> str:
        return short_name(self.law_title)

    @property
    def citation(self) -> str:
        """《民事诉讼法》第二百六十四条（2023-09-01 版）: the form every document shows."""
        return f"《{self.short_title}》{self.number_text}（{self.version_date}版）"

    def as_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "law": self.short_title,
            "article": self.number_text,
            "version_date": self.version_date,
            "citation": self.citation,
            "purpose": self.purpose,
            "text": self.text,
        }


@lru_cache(maxsize=1)
def legal_bases() -> dict[str, LegalBasis]:
    """Every entry of legal_basis.yaml, resolved; raises if any is missing or no longer says what it should."""
    corpus = get_corpus()
    entries = yaml.safe_load(LEGAL_BASIS_FILE.read_text(encoding="utf-8"))
    resolved: dict[str, LegalBasis] = {}
    for key, entry in entries.items():
        article = corpus.article(entry["law"], int(entry["article"]))
        if article is None:
            raise SettlementError(f"法律依据“{key}”（{entry['law']}第{entry['article']}条）在语料库中查无此条，不能引用")
        if not article.in_force:
            raise SettlementError(f"法律依据“{key}”（{article.citation}）已被新版本取代，不能引用")
        if entry["must_contain"] not in article.text:
            raise SettlementError(f"法律依据“{key}”（{article.citation}）的条文中没有“{entry['must_contain']}”，请核对")
        resolved[key] = LegalBasis(
            key=key,
            law_title=article.law_title,
            number_text=article.number_text,
            version_date=article.version_date or "",
            text=article.text,
            purpose=entry["purpose"],
        )
    return resolved


def cite(key: str) -> LegalBasis:
    try:
        return legal_bases()[key]
    except KeyError:
        raise SettlementError(f"未登记的法律依据“{key}”：请先在 legal_basis.yaml 中登记并查证") from None


def citations_for(keys: list[str]) -> list[dict[str, str]]:
    """Distinct bases in first-use order, as dicts for JSON output."""
    seen: list[str] = []
    for key in keys:
        if key not in seen:
            seen.append(key)
    return [cite(key).as_dict() for key in seen]
