"""What an answer is made of: the reply, its legal basis, cases, risk advice and its limits.

The same object feeds the chat page, the CLI's JSON, the Markdown/DOCX export and the feedback
table, so every surface shows the same verified citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from legal_assistant.corpus.parse import Article

MODE_OFFLINE = "offline"
MODE_LLM = "llm"


@dataclass
class CitedArticle:
    """One article of the legal basis, quoted verbatim from the corpus."""

    article: Article
    # zh-CN warnings: superseded version, question dated under an older version.
    warnings: list[str] = field(default_factory=list)
    explicit: bool = False  # the question named this article itself

    def as_dict(self) -> dict:
        return {
            "law": self.article.law_title,
            "article": self.article.number_text,
            "version_date": self.article.version_date,
            "in_force": self.article.in_force,
            "citation": self.article.citation,
            "text": self.article.text,
            "warnings": list(self.warnings),
        }


@dataclass
class CaseReference:
    title: str
    summary: str
    source: str
    section: str

    def as_dict(self) -> dict:
        return {"title": self.title, "summary": self.summary, "source": self.source, "section": self.section}


@dataclass
class RiskAdvice:
    """A risk point of the knowledge base the question touches, with what to do about it."""

    risk_id: str
    title: str
    severity: str  # high / medium / low
    severity_label: str  # 高 / 中 / 低
    remediation: list[str]
    citations: list[str]  # display citations of the risk point's legal basis
    # The basis articles themselves (those the corpus holds in force), for quoting in the answer.
    basis: list[Article] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.risk_id,
            "title": self.title,
            "severity": self.severity,
            "severity_label": self.severity_label,
            "remediation": list(self.remediation),
            "citations": list(self.citations),
        }


@dataclass
class Answer:
    question: str
    reply: str  # the answer as one reads it: conclusion, then how the law applies
    conclusion: str
    citations: list[CitedArticle]
    cases: list[CaseReference]
    risk_level: str | None  # 高 / 中 / 低, None when no risk point applies
    risks: list[RiskAdvice]
    measures: list[str]
    limits: str  # what the answer does not cover, and when to see a lawyer
    mode: str
    retrieval_query: str
    grounded: bool  # False when the corpus held no good basis for the question
    notices: list[str] = field(default_factory=list)  # e.g. LLM fell back to offline
    removed_citations: list[str] = field(default_factory=list)  # LLM citations that failed checking
    as_of: str | None = None
    latency_ms: float = 0.0

    def as_dict(self) -> dict:
        return {
            "answer": self.reply,
            "conclusion": self.conclusion,
            "citations": [c.as_dict() for c in self.citations],
            "cases": [c.as_dict() for c in self.cases],
            "risk_level": self.risk_level,
            "risks": [r.as_dict() for r in self.risks],
            "measures": list(self.measures),
            "limits": self.limits,
            "mode": self.mode,
            "grounded": self.grounded,
            "notices": list(self.notices),
            "removed_citations": list(self.removed_citations),
            "retrieval_query": self.retrieval_query,
            "as_of": self.as_of,
        }


@dataclass
class Turn:
    """One earlier exchange of the conversation (what the user asked, what was answered)."""

    question: str
    answer: str = ""
    retrieval_query: str = ""  # what was searched for it, so a follow-up can inherit the topic
