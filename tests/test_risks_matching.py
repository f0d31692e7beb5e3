"""match_risks: questions and contract clauses find the risk points they touch."""

from __future__ import annotations

import time

import pytest

from legal_assistant.risks.matching import match_risks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本合同定金为合同总价款的30%，买方于签约后三日内支付。", "CON-001"),
        ("本合同争议可以向嘉兴仲裁委员会申请仲裁，也可以向甲方所在地人民法院起诉。", "CON-008"),
        ("甲方应在收到业主付款后支付乙方货款。", "CON-006"),
        ("劳动合同期限一年，试用期六个月。", "LAB-002"),
        ("乙方离职后三年内不得在同行业任职，公司不另行支付竞业限制补偿。", "LAB-004"),
        ("借款年利率为24%，逾期另按日千分之一计收罚息。", "FIN-001"),
        ("债务人到期未清偿的，抵押物归抵押权人所有。", "FIN-009"),
        ("员工入职两个月了还没签劳动合同怎么办？", "LAB-001"),
        ("员工不愿意交社保可以吗？", "LAB-008"),
        ("客户的手机号能不能卖给别的公司？", "DAT-003"),
        ("公司为股东的借款提供担保需要什么程序？", "FIN-008"),
    ],
)
def test_question_or_clause_matches_its_risk_point_first(text, expected):
    matches = match_risks(text)
    assert matches, text
    assert matches[0].risk.id == expected, [(m.risk.id, m.score) for m in matches]


def test_text_unrelated_to_any_risk_matches_nothing():
    assert match_risks("今天天气很好，我们去南湖划船。") == []
    assert match_risks("") == []


def test_full_width_characters_match_like_half_width():
    assert match_risks("借款利率超过ＬＰＲ四倍")[0].risk.id == match_risks("借款利率超过LPR四倍")[0].risk.id == "FIN-001"


def test_theme_filter_limits_matches_to_one_theme():
    matches = match_risks("违约金过高，定金超过百分之二十", theme="contract", top_k=10)
    assert matches and {m.risk.theme for m in matches} == {"contract"}


def test_match_explains_which_trigger_or_keyword_matched():
    match = match_risks("竞业限制期限为三年")[0]
    assert match.risk.id == "LAB-004"
    assert "竞业限制期限为三年" in match.matched


def test_matching_is_fast_enough_for_every_clause_of_a_contract():
    match_risks("预热")  # builds the index once
    clauses = ["第%d条 甲方应按期支付货款，逾期每日按千分之五支付违约金。" % i for i in range(200)]
    started = time.perf_counter()
    for clause in clauses:
        match_risks(clause)
    assert (time.perf_counter() - started) / len(clauses) < 0.02


def test_common_enterprise_questions_find_their_risk_point_first():
    import yaml

    path = __import__("pathlib").Path(__file__).parent / "data" / "risks_match_questions.yaml"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    top1 = [match_risks(c["text"])[:1] for c in cases]
    hits = sum(bool(m) and m[0].risk.id == c["expect"] for m, c in zip(top1, cases))
    top3 = sum(c["expect"] in [m.risk.id for m in match_risks(c["text"], top_k=3)] for c in cases)
    assert hits / len(cases) >= 0.9
    assert top3 / len(cases) >= 0.95


def test_match_as_dict_gives_risk_level_remediation_and_dated_citations_for_qa():
    payload = match_risks("借款年利率为24%")[0].as_dict()
    assert payload["id"] == "FIN-001" and payload["severity_label"] == "高"
    assert payload["remediation"]
    assert any("（2020-12-29）" in c for c in payload["citations"])
