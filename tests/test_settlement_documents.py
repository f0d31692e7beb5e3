"""The DOCX drafts: real files, the agreed figures and clauses in them, and only verified citations."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from docx import Document

from legal_assistant.corpus import get_corpus
from legal_assistant.settlement.analysis import analyse
from legal_assistant.settlement.documents import agreement_document, document_text, note_document
from legal_assistant.settlement.inputs import example_input, load_input
from legal_assistant.settlement.legal_basis import legal_bases


@pytest.fixture(scope="module")
def analysis():
    return analyse(load_input(example_input()))


def saved_text(document, path) -> str:
    document.save(path)
    return document_text(Document(path))  # read back from disk: what the assistant will open


def test_the_agreement_draft_states_the_plan_the_schedule_and_the_clauses(analysis, tmp_path):
    plan = analysis.plan(3)  # 12 months, equal, affordable in the example
    text = saved_text(agreement_document(analysis, plan), tmp_path / "agreement.docx")
    assert "执行和解协议" in text and "（2025）浙0402执1234号" in text
    assert f"和解款共计{plan.agreed_total:,.2f}元" in text
    assert f"减免加倍部分债务利息{plan.waived_delay_interest:,.2f}元" in text
    for installment in plan.installments:
        assert f"{installment.amount:,.2f}" in text
    assert f"合计\t\t{plan.agreed_total:,.2f}" in text
    assert "逾期超过15日未足额支付的，剩余未付各期视为全部到期" in text
    assert "自愿接受人民法院直接强制执行" in text  # guarantor clause (执行和解规定第十八条)
    assert "申请解除对南湖区某路8号厂房" in text  # release of seizure after the down payment (第三条)
    assert "申请恢复执行原生效法律文书" in text and "已履行部分依法扣除" in text
    assert "2026-02-20 为春节假期，顺延至 2026-02-24" in text


def test_clause_numbers_referred_to_inside_the_agreement_match_the_numbering(analysis, tmp_path):
    text = saved_text(agreement_document(analysis, analysis.plan(3)), tmp_path / "agreement.docx")
    referred = re.search(r"依照本协议第(\S+?)条的约定处理", text).group(1)
    assert f"第{referred}条 不履行的后果" in text


def test_without_a_guarantor_or_seized_assets_those_clauses_are_left_out(tmp_path):
    data = example_input()
    data["negotiation"]["guarantor"] = None
    data["capacity"]["seized_assets"] = []
    plain = analyse(load_input(data))
    text = saved_text(agreement_document(plain, plain.plan(3)), tmp_path / "plain.docx")
    assert "担保" not in text.split("附表一")[0]
    assert "解除查封" not in text
    assert "第十八条" not in text


def test_every_citation_in_the_drafts_is_one_resolved_from_the_corpus(analysis, tmp_path):
    corpus = get_corpus()
    known = {basis.citation for basis in legal_bases().values()}
    for name, document in (
        ("agreement.docx", agreement_document(analysis, analysis.plan(3))),
        ("note.docx", note_document(analysis, analysis.plan(3))),
    ):
        text = saved_text(document, tmp_path / name)
        basis_part = text.split("法律依据\n", 1)[1]
        cited = re.findall(r"^(《.+?》第[一二三四五六七八九十百零]+条（\d{4}-\d{2}-\d{2}版）)", basis_part, flags=re.M)
        assert cited and set(cited) <= known
        for citation in corpus.find_citations(text):
            assert corpus.resolve(citation) is not None, citation
    assert "《民事诉讼法》第二百六十四条（2023-09-01版）" in cited


def test_the_note_to_the_file_explains_formulas_capacity_and_the_trade_off(analysis, tmp_path):
    plan = analysis.plan(3)
    text = saved_text(note_document(analysis, plan), tmp_path / "note.docx")
    assert "一、应付金额计算" in text and "日万分之一点七五" in text
    assert "月自由现金流 = 月营业收入 1,250,000.00" in text
    assert f"还款能力评分：{analysis.capacity.score}分" in text
    assert "三、可选方案比较（期限与让利的取舍）" in text
    assert "否：6期超过每期还款上限" in text  # the unaffordable 6-month plan is shown as such
    assert f"拟采用方案3：12个月等额" in text
    assert "第二百六十四条" in text and "2012年修正本" in text
    assert "只按周末顺延" in text  # the calendar warning reaches the file
    assert "应在2028年9月20日前申请恢复执行" in text  # last due 2026-09-20 + two years
    assert sum(i.amount for i in plan.installments) == Decimal(f"{plan.agreed_total}")
