"""Resolve the knowledge base's citations (``劳动合同法第八十二条``) to articles of the corpus."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from legal_assistant.corpus import get_corpus
from legal_assistant.corpus.parse import Article
from legal_assistant.risks.kb import CitationRef


@dataclass(frozen=True)
class ResolvedCitation:
    ref: str
    article: Article | None
    problem: str | None  # zh-CN reason when the citation is not usable as written

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def display(self) -> str:
        """《劳动合同法》第八十二条（2012-12-28） — the citation as shown to users."""
        return self.article.citation if self.article else self.ref

    def as_dict(self) -> dict[str, object]:
        article = self.article
        return {
            "ref": self.ref,
            "law": article.law_title if article else None,
            "article": article.number_text if article else None,
            "version_date": article.version_date if article else None,
            "in_force": article.in_force if article else None,
            "citation": self.display,
            "text": article.text if article else None,
        }


def resolve_citation(citation: CitationRef) -> ResolvedCitation:
    return _resolve(get_corpus(), citation.ref, citation.version)


@lru_cache(maxsize=4096)
def _resolve(corpus, ref: str, version: str | None) -> ResolvedCitation:
    """Cached per corpus object, so another configured corpus never sees stale resolutions."""
    found = corpus.find_citations(ref)
    if len(found) != 1:
        return ResolvedCitation(ref, None, f"无法识别为单一法条引用：{ref}")
    cite = found[0]
    if version:
        article = corpus.article(cite.law, cite.number, cite.sub, version=version)
        if article is None:
            return ResolvedCitation(ref, None, f"语料库中没有 {ref} 的 {version} 版本")
        return ResolvedCitation(ref, article, None)
    article = corpus.article(cite.law, cite.number, cite.sub)
    if article is None:
        return ResolvedCitation(ref, None, f"语料库中找不到 {ref}")
    if not article.in_force:
        return ResolvedCitation(ref, article, f"{ref} 指向已被替代的版本，如确需引用旧版请写明 version")
    return ResolvedCitation(ref, article, None)
