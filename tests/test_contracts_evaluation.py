"""The evaluator matches planted problems by rule id, risk-knowledge-base id or cited article, and
counts medium/high findings on clauses labelled sound as false flags."""

from __future__ import annotations

from pathlib import Path

import yaml

from legal_assistant.contracts.evaluation import evaluate_directory

DATA = Path(__file__).resolve().parent / "data" / "contracts"


def write_set(tmp_path: Path, planted: list[dict], sound: list[str]) -> Path:
    (tmp_path / "loan.txt").write_bytes((DATA / "01_private_loan.txt").read_bytes())
    labels = {"contracts": [{"file": "loan.txt", "stance": "乙方", "type": "private_loan", "planted": planted, "sound": sound}]}
    (tmp_path / "labels.yaml").write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_planted_problems_match_by_rule_id_risk_id_or_article(tmp_path):
    planted = [
        {"clause": "第三条", "rules": ["FIN-INTEREST-OVER-4LPR"]},
        {"clause": "第3条", "risk_id": "FIN-001"},
        {"clause": "第四条", "cite": [{"law": "民法典", "article": "第六百七十条"}]},
        {"clause": "第七条", "rules": ["FIN-INTEREST-OVER-4LPR"], "cite": ["民法典第六百八十条"]},  # not there
    ]
    report = evaluate_directory(write_set(tmp_path, planted, ["第一条"]))
    assert report["planted"] == 4
    assert report["recall"] == 0.75 and report["grounded_recall"] == 0.75
    assert report["per_contract"][0]["missed"] == [{"clause": "第七条", "rules": ["FIN-INTEREST-OVER-4LPR"]}]


def test_a_medium_or_high_finding_on_a_sound_clause_is_a_false_flag(tmp_path):
    report = evaluate_directory(write_set(tmp_path, [], ["第三条", "第七条"]))
    assert report["false_flags"] == 1
    assert report["per_contract"][0]["false_flags"][0]["rule_id"] == "FIN-INTEREST-OVER-4LPR"


def test_the_right_rule_with_the_wrong_article_is_found_but_not_grounded(tmp_path):
    planted = [{"clause": "第三条", "rules": ["FIN-INTEREST-OVER-4LPR"], "cite": ["劳动合同法第十九条"]}]
    report = evaluate_directory(write_set(tmp_path, planted, []))
    assert report["recall"] == 1.0 and report["grounded_recall"] == 0.0
