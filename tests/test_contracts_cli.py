"""The command line: one file as JSON, Word report with real comments, HTML, a folder with a CSV
summary, the labelled evaluation, the benchmark, and clear errors for bad files."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import docx
from typer.testing import CliRunner

from legal_assistant.cli import app

DATA = Path(__file__).resolve().parent / "data" / "contracts"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_review_json_has_the_documented_shape():
    result = invoke("review", str(DATA / "01_private_loan.txt"), "--stance", "乙方", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) >= {"contract_type", "score", "dimensions", "facts", "findings"}
    assert payload["contract_type"] == "private_loan"
    assert 0 <= payload["score"] <= 100
    finding = next(f for f in payload["findings"] if f["rule_id"] == "FIN-INTEREST-OVER-4LPR")
    assert finding["clause"] == "第三条" and "月息二分五厘" in finding["excerpt"]
    assert set(finding) >= {"rule_id", "severity", "clause", "excerpt", "explanation", "suggestion", "citations"}
    assert {"law", "article", "text"} <= set(finding["citations"][0])
    missing = next(f for f in payload["findings"] if f["rule_id"] == "MISS-DISPUTE")
    assert missing["excerpt"] is None and missing["clause"] is None


def test_docx_report_keeps_the_original_and_anchors_word_comments_on_flagged_clauses(tmp_path):
    out = tmp_path / "report.docx"
    result = invoke("review", str(DATA / "02_labor.docx"), "--stance", "乙方", "--out", str(out))
    assert result.exit_code == 0, result.output
    report = docx.Document(str(out))
    texts = [p.text for p in report.paragraphs]
    assert texts[0] == "合同体检报告"
    assert "第六条 入职手续" in texts  # the original contract follows the summary page
    comments = list(report.comments)
    assert any("LAB-WORKER-DEPOSIT" in c.text for c in comments)
    assert all(c.author == "最嘉法护合同体检" for c in comments)
    with zipfile.ZipFile(out) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert body.count("<w:commentRangeStart") == len(comments)


def test_a_txt_contract_is_rebuilt_as_docx_with_comments_and_an_html_report(tmp_path):
    out_docx, out_html = tmp_path / "r.docx", tmp_path / "r.html"
    assert invoke("review", str(DATA / "04_shop_lease.txt"), "--out", str(out_docx)).exit_code == 0
    assert invoke("review", str(DATA / "04_shop_lease.txt"), "--out", str(out_html)).exit_code == 0
    report = docx.Document(str(out_docx))
    assert any("2.1 租期为二十五年" in p.text for p in report.paragraphs)
    assert any("LEASE-TERM-OVER-20Y" in c.text for c in report.comments)
    html = out_html.read_text(encoding="utf-8")
    assert "合同体检报告" in html and "《民法典》第七百零五条" in html and "租赁期限不得超过二十年" in html


def test_a_folder_is_reviewed_with_a_csv_summary(tmp_path):
    for name in ("05_supply.txt", "14_sale_gbk.txt"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 broken")
    result = invoke("review", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "review_summary.csv").open(encoding="utf-8-sig")))
    assert [r["file"] for r in rows] == ["05_supply.txt", "14_sale_gbk.txt", "scan.pdf"]
    assert rows[0]["contract_type"] == "供货/采购合同" and int(rows[0]["score"]) < 100
    assert rows[2]["error"] and rows[2]["score"] == ""


def test_an_unreadable_file_exits_2_with_a_chinese_message(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = invoke("review", str(bad), "--json")
    assert result.exit_code == 2
    assert "文件为空" in result.stderr
    assert result.stdout == ""


def test_the_evaluation_reports_recall_grounded_recall_and_false_flags():
    result = invoke("eval", "contracts", "--dir", str(DATA), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["contracts"] >= 12 and report["planted"] >= 40
    assert report["recall"] >= 0.9
    assert report["grounded_recall"] >= 0.8
    assert report["false_flags"] == 0
    assert report["type_accuracy"] >= 0.9


def test_the_benchmark_prints_its_figures():
    result = invoke("bench", "review", "--pages", "5", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["pages"] == 5 and figures["clauses"] > 50 and figures["characters"] >= 4500
    assert figures["findings"] > 0 and figures["warm_seconds"] > 0


def test_contracts_written_blind_to_the_rules_keep_their_findings():
    """Seventeen batches written by people who never saw the rules (first runs 0.70, 0.70, 0.59, 0.70,
    0.43, 0.53, 0.57, 0.63, 0.65 and 0.54 recall by rules alone; then, with 相似条款提示, 0.89, 0.96,
    0.90, 0.82, 0.97, 0.76 and 0.93); what was fixed after those first runs must stay fixed, without flags on
    sound clauses. The hints learnt from these very contracts, so the rules must carry the recall."""
    result = invoke("eval", "contracts", "--dir", str(DATA.parent / "contracts_blind"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["contracts"] == 272 and report["planted"] == 846 and report["sound_clauses"] == 2201
    assert report["recall_by_rules"] >= 0.92 and report["grounded_recall"] >= 0.98
    # One disagreement with a writer, kept as written: a delivery penalty of 1% of the order per day
    # with no cap (365% a year) is labelled sound; the reviewer flags it as excessive (民法典第五百八十五条).
    flags = [(c["file"], f["clause"], f["rule_id"]) for c in report["per_contract"] for f in c["false_flags"]]
    assert flags == [("o05_农产品供货合同.docx", "第九条", "PENALTY-DAILY-RATE-HIGH")]
