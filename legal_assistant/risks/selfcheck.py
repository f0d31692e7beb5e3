"""企业风险智治 self-check: score each theme from the questionnaire answers, rank risks, raise warnings.

Model (kept simple so a lawyer can follow it):
- a risk point applies unless one of its ``applies_if`` questions was answered and fails, or was
  not asked at all because an earlier answer closed it;
- its likelihood starts at the level in the knowledge base (低 0.2 / 中 0.4 / 高 0.6), rises 0.2
  for every ``raise_if`` answer that holds and falls 0.15 for every ``lower_if`` answer that holds;
- its weight is severity (高 3 / 中 2 / 低 1) × likelihood;
- a theme's score is 100 × (1 − Σ weight / Σ severity) over its applicable risks (100 = no exposure);
- an early warning is raised for a 高 severity risk at likelihood ≥ 0.6, or any risk at ≥ 0.8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from legal_assistant.risks.citations import ResolvedCitation, resolve_citation
from legal_assistant.risks.kb import (
    LIKELIHOOD_BASE,
    SEVERITY_WEIGHT,
    KnowledgeBase,
    RiskPoint,
    Theme,
    load_kb,
)
from legal_assistant.risks.questionnaire import build_questionnaire, effective_answers, validate_answers

RAISE_STEP = 0.2
LOWER_STEP = 0.15
MIN_LIKELIHOOD, MAX_LIKELIHOOD = 0.05, 0.95
FLAG_LIKELIHOOD = 0.5  # a risk counts as "present" (for history comparison) from here
WARN_HIGH_SEVERITY_AT = 0.6
WARN_ANY_AT = 0.8


@dataclass(frozen=True)
class RiskAssessment:
    risk: RiskPoint
    likelihood: float
    raised_by: tuple[str, ...]  # answers that make it more likely, worded for the user
    lowered_by: tuple[str, ...]

    @property
    def weight(self) -> float:
        return SEVERITY_WEIGHT[self.risk.severity] * self.likelihood

    @property
    def flagged(self) -> bool:
        return self.likelihood >= FLAG_LIKELIHOOD

    @property
    def likelihood_label(self) -> str:
        return "高" if self.likelihood >= 0.6 else "中" if self.likelihood >= 0.35 else "低"

    @property
    def citations(self) -> list[ResolvedCitation]:
        return [resolve_citation(c) for c in self.risk.citations]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.risk.id,
            "title": self.risk.title,
            "theme": self.risk.theme,
            "severity": self.risk.severity,
            "likelihood": round(self.likelihood, 2),
            "score": round(self.weight, 2),
            "raised_by": list(self.raised_by),
            "consequences": list(self.risk.consequences),
            "remediation": list(self.risk.remediation),
            "citations": [
                {k: v for k, v in c.as_dict().items() if k != "text"} for c in self.citations
            ],
        }


@dataclass(frozen=True)
class ThemeScore:
    theme: Theme
    score: int
    applicable: bool
    risk_count: int
    flagged_count: int


@dataclass(frozen=True)
class EarlyWarning:
    level: str  # "red" 立即处理 / "orange" 限期整改
    assessment: RiskAssessment

    @property
    def level_label(self) -> str:
        return "红色预警（立即处理）" if self.level == "red" else "橙色预警（限期整改）"

    def as_dict(self) -> dict[str, Any]:
        risk = self.assessment.risk
        return {
            "id": risk.id,
            "title": risk.title,
            "level": self.level,
            "level_label": self.level_label,
            "because": list(self.assessment.raised_by),
            "first_step": risk.remediation[0],
        }


@dataclass
class SelfCheckResult:
    enterprise_name: str
    answers: dict[str, Any]
    themes: list[ThemeScore]
    assessments: list[RiskAssessment]  # applicable risks, highest weight first
    warnings: list[EarlyWarning]
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def theme_scores(self) -> dict[str, int]:
        """Theme key → score, the form stored in history."""
        return {t.theme.key: t.score for t in self.themes}

    @property
    def flagged_ids(self) -> list[str]:
        return sorted(a.risk.id for a in self.assessments if a.flagged)

    @property
    def overall_score(self) -> int:
        applicable = [t.score for t in self.themes if t.applicable]
        return round(sum(applicable) / len(applicable)) if applicable else 100

    def top_risks(self, n: int = 10) -> list[RiskAssessment]:
        return self.assessments[:n]

    def as_dict(self, top_n: int = 10) -> dict[str, Any]:
        return {
            "enterprise_name": self.enterprise_name,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "overall_score": self.overall_score,
            "themes": {t.theme.name: t.score for t in self.themes},
            "not_applicable_themes": [t.theme.name for t in self.themes if not t.applicable],
            "top_risks": [a.as_dict() for a in self.top_risks(top_n)],
            "warnings": [w.as_dict() for w in self.warnings],
        }


def _applies(risk: RiskPoint, answers: dict[str, Any], asked: set[str]) -> bool:
    """False when a gate question was answered and fails, or was never asked (its own gate closed).

    A question that was asked but skipped counts as "may apply": skipping must not hide a risk.
    """
    for cond in risk.applies_if:
        if cond.q not in asked:
            return False
        if cond.q in answers and not cond.holds(answers):
            return False
    return True


def assess(risk: RiskPoint, answers: dict[str, Any], kb: KnowledgeBase) -> RiskAssessment:
    questions = kb.question_by_id
    raised = [c for c in risk.likelihood.raise_if if c.holds(answers)]
    lowered = [c for c in risk.likelihood.lower_if if c.holds(answers)]
    value = LIKELIHOOD_BASE[risk.likelihood.base] + RAISE_STEP * len(raised) - LOWER_STEP * len(lowered)
    return RiskAssessment(
        risk=risk,
        likelihood=min(MAX_LIKELIHOOD, max(MIN_LIKELIHOOD, value)),
        raised_by=tuple(c.describe(questions, answers) for c in raised),
        lowered_by=tuple(c.describe(questions, answers) for c in lowered),
    )


def _warning_for(assessment: RiskAssessment) -> EarlyWarning | None:
    if not assessment.raised_by:  # warnings are about what this enterprise answered, not base rates
        return None
    if assessment.risk.severity == "high" and assessment.likelihood >= WARN_HIGH_SEVERITY_AT:
        return EarlyWarning("red", assessment)
    if assessment.likelihood >= WARN_ANY_AT:
        return EarlyWarning("orange", assessment)
    return None


def run_selfcheck(answers: dict[str, Any], enterprise_name: str = "", kb: KnowledgeBase | None = None) -> SelfCheckResult:
    """Score the enterprise from its answers (raises ``AnswerError`` on invalid answers)."""
    kb = kb or load_kb()
    validate_answers(answers, kb)
    answers = effective_answers(answers, kb)
    asked = {q.id for q in build_questionnaire(answers, kb)}
    assessments = [assess(r, answers, kb) for r in kb.risks if _applies(r, answers, asked)]
    themes: list[ThemeScore] = []
    for theme in kb.themes:
        own = [a for a in assessments if a.risk.theme == theme.key]
        total = sum(SEVERITY_WEIGHT[a.risk.severity] for a in own)
        exposure = sum(a.weight for a in own) / total if total else 0.0
        themes.append(
            ThemeScore(
                theme=theme,
                score=round(100 * (1 - exposure)),
                applicable=bool(own),
                risk_count=len(own),
                flagged_count=sum(a.flagged for a in own),
            )
        )
    assessments.sort(key=lambda a: (-a.weight, -SEVERITY_WEIGHT[a.risk.severity], a.risk.id))
    warnings = [w for a in assessments if (w := _warning_for(a))]
    warnings.sort(key=lambda w: (w.level != "red", -w.assessment.weight, w.assessment.risk.id))
    return SelfCheckResult(enterprise_name=enterprise_name.strip(), answers=answers, themes=themes, assessments=assessments, warnings=warnings)


@dataclass(frozen=True)
class Comparison:
    """What changed between two self-checks of the same enterprise."""

    theme_deltas: dict[str, int]  # theme key → new score − old score
    resolved: list[str]  # risk ids flagged before, not any more
    new: list[str]  # risk ids flagged now, not before
    persisting: list[str]

    @property
    def improved(self) -> bool:
        return sum(self.theme_deltas.values()) > 0

    def as_dict(self, kb: KnowledgeBase | None = None) -> dict[str, Any]:
        kb = kb or load_kb()
        names = {t.key: t.name for t in kb.themes}
        titles = {r.id: r.title for r in kb.risks}
        return {
            "theme_deltas": {names.get(k, k): d for k, d in self.theme_deltas.items()},
            "resolved": [{"id": i, "title": titles.get(i, i)} for i in self.resolved],
            "new": [{"id": i, "title": titles.get(i, i)} for i in self.new],
            "persisting": [{"id": i, "title": titles.get(i, i)} for i in self.persisting],
        }


def compare(old_scores: dict[str, int], old_flagged: list[str], new_scores: dict[str, int], new_flagged: list[str]) -> Comparison:
    """Per-theme score deltas and which flagged risks were resolved or are new."""
    keys = [k for k in new_scores if k in old_scores]
    before, after = set(old_flagged), set(new_flagged)
    return Comparison(
        theme_deltas={k: new_scores[k] - old_scores[k] for k in keys},
        resolved=sorted(before - after),
        new=sorted(after - before),
        persisting=sorted(before & after),
    )


def compare_results(old: SelfCheckResult, new: SelfCheckResult) -> Comparison:
    return compare(old.theme_scores, old.flagged_ids, new.theme_scores, new.flagged_ids)

