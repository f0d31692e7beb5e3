"""Review reports: the contract as DOCX with Word comments on each flagged clause, and HTML.

A DOCX upload is annotated in place (its own formatting kept); PDF and TXT uploads are rebuilt as
DOCX paragraph by paragraph so the same comments can be anchored. A summary page goes first.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from legal_assistant.contracts.engine import SEVERITY_ZH, Finding, ReviewResult

AUTHOR = "最嘉法护合同体检"
INITIALS = "ZJ"


def _comment_lines(finding: Finding) -> list[str]:
    lines = [f"【{SEVERITY_ZH[finding.severity]}风险】{finding.title}（{finding.rule_id}）", finding.explanation, f"修改建议：{finding.suggestion}"]
    lines.append("法律依据：" + "；".join(c["citation"] for c in finding.citations))
    return lines


def _docx_blocks(word) -> list:
    """Paragraph objects in the order documents.read_document numbered them (table rows included)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    blocks = []
    for block in word.iter_inner_content():
        if isinstance(block, DocxParagraph):
            blocks.append(block)
        elif isinstance(block, Table):
            for row in block.rows:
                blocks.append(row.cells[0].paragraphs[0] if row.cells and row.cells[0].paragraphs else None)
    return blocks


def build_docx(result: ReviewResult, original: bytes | None = None, paragraphs: list[str] | None = None) -> bytes:
    """The annotated contract as DOCX bytes.

    ``original`` is the uploaded DOCX (annotated in place); otherwise ``paragraphs`` (the text of
    the PDF/TXT, in reading order) are written into a new document.
    """
    import docx
    from docx.enum.text import WD_BREAK

    if original is not None:
        word = docx.Document(io.BytesIO(original))
        blocks = _docx_blocks(word)
    else:
        word = docx.Document()
        blocks = [word.add_paragraph(text) for text in (paragraphs or [])]
    if not blocks:
        blocks = [word.add_paragraph(result.title or "合同")]

    for finding in result.findings:
        target = None
        for index in finding.paragraph_indices:
            if 0 <= index < len(blocks) and blocks[index] is not None:
                target = blocks[index]
                break
        if target is None:
            continue
        runs = target.runs or [target.add_run("")]
        lines = _comment_lines(finding)
        comment = word.add_comment(runs, text=lines[0], author=AUTHOR, initials=INITIALS)
        for line in lines[1:]:
            comment.add_paragraph(line)

    first = next(b for b in blocks if b is not None)
    _insert_summary(word, first, result)
    page_break_holder = first.insert_paragraph_before("")
    page_break_holder.add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _insert_summary(word, anchor, result: ReviewResult) -> None:
    """Summary page placed before ``anchor`` (the first paragraph of the contract)."""
    def before(text: str = "", style: str | None = None, bold: bool = False):
        paragraph = anchor.insert_paragraph_before("", style=style)
        run = paragraph.add_run(text)
        run.bold = bold
        return paragraph

    before("合同体检报告", style="Title" if "Title" in [s.name for s in word.styles] else None, bold=True)
    stance = result.stance if result.stance != "neutral" else "中立"
    before(f"合同：{result.title or result.filename}    类型：{result.contract_type_name}    审查立场：{stance}")
    counts = result.counts()
    before(f"综合评分：{result.score} / 100    高风险 {counts['high']} 项，中风险 {counts['medium']} 项，低风险 {counts['low']} 项", bold=True)
    table = word.add_table(rows=1, cols=3)
    table.style = "Table Grid" if "Table Grid" in [s.name for s in word.styles] else None
    header = table.rows[0].cells
    header[0].text, header[1].text, header[2].text = "维度", "得分", "说明"
    for dimension in result.dimensions.values():
        cells = table.add_row().cells
        cells[0].text = dimension["name"]
        cells[1].text = f"{dimension['score']} / {dimension['max']}"
        cells[2].text = dimension["explanation"]
    anchor._p.addprevious(table._tbl)
    before("")
    before("问题清单", bold=True)
    if not result.findings:
        before("未发现需要提示的风险。")
    for number, finding in enumerate(result.findings, start=1):
        place = finding.clause or "缺失条款"
        paragraph = before(f"{number}. 【{SEVERITY_ZH[finding.severity]}】{place}：{finding.title}（{finding.rule_id}）")
        if finding.clause is None:
            lines = _comment_lines(finding)
            comment = word.add_comment(paragraph.runs, text=lines[0], author=AUTHOR, initials=INITIALS)
            for line in lines[1:]:
                comment.add_paragraph(line)
    before("说明：本报告由规则引擎自动生成，引用的法条均取自本系统法规库；不构成法律意见，重要交易请咨询律师或法律援助人员。")


def build_html(result: ReviewResult) -> str:
    esc = html.escape
    counts = result.counts()
    colors = {"high": "#c0392b", "medium": "#d68910", "low": "#2e86c1"}
    by_clause: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_clause.setdefault(finding.clause or "", []).append(finding)

    def finding_html(finding: Finding) -> str:
        cites = "".join(
            f"<li><b>{esc(c['citation'])}</b><br><span class='law'>{esc(c['text'])}</span></li>" for c in finding.citations
        )
        excerpt = f"<blockquote>{esc(finding.excerpt)}</blockquote>" if finding.excerpt else ""
        return (
            f"<div class='finding' style='border-left:4px solid {colors[finding.severity]}'>"
            f"<div><span class='sev' style='background:{colors[finding.severity]}'>{SEVERITY_ZH[finding.severity]}风险</span> "
            f"<b>{esc(finding.title)}</b> <code>{esc(finding.rule_id)}</code></div>{excerpt}"
            f"<p>{esc(finding.explanation)}</p><p><b>修改建议：</b>{esc(finding.suggestion)}</p><ul>{cites}</ul></div>"
        )

    dims = "".join(
        f"<tr><td>{esc(d['name'])}</td><td><div class='bar'><div style='width:{d['percent']}%'></div></div></td>"
        f"<td>{d['score']}/{d['max']}</td><td>{esc(d['explanation'])}</td></tr>"
        for d in result.dimensions.values()
    )
    clauses = []
    for clause in result.structure.clauses:
        flagged = by_clause.get(clause.number, [])
        side = "".join(finding_html(f) for f in flagged) or "<p class='ok'>未发现问题</p>"
        clauses.append(
            f"<tr class='{'flag' if flagged else ''}'><td class='clause'><pre>{esc(clause.text)}</pre></td><td>{side}</td></tr>"
        )
    missing = "".join(finding_html(f) for f in by_clause.get("", []))
    stance = result.stance if result.stance != "neutral" else "中立"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>合同体检报告 - {esc(result.title)}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse;width:100%}} td,th{{border:1px solid #ddd;padding:6px;vertical-align:top}}
.bar{{background:#eee;width:160px;height:10px}} .bar div{{background:#27ae60;height:10px}}
.sev{{color:#fff;padding:1px 6px;border-radius:3px;font-size:90%}} .finding{{padding:4px 10px;margin:6px 0;background:#fafafa}}
.clause pre{{white-space:pre-wrap;font-family:inherit;margin:0}} tr.flag td.clause{{background:#fff8e6}} .ok{{color:#27ae60}}
.law{{color:#555;font-size:90%}} blockquote{{margin:4px 0;padding-left:8px;border-left:3px solid #ccc;color:#444}}
.score{{font-size:48px;font-weight:bold}}
</style></head><body>
<h1>合同体检报告</h1>
<p>{esc(result.title or result.filename)} ｜ 类型：{esc(result.contract_type_name)} ｜ 审查立场：{esc(stance)}</p>
<p class="score">{result.score}<small>/100</small></p>
<p>高风险 {counts['high']} 项，中风险 {counts['medium']} 项，低风险 {counts['low']} 项</p>
<h2>维度评分</h2><table><tr><th>维度</th><th></th><th>得分</th><th>说明</th></tr>{dims}</table>
<h2>缺失的必要条款</h2>{missing or "<p class='ok'>未发现缺失的必要条款</p>"}
<h2>逐条审查</h2><table><tr><th style="width:50%">条款原文</th><th>审查意见</th></tr>{''.join(clauses)}</table>
<p class="law">本报告由规则引擎自动生成，引用的法条均取自本系统法规库；不构成法律意见，重要交易请咨询律师或法律援助人员。</p>
</body></html>"""


def write_report(result: ReviewResult, out: Path, original: bytes | None = None) -> Path:
    """Write ``report.docx`` or ``report.html`` depending on the suffix of ``out``.

    ``original`` is the uploaded file; only a DOCX original is annotated in place.
    """
    out = Path(out)
    if out.suffix.lower() == ".docx":
        out.write_bytes(build_docx(result, original if result.document_kind == "docx" else None, result.paragraph_texts))
    elif out.suffix.lower() in (".html", ".htm"):
        out.write_text(build_html(result), encoding="utf-8")
    else:
        raise ValueError("报告只能输出为 .docx 或 .html 文件")
    return out
