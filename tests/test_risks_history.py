"""Stored self-checks (SQLite): an enterprise re-runs the check and sees what improved."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from legal_assistant.cli import app
from legal_assistant.risks.history import compare_stored, get_result, list_results, previous_result, save_result
from legal_assistant.risks.questionnaire import example_answers
from legal_assistant.risks.selfcheck import run_selfcheck
from legal_assistant.store.db import init_db

runner = CliRunner()
ENTERPRISE = "嘉兴禾城纺织有限公司"


def test_saved_result_round_trips_answers_and_scores():
    init_db()
    result = run_selfcheck(example_answers(), ENTERPRISE)
    stored = get_result(save_result(result, owner_id=None))
    assert stored.enterprise_name == ENTERPRISE
    assert stored.answers == result.answers
    assert stored.theme_scores == result.theme_scores
    assert stored.flagged == result.flagged_ids


def test_rerun_after_remediation_shows_per_theme_improvement_and_resolved_risks():
    init_db()
    answers = {**example_answers(), "lab_social_insurance_full": False}
    first_id = save_result(run_selfcheck(answers, ENTERPRISE))
    save_result(run_selfcheck(answers, "另一家公司"))
    second_id = save_result(run_selfcheck({**answers, "lab_social_insurance_full": True}, ENTERPRISE))
    runs = list_results(ENTERPRISE)
    assert [r.id for r in runs] == [first_id, second_id]
    comparison = compare_stored(runs[0], runs[1])
    assert comparison.theme_deltas["labor"] > 0
    assert "LAB-008" in comparison.resolved
    assert previous_result(ENTERPRISE, before_id=second_id).id == first_id


def test_results_are_listed_per_owner():
    init_db()
    from legal_assistant.auth.service import create_first_admin

    owner = create_first_admin("boss", "Correct-Horse-42")
    save_result(run_selfcheck(example_answers(), ENTERPRISE), owner_id=owner.user_id)
    save_result(run_selfcheck(example_answers(), ENTERPRISE), owner_id=None)
    assert len(list_results(ENTERPRISE, owner_id=owner.user_id)) == 1


def test_cli_save_compares_with_the_previous_run_of_the_same_enterprise(tmp_path, monkeypatch):
    init_db()
    from legal_assistant.auth.service import create_first_admin

    create_first_admin("boss", "Correct-Horse-42")
    monkeypatch.setenv("LEGAL_CLI_USER", "boss")
    path = tmp_path / "answers.json"
    answers = {**example_answers(), "fin_provides_guarantee": True, "fin_guarantee_resolution": False}
    path.write_text(json.dumps({"enterprise_name": ENTERPRISE, "answers": answers}, ensure_ascii=False), encoding="utf-8")
    first = runner.invoke(app, ["selfcheck", "--answers", str(path), "--save", "--json"])
    assert first.exit_code == 0, first.stderr
    assert "comparison" not in json.loads(first.stdout)
    answers["fin_guarantee_resolution"] = True
    path.write_text(json.dumps({"enterprise_name": ENTERPRISE, "answers": answers}, ensure_ascii=False), encoding="utf-8")
    second = json.loads(runner.invoke(app, ["selfcheck", "--answers", str(path), "--save", "--json"]).stdout)
    assert second["comparison"]["theme_deltas"]["融资借贷与担保"] > 0
    assert {"id": "FIN-008", "title": "公司对外担保未经董事会或股东会决议"} in second["comparison"]["resolved"]
