"""企业风险知识库（安商驿站专场）与企业风险智治自查.

- :func:`load_kb` — themes, risk points and questionnaire from ``risks/`` (YAML), validated, cached;
- :func:`match_risks` — risk points a question or contract clause touches (Q&A, contract review);
- :func:`build_questionnaire` / :func:`run_selfcheck` — the self-check;
- ``legal_assistant.risks.export`` — DOCX/PDF reports; ``.history`` — stored results and comparison;
  ``.theme_pages`` — 专场 pages.
"""

from legal_assistant.risks.kb import load_kb
from legal_assistant.risks.matching import RiskMatch, match_risks
from legal_assistant.risks.questionnaire import AnswerError, build_questionnaire
from legal_assistant.risks.selfcheck import SelfCheckResult, run_selfcheck

__all__ = ["AnswerError", "RiskMatch", "SelfCheckResult", "build_questionnaire", "load_kb", "match_risks", "run_selfcheck"]
