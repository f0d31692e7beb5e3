"""``legal-assistant settle`` and ``settle-case``: one JSON object on stdout, zh-CN errors with exit code 2."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import typer
from docx import Document
from typer.testing import CliRunner

from legal_assistant.settlement.cli import register_settlement_commands
from legal_assistant.settlement.documents import document_text
from storage_support import sqlite_database  # noqa: F401
from test_settlement_supervision import AGREED_ON, people, settlement_input, six_month_plan

runner = CliRunner()
# The commands exactly as the root ``legal-assistant`` app registers them (cli.py calls the same
# function), without importing every other feature's command module.
app = typer.Typer()
register_settlement_commands(app)


def run(*args, **env):
    return runner.invoke(app, list(args), env=env or None)


def test_the_example_is_a_complete_input_that_settle_accepts(tmp_path):
    example = run("settle", "--example", "--json")
    assert example.exit_code == 0
    data_file = tmp_path / "case.json"
    data_file.write_text(example.stdout, encoding="utf-8")
    result = run("settle", "--data", str(data_file), "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2025-09-20"
    assert set(payload["owed"]) == {"principal", "interest", "delay_interest", "costs", "total"}
    assert payload["owed"]["total"] == "888328.19"
    assert payload["capacity"]["free_cash_flow"] == "85000.00" and payload["capacity"]["score"] == 83
    for plan in payload["plans"]:
        assert {"months", "down_payment", "schedule", "affordable"} <= set(plan)
        assert sum(Decimal(item["amount"]) for item in plan["schedule"]) == Decimal(plan["agreed_total"])
        assert all(set(item) >= {"n", "due_date", "amount"} for item in plan["schedule"])
        assert all(item["amount"].count(".") == 1 and len(item["amount"].split(".")[1]) == 2 for item in plan["schedule"])
    citations = {c["citation"] for c in payload["citations"]}
    assert "《民事诉讼法》第二百六十四条（2023-09-01版）" in citations


def test_plan_n_with_out_writes_the_agreement_and_the_note(tmp_path):
    data_file = tmp_path / "case.json"
    data_file.write_text(run("settle", "--example", "--json").stdout, encoding="utf-8")
    out, note = tmp_path / "draft.docx", tmp_path / "note.docx"
    result = run("settle", "--data", str(data_file), "--plan", "3", "--out", str(out), "--note", str(note), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["written"] == [str(out), str(note)]
    assert "执行和解协议" in document_text(Document(out))
    assert "执行和解方案说明" in document_text(Document(note))


def test_capacity_can_be_imported_from_a_csv_and_the_as_of_date_overridden(tmp_path):
    data_file = tmp_path / "case.json"
    data_file.write_text(run("settle", "--example", "--json").stdout, encoding="utf-8")
    table = tmp_path / "capacity.csv"
    table.write_text("类别,名称,金额,可继续使用,月还款\n月收入,收入,300000,,\n月支出,成本,200000,,\n现金,基本户,50000,,\n", encoding="utf-8")
    result = run("settle", "--data", str(data_file), "--capacity", str(table), "--as-of", "2025-10-20", "--json")
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2025-10-20"
    assert payload["capacity"]["free_cash_flow"] == "100000.00"


def test_errors_are_zh_cn_on_stderr_with_exit_code_2(tmp_path):
    data = json.loads(run("settle", "--example", "--json").stdout)
    data["case_number"] = "（2025）浙0402执1234"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("settle", "--data", str(bad), "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "应以“号”结尾" in result.stderr
    missing_plan = run("settle", "--data", str(bad), "--out", str(tmp_path / "x.docx"))
    assert missing_plan.exit_code == 2 and "--plan" in missing_plan.stderr
    not_json = tmp_path / "not.json"
    not_json.write_text("{", encoding="utf-8")
    assert "不是有效的 UTF-8 JSON" in run("settle", "--data", str(not_json)).stderr


def test_supervision_commands_create_pay_status_and_resume(sqlite_database, tmp_path):  # noqa: F811
    people()
    data = settlement_input()
    data_file = tmp_path / "case.json"
    data_file.write_text(data.model_dump_json(), encoding="utf-8")
    env = {"LEGAL_CLI_USER": "judge_nh"}
    created = run("settle-case", "create", "--data", str(data_file), "--plan", str(six_month_plan(data)), "--json", **env)
    assert created.exit_code == 0, created.stderr
    case_id = str(json.loads(created.stdout)["case_id"])

    status = json.loads(run("settle-case", "status", case_id, "--as-of", AGREED_ON.isoformat(), "--json", **env).stdout)
    down = status["installments"][0]
    paid = run("settle-case", "pay", case_id, "--amount", down["amount"], "--date", down["due_date"], "--json", **env)
    assert json.loads(paid.stdout)["installments"][0]["state"] == "已付清"

    later = (AGREED_ON + timedelta(days=100)).isoformat()
    status = json.loads(run("settle-case", "status", case_id, "--as-of", later, "--json", **env).stdout)
    assert status["default"] and status["installments"][1]["state"] == "逾期"
    assert status["installments"][1]["days_late"] > 15

    out = tmp_path / "resume.docx"
    resumed = run("settle-case", "resume", case_id, "--out", str(out), "--as-of", later, "--json", **env)
    assert resumed.exit_code == 0, resumed.stderr
    payload = json.loads(resumed.stdout)
    assert payload["as_of"] == later and Decimal(payload["owed"]["total"]) > 0
    assert "恢复执行申请书" in document_text(Document(out))

    listed = json.loads(run("settle-case", "list", "--json", **env).stdout)
    assert [c["status"] for c in listed["cases"]] == ["defaulted"]
    refused = run("settle-case", "status", case_id, "--json", LEGAL_CLI_USER="judge_xz")
    assert refused.exit_code == 2 and "无权访问" in refused.stderr
