"""``legal-assistant review`` (one file or a folder), ``eval contracts`` and ``bench review``."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import typer

from legal_assistant.documents import DocumentError

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".txt"}


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code=2)


def _print_json(payload: dict) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def review(
    path: Path = typer.Argument(..., help="合同文件（PDF/DOCX/TXT），或包含多份合同的文件夹"),
    stance: str = typer.Option("neutral", "--stance", help="审查立场：甲方、乙方 或 neutral（中立）"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
    out: Path | None = typer.Option(None, "--out", help="报告输出路径：report.docx（带批注）或 report.html"),
    csv_path: Path | None = typer.Option(None, "--csv", help="批量审查的汇总 CSV 路径（默认写在文件夹内）"),
    password: str | None = typer.Option(None, "--password", help="加密 PDF 的打开密码"),
) -> None:
    """合同体检：识别合同类型，按立场标出风险条款和缺失条款，并给出法律依据与评分。"""
    from legal_assistant.contracts.engine import normalise_stance, review_file

    try:
        stance = normalise_stance(stance)
    except ValueError as error:
        _fail(str(error))
    if not path.exists():
        _fail(f"找不到文件或文件夹：{path}")
    if path.is_dir():
        _review_folder(path, stance, csv_path, as_json)
        return
    data = path.read_bytes()
    try:
        result = review_file(data, stance, filename=path.name, password=password)
    except DocumentError as error:
        _fail(f"无法读取 {path.name}：{error}")
    if out is not None:
        from legal_assistant.contracts.report import write_report

        try:
            write_report(result, out, original=data)
        except ValueError as error:
            _fail(str(error))
    if as_json:
        payload = result.as_dict()
        payload.pop("clauses", None)
        if out is not None:
            payload["report"] = str(out)
        _print_json(payload)
        return
    _print_human(result, out)


def _print_human(result, out: Path | None) -> None:
    from legal_assistant.contracts.engine import SEVERITY_ZH

    stance = result.stance if result.stance != "neutral" else "中立"
    typer.echo(f"{result.title or result.filename}｜{result.contract_type_name}｜立场：{stance}｜评分 {result.score}/100")
    for dimension in result.dimensions.values():
        typer.echo(f"  {dimension['name']}：{dimension['score']}/{dimension['max']}")
    for finding in result.findings:
        typer.echo(f"[{SEVERITY_ZH[finding.severity]}] {finding.clause or '缺失条款'} {finding.title}（{finding.rule_id}）")
        if finding.excerpt:
            typer.echo(f"    原文：{finding.excerpt}")
        typer.echo(f"    依据：{'；'.join(c['citation'] for c in finding.citations)}")
    if out is not None:
        typer.echo(f"报告已写入：{out}")


def _review_folder(folder: Path, stance: str, csv_path: Path | None, as_json: bool) -> None:
    from tqdm import tqdm

    from legal_assistant.contracts.engine import review_file

    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    if not files:
        _fail(f"文件夹中没有 PDF、DOCX 或 TXT 文件：{folder}")
    csv_path = csv_path or folder / "review_summary.csv"
    rows = []
    for path in tqdm(files, desc="合同体检", unit="份", file=sys.stderr):
        row = {"file": str(path.relative_to(folder)), "contract_type": "", "score": "", "high": "", "medium": "", "low": "", "top_findings": "", "error": ""}
        try:
            result = review_file(path, stance)
        except DocumentError as error:
            row["error"] = str(error)
        else:
            counts = result.counts()
            row.update(
                contract_type=result.contract_type_name,
                score=result.score,
                high=counts["high"],
                medium=counts["medium"],
                low=counts["low"],
                top_findings="；".join(f"{f.clause or '缺失'}:{f.rule_id}" for f in result.findings[:5]),
            )
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    # UTF-8 with BOM so Excel opens the Chinese text correctly.
    csv_path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    if as_json:
        _print_json({"csv": str(csv_path), "files": len(rows), "errors": sum(1 for r in rows if r["error"]), "results": rows})
    else:
        typer.echo(f"已审查 {len(rows)} 份合同，汇总写入：{csv_path}")


def eval_contracts(
    directory: Path = typer.Option(Path("tests/data/contracts"), "--dir", help="带 labels.yaml 的合同测试集目录"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
) -> None:
    """合同体检评测：埋点问题召回率、引用正确的召回率、健全条款上的误报。"""
    from legal_assistant.contracts.evaluation import evaluate_directory

    if not (directory / "labels.yaml").exists():
        _fail(f"目录中没有 labels.yaml：{directory}")
    report = evaluate_directory(directory)
    if as_json:
        _print_json(report)
        return
    typer.echo(
        f"合同 {report['contracts']} 份，埋点 {report['planted']} 处：召回率 {report['recall']}，"
        f"引用正确召回率 {report['grounded_recall']}，健全条款误报 {report['false_flags']} 处，类型识别准确率 {report['type_accuracy']}"
    )
    for item in report["per_contract"]:
        for missed in item["missed"]:
            typer.echo(f"  漏报 {item['file']} {missed['clause']} {missed['rules']}")
        for flag in item["false_flags"]:
            typer.echo(f"  误报 {item['file']} {flag['clause']} {flag['rule_id']}")


def bench_review(
    pages: int = typer.Option(30, "--pages", help="生成的合同页数（约 900 字一页）"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
) -> None:
    """合同体检性能基准：生成约 30 页的 DOCX 合同，测量读取 + 审查耗时。"""
    from legal_assistant.contracts.benchmark import run_benchmark

    figures = run_benchmark(pages)
    if as_json:
        _print_json(figures)
        return
    typer.echo(
        f"{figures['pages']} 页合同（{figures['characters']} 字，{figures['clauses']} 条）："
        f"首次审查 {figures['cold_seconds']:.2f} 秒（含加载规则与法规库），再次审查 {figures['warm_seconds']:.2f} 秒，发现 {figures['findings']} 项"
    )


def train_clause_hints(
    directories: list[Path] = typer.Option([Path("tests/data/contracts_blind")], "--dir", help="带 labels.yaml 的合同目录（可多次指定）"),
    threshold: float = typer.Option(0.55, "--threshold", help="提示阈值：模型估计的风险概率达到该值才提示"),
) -> None:
    """从带标注的合同生成相似条款提示的样例库（legal_assistant/contracts/data/clause_examples.json）。"""
    from legal_assistant.contracts.hints import EXAMPLES_PATH, examples_from_labels, write_examples

    examples = []
    for directory in directories:
        if not (directory / "labels.yaml").exists():
            _fail(f"目录中没有 labels.yaml：{directory}")
        examples.extend(examples_from_labels(directory))
    write_examples(examples, threshold)
    typer.echo(f"样例 {len(examples)} 条（风险条款 {sum(e.risky for e in examples)} 条），写入 {EXAMPLES_PATH}")


def eval_clause_hints(as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象")) -> None:
    """相似条款提示的留一批交叉验证：用其余批次训练，看留出批次的风险条款有多少被提示、依据是否正确、健全条款被提示的比例。"""
    from legal_assistant.contracts.hints import cross_validate, load_examples

    examples, options = load_examples()
    report = cross_validate(examples, float(options["threshold"]))
    if as_json:
        _print_json(report)
        return
    typer.echo(f"{report['batches']} 批合同，风险条款 {report['risky']} 条，健全条款 {report['sound']} 条（留一批交叉验证）")
    for row in report["by_threshold"]:
        typer.echo(
            f"  阈值 {row['threshold']:.2f}：风险条款被提示 {row['risky_flagged']:.1%}，其中依据正确 {row['risky_flagged_grounded']:.1%}；"
            f"健全条款被提示 {row['sound_flagged']:.1%}"
        )


bench_app = typer.Typer(help="性能基准", no_args_is_help=True)
bench_app.command("review")(bench_review)


def register_contract_commands(app: typer.Typer) -> None:
    """``review``, ``eval contracts`` (added to an existing ``eval`` group if there is one) and ``bench review``."""
    app.command("review")(review)
    eval_group = next((group.typer_instance for group in app.registered_groups if group.name == "eval"), None)
    if eval_group is None:
        eval_group = typer.Typer(help="评测", no_args_is_help=True)
        app.add_typer(eval_group, name="eval")
    eval_group.command("contracts")(eval_contracts)
    eval_group.command("clause-hints")(eval_clause_hints)
    train_group = next((group.typer_instance for group in app.registered_groups if group.name == "train"), None)
    if train_group is not None:
        train_group.command("clause-hints")(train_clause_hints)
    bench_group = next((group.typer_instance for group in app.registered_groups if group.name == "bench"), None)
    if bench_group is None:
        app.add_typer(bench_app, name="bench")
    else:
        bench_group.command("review")(bench_review)
