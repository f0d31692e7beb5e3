"""The reviewer: clause splitting, contract types, key facts, stance, numeric checks, missing
clauses, grounded citations and the self-explaining score."""

from __future__ import annotations

import pytest

from legal_assistant.contracts.engine import review_text
from legal_assistant.contracts.rulebook import get_rulebook
from legal_assistant.contracts.segment import clause_key, segment

LOAN = """借款合同

出借人（甲方）：王建国
借款人（乙方）：李明

第一条 借款金额为人民币壹拾万元整（¥100,000）。
第二条 借款期限自2024年3月1日起至2025年2月28日止，借款年利率为15%。
第三条 因本合同发生的争议，向甲方住所地人民法院起诉。
第四条 乙方未按期还款的，应承担违约责任，按未还金额每日万分之三支付违约金。

甲方（签字）：王建国
乙方（签字）：李明
签订日期：2024年3月1日
"""


def by_rule(result):
    return {f.rule_id: f for f in result.findings}


def test_clauses_keep_their_number_as_written_and_a_comparable_key():
    structure = segment(list(enumerate(LOAN.split("\n"))))
    assert structure.title == "借款合同"
    assert [p.side for p in structure.parties] == ["甲方", "乙方"]
    assert [p.role for p in structure.parties] == ["出借人", "借款人"]
    assert [c.number for c in structure.clauses] == ["第一条", "第二条", "第三条", "第四条"]
    assert structure.clauses[1].key == "2"
    assert structure.tail[-1] == "签订日期：2024年3月1日"
    assert clause_key("第十二条") == "12" and clause_key("三、") == "3" and clause_key("4.2") == "4.2"


def test_dotted_sub_clauses_under_chinese_headings_are_clauses_of_their_own():
    text = "服务合同\n一、服务内容\n1.1 乙方提供系统运维服务。\n1.2 乙方每月提交运维报告。\n二、费用\n2.1 服务费每年十万元。"
    numbers = [c.number for c in segment(list(enumerate(text.split("\n")))).clauses]
    assert numbers == ["一", "1.1", "1.2", "二", "2.1"]


def test_the_interest_cap_uses_the_lpr_in_force_when_the_contract_was_signed():
    # 15% a year: above 4 × 3.45% (LPR of 2023-08-21 → cap 13.8%) for a 2024 loan ...
    result = review_text(LOAN, "乙方")
    finding = by_rule(result)["FIN-INTEREST-OVER-4LPR"]
    assert finding.clause == "第二条"
    assert "13.80%" in finding.explanation and "2023-08-21" in finding.explanation
    assert result.facts.lpr_one_year == 3.45
    # ... but within 4 × 4.05% = 16.2% for a loan signed in March 2020.
    older = LOAN.replace("2024年3月1日", "2020年3月1日").replace("2025年2月28日", "2021年2月28日")
    assert "FIN-INTEREST-OVER-4LPR" not in by_rule(review_text(older, "乙方"))


def test_key_facts_are_extracted():
    facts = review_text(LOAN).facts.as_dict()
    assert facts["contract_amount"] == 100000
    assert facts["signing_date"] == "2024-03-01"
    assert facts["start_date"] == "2024-03-01" and facts["end_date"] == "2025-02-28"
    assert facts["interest_rate_annual"] == 15.0
    assert facts["dispute"]["method"] == "诉讼"
    assert [p["name"] for p in facts["parties"]] == ["王建国", "李明"]


def test_a_sound_loan_clause_set_has_no_medium_or_high_finding_on_its_clauses():
    sound = LOAN.replace("借款年利率为15%", "借款年利率为6%")
    flagged = [f for f in review_text(sound, "乙方").findings if f.clause and f.severity in ("high", "medium")]
    assert flagged == []


def test_the_same_clause_is_high_risk_for_one_side_and_low_for_the_other():
    text = LOAN + "\n第五条 乙方以其名下汽车作抵押，借款到期未还的，该汽车归甲方所有。"
    text = text.replace("甲方（签字）：王建国\n乙方（签字）：李明\n签订日期：2024年3月1日\n", "") + "\n甲方（签字）：王建国\n签订日期：2024年3月1日"
    borrower = by_rule(review_text(text, "乙方"))["COLLATERAL-FORFEITURE"]
    lender = by_rule(review_text(text, "甲方"))["COLLATERAL-FORFEITURE"]
    assert borrower.severity == "high" and borrower.explanation.startswith("【乙方（")
    assert lender.severity == "low" and "不宜依赖" in lender.explanation


def assert_flagged_only_when_unlawful(template, stance, unlawful, lawful, expected, also_cleared=()):
    """The unlawful wording is flagged by each rule in its clause; the lawful wording by none of them."""
    flagged = by_rule(review_text(template.format(**unlawful), stance))
    for rule_id, clause in expected.items():
        assert flagged[rule_id].clause == clause
    cleared = by_rule(review_text(template.format(**lawful), stance))
    for rule_id in (*expected, *also_cleared):
        assert rule_id not in cleared


def test_probation_is_checked_against_the_limit_for_the_contract_term():
    base = "劳动合同\n用人单位（甲方）：某公司\n劳动者（乙方）：张三\n第一条 劳动合同期限为一年，自2025年1月1日起至2025年12月31日止。\n第二条 试用期为{}。"
    over = by_rule(review_text(base.format("三个月"), "乙方"))
    assert over["LAB-PROBATION-OVER-LIMIT"].clause == "第二条"
    assert "2 个月" in over["LAB-PROBATION-OVER-LIMIT"].explanation
    assert "LAB-PROBATION-OVER-LIMIT" not in by_rule(review_text(base.format("两个月"), "乙方"))


def test_a_deposit_above_a_fifth_of_the_price_is_flagged_with_the_computed_share():
    text = "设备买卖合同\n买方（甲方）：A公司\n卖方（乙方）：B公司\n第一条 合同总价款为人民币100万元。\n第二条 甲方于签约后三日内支付定金人民币30万元。"
    finding = by_rule(review_text(text, "甲方"))["DEPOSIT-OVER-20PCT"]
    assert finding.clause == "第二条" and "30%" in finding.explanation
    assert "DEPOSIT-OVER-20PCT" not in by_rule(review_text(text.replace("30万元", "20万元"), "甲方"))


def test_a_missing_essential_clause_is_a_finding_without_excerpt():
    result = review_text(LOAN.replace("第三条 因本合同发生的争议，向甲方住所地人民法院起诉。\n", ""), "乙方")
    finding = by_rule(result)["MISS-DISPUTE"]
    assert finding.clause is None and finding.excerpt is None
    assert finding.as_dict()["excerpt"] is None
    assert "MISS-DISPUTE" not in by_rule(review_text(LOAN, "乙方"))


def test_every_finding_carries_the_exact_excerpt_and_the_article_text_from_the_corpus():
    from legal_assistant.corpus import get_corpus

    corpus = get_corpus()
    result = review_text(LOAN.replace("15%", "2%按月计").replace("借款年利率", "借款月利率"), "乙方")
    assert result.findings
    for finding in result.findings:
        if finding.excerpt is not None:
            clause = next(c for c in result.clauses if c.number == finding.clause)
            assert finding.excerpt in clause.text
        for citation in finding.citations:
            article = corpus.resolve(corpus.find_citations(f"{citation['law']}{citation['article']}")[-1])
            assert article is not None and citation["text"] in article.text


def test_the_score_explains_every_deduction_by_dimension():
    result = review_text(LOAN, "乙方")
    assert result.score == sum(d["score"] for d in result.dimensions.values())
    deducted = {d["rule_id"] for dimension in result.dimensions.values() for d in dimension["deductions"]}
    # 相似条款提示 are prompts to check, not findings of law: they deduct nothing.
    assert deducted == {f.rule_id for f in result.findings if f.source == "rule"}
    validity = result.dimensions["validity"]
    assert "FIN-INTEREST-OVER-4LPR" in validity["explanation"] and validity["score"] == 25 - 12


def test_review_is_deterministic():
    assert review_text(LOAN, "乙方").as_dict() == review_text(LOAN, "乙方").as_dict()


def test_an_unknown_stance_is_refused_in_chinese():
    with pytest.raises(ValueError, match="审查立场只能是"):
        review_text(LOAN, "丙方")


@pytest.mark.parametrize(
    "title, expected",
    [
        ("商品买卖合同", "sale"), ("原材料采购合同", "supply"), ("个人借款协议", "private_loan"), ("流动资金借款合同（商业银行股份有限公司）", "loan"),
        ("最高额保证合同", "guarantee"), ("房屋租赁合同", "residential_lease"), ("商铺租赁合同", "commercial_lease"), ("融资租赁合同", "finance_lease"),
        ("委托加工合同", "work"), ("建设工程施工合同", "construction"), ("货物运输合同", "transport"), ("仓储合同", "warehousing"),
        ("委托合同", "entrustment"), ("房屋买卖居间合同", "intermediary"), ("技术开发（委托）合同", "tech_development"),
        ("专利实施许可合同", "tech_transfer"), ("技术服务合同", "tech_service"), ("APP软件开发合同", "software"), ("劳动合同", "labor"),
        ("劳务派遣协议", "dispatch_labor"), ("竞业限制协议", "noncompete"), ("劳务合同", "labor_service"), ("股权转让协议", "equity_transfer"),
        ("增资协议", "capital_increase"), ("合伙协议", "partnership"), ("品牌加盟合同", "franchise"), ("广告发布合同", "advertising"),
        ("物业服务合同", "property_service"), ("赠与合同", "gift"), ("执行和解协议", "settlement"), ("股票质押合同", "mortgage"),
        ("商品房买卖合同", "house_sale"),
    ],
)
def test_at_least_thirty_contract_types_are_recognised_from_the_title(title, expected):
    body = "" if expected != "commercial_lease" else "\n租赁用途：经营用途。"
    if expected == "residential_lease":
        body = "\n出租人将房屋出租给承租人居住。"
    result = review_text(f"{title}\n甲方：甲\n乙方：乙\n第一条 双方约定如下。{body}")
    assert result.contract_type == expected


def test_the_type_list_has_at_least_thirty_types():
    assert len([t for t in get_rulebook().types if t.id != "general"]) >= 30


def test_an_unnumbered_text_is_reviewed_paragraph_by_paragraph():
    text = "借条\n今借到王五人民币五万元整，月息3分，一年内还清。\n借款人：赵六"
    result = review_text(text, "neutral")
    finding = by_rule(result)["FIN-INTEREST-OVER-4LPR"]
    assert finding.clause == "第1段"


def test_recitals_numbered_before_the_first_article_are_not_clauses():
    text = "\n".join([
        "股权转让协议",
        "甲方：张三",
        "乙方：李四",
        "鉴于：",
        "1. 甲方持有目标公司40%股权；",
        "2. 甲方拟将其持有的股权转让给乙方。",
        "第一条 转让标的",
        "甲方将其持有的目标公司40%股权转让给乙方。",
        "第二条 违约责任",
        "乙方逾期付款的，每逾期一日按总价款的1%支付违约金。",
    ])
    result = review_text(text, "乙方")
    assert [c.number for c in result.clauses] == ["第一条", "第二条"]
    assert any("甲方持有目标公司" in line for line in result.structure.preamble)
    assert any(f.rule_id == "PENALTY-DAILY-RATE-HIGH" and f.clause == "第二条" for f in result.findings)


def test_recitals_numbered_before_the_first_section_and_items_under_it_keep_their_place():
    text = "\n".join([
        "采购合同",
        "甲方：某电器集团有限公司",
        "乙方：某塑料制品有限公司",
        "鉴于：",
        "1. 甲方系大型企业，乙方系小型企业；",
        "2. 乙方同意为甲方供应塑料外壳。",
        "一、产品与价格",
        "1. 产品为空气炸锅外壳，单价38.5元；",
        "2. 采购数量以订单为准。",
        "二、结算与付款",
        "1. 双方每月对账；",
        "2. 甲方在收到终端客户相应货款后30日内，再向乙方支付对应批次的货款。",
    ])
    result = review_text(text, "乙方")
    assert [c.number for c in result.clauses] == ["一", "一.1", "一.2", "二", "二.1", "二.2"]
    assert any("甲方系大型企业" in line for line in result.structure.preamble)
    back_to_back = by_rule(result)["SME-BACK-TO-BACK-PAYMENT"]
    assert back_to_back.clause == "二.2"


def test_a_contract_level_gap_is_reported_once_where_the_topic_starts():
    text = "\n".join([
        "竞业限制协议",
        "甲方：某机械有限公司",
        "乙方：王五",
        "第一条 乙方离职后一年内负有竞业限制义务，不得到与甲方有竞争关系的单位任职。",
        "第二条 竞业限制的地域范围为浙江省。",
        "第三条 乙方违反竞业限制义务的，应向甲方支付违约金五万元。",
    ])
    result = review_text(text, "乙方")
    gaps = [f for f in result.findings if f.rule_id == "LAB-NONCOMPETE-NO-COMPENSATION"]
    assert [f.clause for f in gaps] == ["第一条"]


def test_a_capital_deadline_written_as_a_date_is_measured_from_the_signing_date():
    text = "\n".join([
        "股东合作协议",
        "甲方：嘉兴市宏远机械有限公司",
        "乙方：张建华",
        "第一条 合资公司注册资本人民币1000万元，甲方认缴600万元，乙方认缴400万元。",
        "第二条 各方认缴的出资应于{}前缴足。",
        "签订日期：2025年3月1日",
    ])
    late = by_rule(review_text(text.format("2045年12月31日"), "乙方"))["COMPANY-CAPITAL-OVER-5Y"]
    assert late.clause == "第二条" and "250 个月" in late.explanation
    assert "COMPANY-CAPITAL-OVER-5Y" not in by_rule(review_text(text.format("2029年12月31日"), "乙方"))


EMPLOYMENT = "\n".join([
    "劳动合同",
    "甲方（用人单位）：嘉兴市顺达服装有限公司",
    "乙方（劳动者）：李梅",
    "第一条 合同期限为二年，自2025年3月1日起至2027年2月28日止。",
    "第二条 乙方从事缝纫工作，工作地点为嘉兴市秀洲区。",
    "第三条 {hours}",
    "第四条 {notice}",
    "第五条 {severance}",
    "第六条 {leave}",
])


def test_hours_notice_severance_and_leave_below_the_statutory_floor_are_flagged():
    assert_flagged_only_when_unlawful(
        EMPLOYMENT,
        "乙方",
        unlawful=dict(
            hours="乙方每天工作10小时，每月休息4天。",
            notice="乙方辞职须提前60日书面通知甲方。",
            severance="合同到期或解除时，甲方一律不支付任何经济补偿。",
            leave="乙方不享受带薪年假。",
        ),
        lawful=dict(
            hours="乙方每天工作8小时，每周工作40小时；甲方安排加班的，依法支付加班费。",
            notice="乙方提前三十日以书面形式通知甲方，可以解除劳动合同。",
            severance="合同解除或终止时，甲方依照法律规定向乙方支付经济补偿。",
            leave="乙方依法享受带薪年休假，未休的按国家规定支付工资报酬。",
        ),
        expected={"LAB-EXCESSIVE-HOURS": "第三条", "LAB-RESIGNATION-NOTICE-TOO-LONG": "第四条", "LAB-SEVERANCE-EXCLUDED": "第五条", "LAB-ANNUAL-LEAVE-EXCLUDED": "第六条"},
        also_cleared=("MISS-LAB-HOURS", "MISS-LAB-WORK"),
    )


def test_fake_orders_false_invoices_agreed_limitation_periods_and_unregistered_mortgages_are_flagged():
    text = "\n".join([
        "电商代运营合同",
        "甲方：嘉兴市禾兴食品有限公司",
        "乙方：杭州云启电子商务有限公司",
        "第一条 乙方负责甲方天猫店铺的运营，服务期一年，服务费每月20000元。",
        "第二条 {orders}",
        "第三条 {invoice}",
        "第四条 {limitation}",
        "第五条 {mortgage}",
    ])
    assert_flagged_only_when_unlawful(
        text,
        "乙方",
        unlawful=dict(
            orders="乙方每月为店铺安排刷单不少于300单，好评返现费用由甲方承担。",
            invoice="服务费发票品名开为办公用品。",
            limitation="双方同意本合同项下的诉讼时效为六个月。",
            mortgage="甲方以其名下房产作为抵押，双方不办理抵押登记，房产证原件交乙方保管。",
        ),
        lawful=dict(
            orders="乙方不得以刷单、虚假交易、好评返现等方式提升店铺销量，违反的由乙方承担全部责任。",
            invoice="乙方按实际服务内容和金额向甲方开具增值税专用发票，不得虚开。",
            limitation="任何一方逾期付款的，应按日万分之三支付违约金。",
            mortgage="甲方以其名下房产作为抵押，双方应于签约后十日内办理抵押登记。",
        ),
        expected={"FAKE-TRANSACTIONS": "第二条", "FALSE-INVOICE": "第三条", "LIMITATION-PERIOD-AGREED": "第四条", "MORTGAGE-NOT-REGISTERED": "第五条"},
    )


def test_fit_out_forfeiture_trademark_quality_and_data_reuse_by_a_processor_are_flagged():
    lease = "\n".join([
        "厂房租赁合同",
        "出租人（甲方）：某村经济合作社",
        "承租人（乙方）：某包装有限公司",
        "第一条 租赁期限五年，年租金18万元。",
        "第二条 {}",
    ])
    forfeited = "合同解除或终止时，无论何种原因，乙方的装修一律无偿归甲方所有，甲方不予任何补偿。"
    fair = "因甲方违约导致合同解除的，甲方按剩余租期赔偿乙方装修残值；因乙方违约解除的，装修无偿归甲方。"
    assert by_rule(review_text(lease.format(forfeited), "乙方"))["LEASE-FITOUT-FORFEITED"].clause == "第二条"
    assert "LEASE-FITOUT-FORFEITED" not in by_rule(review_text(lease.format(fair), "乙方"))

    licence = "商标使用许可合同\n许可人（甲方）：某食品有限公司\n被许可人（乙方）：某食品厂\n第一条 甲方许可乙方在糕点上使用第123456号注册商标。\n第二条 {}"
    assert "TRADEMARK-LICENSOR-NO-QUALITY-CONTROL" in by_rule(review_text(licence.format("产品质量由乙方自行负责，与甲方无关。"), "甲方"))
    assert "TRADEMARK-LICENSOR-NO-QUALITY-CONTROL" not in by_rule(review_text(licence.format("甲方有权每季度抽检乙方产品质量。"), "甲方"))

    processing = "数据处理委托协议\n甲方：某超市有限公司\n乙方：某科技有限公司\n第一条 甲方委托乙方处理会员信息。\n第二条 {}"
    reuse = "乙方有权将会员信息用于其自身产品的改进和算法训练。"
    bound = "乙方不得将会员信息用于约定以外的目的，未经甲方书面同意不得转委托。"
    assert by_rule(review_text(processing.format(reuse), "甲方"))["DATA-PROCESSOR-OWN-USE"].clause == "第二条"
    assert "DATA-PROCESSOR-OWN-USE" not in by_rule(review_text(processing.format(bound), "甲方"))


def test_a_penalty_for_breaching_a_confidentiality_clause_it_refers_to_is_not_measured_against_the_price():
    text = "\n".join([
        "特许经营合同",
        "特许人（甲方）：某餐饮管理有限公司",
        "被特许人（乙方）：张三",
        "第一条 加盟费为人民币陆万元整，于签约之日支付。",
        "第二条 乙方对甲方的配方和经营数据负有保密义务。",
        "第三条 乙方违反第{}约定的，应向甲方支付违约金人民币五万元。",
        "第四条 甲方应按月对乙方进行经营指导。",
    ])
    assert "PENALTY-OVER-30PCT" not in by_rule(review_text(text.format("二条"), "乙方"))
    assert by_rule(review_text(text.format("四条"), "乙方"))["PENALTY-OVER-30PCT"].clause == "第三条"


def test_bribes_dual_contracts_company_paid_share_price_and_waived_guarantee_checks_are_flagged():
    text = "\n".join([
        "股权转让协议",
        "转让方（甲方）：王某",
        "受让方（乙方）：李某",
        "第一条 甲方将其持有的目标公司30%股权以280万元转让给乙方。",
        "第二条 {price}",
        "第三条 {tax}",
        "第四条 {fee}",
    ])
    assert_flagged_only_when_unlawful(
        text,
        "乙方",
        unlawful=dict(
            price="由目标公司以往来款名义直接向甲方支付150万元。",
            tax="双方另行签订一份价款为120万元的协议，仅用于工商登记和纳税申报。",
            fee="乙方每季度向甲方支付公关费，用于向客户的采购负责人公关，以现金支付、不入账。",
        ),
        lawful=dict(
            price="乙方于变更登记完成后三十日内以自有资金向甲方支付全部价款。",
            tax="双方按本协议约定的真实价款办理变更登记并申报纳税。",
            fee="双方不得向对方或客户的工作人员给予回扣、好处费等财物。",
        ),
        expected={"EQUITY-PRICE-PAID-BY-COMPANY": "第二条", "DUAL-CONTRACTS-FOR-TAX": "第三条", "COMMERCIAL-BRIBERY": "第四条"},
    )

    guarantee = "保证合同\n债权人（甲方）：某银行\n保证人（乙方）：某公司\n1. 保证方式 {}\n2. 乙方已提供同意担保的股东会决议。"
    assert by_rule(review_text(guarantee.format("乙方自愿为债务人的付款义务提供保证担保。"), "甲方"))["GUARANTEE-MODE-UNSTATED"].clause == "1"
    assert "GUARANTEE-MODE-UNSTATED" not in by_rule(review_text(guarantee.format("乙方承担连带责任保证。"), "甲方"))


def test_probation_pay_is_compared_with_the_regular_wage_stated_in_a_sibling_item():
    text = "\n".join([
        "劳动合同",
        "用人单位（甲方）：某制衣有限公司",
        "劳动者（乙方）：王某",
        "一、合同期限为三年，自2025年3月1日起至2028年2月28日止，试用期三个月。",
        "二、劳动报酬",
        "1. 乙方转正后月工资为人民币5,200元。",
        "2. 试用期内乙方月工资为人民币{}元。",
    ])
    low = by_rule(review_text(text.format("3,640"), "乙方"))["LAB-PROBATION-WAGE-LOW"]
    assert low.clause.startswith("二") and "70%" in low.explanation
    assert "LAB-PROBATION-WAGE-LOW" not in by_rule(review_text(text.format("4,200"), "乙方"))


def test_a_lease_deposit_is_measured_against_the_rent_over_the_whole_term():
    text = "\n".join([
        "门面房租赁合同",
        "出租人（甲方）：张某",
        "承租人（乙方）：李某",
        "1、租期两年，自2025年6月16日起至2027年6月15日止。",
        "2、租金：每年72000元，一年一付。",
        "3、签协议当天乙方交给甲方定金{}元。",
    ])
    assert by_rule(review_text(text.format("40000"), "乙方"))["DEPOSIT-OVER-20PCT"].clause == "3"
    assert "DEPOSIT-OVER-20PCT" not in by_rule(review_text(text.format("20000"), "乙方"))


def test_part_time_work_beyond_four_hours_a_day_is_flagged_only_in_part_time_contracts():
    part_time = "兼职店员用工协议\n甲方：某奶茶店\n乙方：刘某\n1、乙方在甲方店里做兼职店员，按小时算工资，每小时28元。\n2、工作时间：{}"
    assert "PART-TIME-LIMITS-EXCEEDED" in by_rule(review_text(part_time.format("每天下午2点到晚上8点，共6个小时。"), "甲方"))
    assert "PART-TIME-LIMITS-EXCEEDED" not in by_rule(review_text(part_time.format("每天工作不超过4小时，每周不超过24小时。"), "甲方"))
    assert "PART-TIME-LIMITS-EXCEEDED" not in by_rule(review_text(EMPLOYMENT.format(
        hours="乙方每日工作8小时，每周工作40小时，实行标准工时制度。",
        notice="乙方提前三十日以书面形式通知甲方，可以解除劳动合同。",
        severance="合同解除或终止时，甲方依法支付经济补偿。",
        leave="乙方依法享受带薪年休假。",
    ), "乙方"))
