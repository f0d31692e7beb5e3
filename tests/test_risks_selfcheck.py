"""企业风险智治 self-check: theme scores, ranked risks with legal basis, early warnings, CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from legal_assistant.cli import app
from legal_assistant.risks.kb import SEVERITY_WEIGHT
from legal_assistant.risks.questionnaire import example_answers
from legal_assistant.risks.selfcheck import compare_results, run_selfcheck

runner = CliRunner()


def _scores(answers):
    return {t.theme.key: t.score for t in run_selfcheck(answers).themes}


def test_every_theme_gets_a_score_between_0_and_100():
    result = run_selfcheck(example_answers(), "嘉兴示例纺织有限公司")
    assert len(result.themes) >= 10
    assert all(0 <= t.score <= 100 for t in result.themes)


def test_fixing_a_labor_practice_raises_the_labor_score():
    answers = example_answers()
    worse = _scores({**answers, "lab_social_insurance_full": False, "lab_overtime_paid": False})
    better = _scores({**answers, "lab_social_insurance_full": True, "lab_overtime_paid": True})
    assert better["labor"] > worse["labor"]
    assert better["environment"] == worse["environment"]


def test_borrowing_from_individuals_lowers_the_finance_score():
    answers = example_answers()
    assert _scores({**answers, "fin_borrows_from_individuals": True})["finance"] < _scores({**answers, "fin_borrows_from_individuals": False})["finance"]


def test_theme_that_does_not_concern_the_enterprise_is_marked_not_applicable():
    answers = {**example_answers(), "industry": "tech", "env_discharges_pollutants": False}
    environment = next(t for t in run_selfcheck(answers).themes if t.theme.key == "environment")
    assert not environment.applicable and environment.score == 100


def test_top_risks_are_ranked_by_severity_times_likelihood():
    result = run_selfcheck(example_answers())
    weights = [SEVERITY_WEIGHT[a.risk.severity] * a.likelihood for a in result.top_risks(15)]
    assert weights == sorted(weights, reverse=True)


def test_top_risks_carry_resolved_legal_basis_and_remediation():
    for assessment in run_selfcheck(example_answers()).top_risks(10):
        assert assessment.risk.remediation
        for citation in assessment.citations:
            assert citation.ok and citation.article.version_date
            assert citation.article.version_date in citation.display


def test_unpaid_noncompete_compensation_raises_a_red_warning_explaining_why():
    answers = {**example_answers(), "lab_noncompete": True, "lab_noncompete_compensation": False}
    warnings = {w.assessment.risk.id: w for w in run_selfcheck(answers).warnings}
    assert warnings["LAB-005"].level == "red"
    assert any("竞业限制经济补偿" in reason for reason in warnings["LAB-005"].assessment.raised_by)
    paid = {**answers, "lab_noncompete_compensation": True}
    assert "LAB-005" not in {w.assessment.risk.id for w in run_selfcheck(paid).warnings}


def test_comparison_reports_per_theme_deltas_and_resolved_risks():
    answers = {**example_answers(), "fin_provides_guarantee": True, "fin_guarantee_resolution": False}
    before = run_selfcheck(answers)
    after = run_selfcheck({**answers, "fin_guarantee_resolution": True})
    comparison = compare_results(before, after)
    assert comparison.theme_deltas["finance"] > 0
    assert comparison.theme_deltas["labor"] == 0
    assert "FIN-008" in comparison.resolved and not comparison.new
    assert compare_results(after, before).new == comparison.resolved


def test_cli_example_is_a_valid_answers_file_and_selfcheck_prints_one_json_object(tmp_path):
    example = runner.invoke(app, ["selfcheck", "--example"])
    assert example.exit_code == 0
    path = tmp_path / "answers.json"
    path.write_text(example.stdout, encoding="utf-8")
    result = runner.invoke(app, ["selfcheck", "--answers", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["enterprise_name"] == "嘉兴示例纺织有限公司"
    assert set(payload["themes"]) >= {"劳动用工", "合同履约与款项回收", "融资借贷与担保"}
    top = payload["top_risks"][0]
    assert {"id", "title", "severity", "citations"} <= set(top)
    assert top["citations"][0]["version_date"]
    assert payload["warnings"] and payload["unanswered"] == []


def test_cli_rejects_an_invalid_answers_file_with_exit_code_2(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text('{"answers": {"headcount": "很多"}}', encoding="utf-8")
    result = runner.invoke(app, ["selfcheck", "--answers", str(path), "--json"])
    assert result.exit_code == 2
    assert "在职员工人数" in result.stderr and result.stdout == ""


def test_cli_risks_list_prints_every_risk_point_with_resolved_citations():
    result = runner.invoke(app, ["risks", "list", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["count"] >= 150
    assert all(c["version_date"] for r in payload["risks"] for c in r["citations"])
