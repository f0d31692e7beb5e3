"""Contract templates: complete, reproducible, grounded in the corpus, and lawful by construction."""

import copy
import io
import re

import pytest
from docx import Document

from legal_assistant.corpus import get_corpus
from legal_assistant.drafting.build_templates import build_docx
from legal_assistant.drafting.render import render_docx
from legal_assistant.drafting.schema import list_templates, load_template, validate

REQUIRED_TITLES = {
    "买卖合同", "采购合同", "技术服务合同", "软件开发合同", "劳动合同", "保密与竞业限制协议",
    "借款合同", "房屋租赁合同", "承揽合同", "委托合同", "股权转让协议", "执行和解协议",
}
TEMPLATES = list_templates()


def rendered_text(template_id: str, data: dict) -> str:
    template = load_template(template_id)
    result = validate(template, data)
    assert result.ok, result.errors
    docx = render_docx(template, {**result.context, "contract_id": "HT-TEST"})
    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


def errors_of(template_id: str, data: dict) -> dict[str, str]:
    return {e.field: e.message for e in validate(load_template(template_id), data).errors}


def example(template_id: str, **changes) -> dict:
    data = copy.deepcopy(load_template(template_id).example())
    data.update(changes)
    return data


def test_all_twelve_required_contract_types_exist():
    assert REQUIRED_TITLES <= {t.title for t in TEMPLATES}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_committed_docx_matches_a_fresh_build_from_the_yaml(template):
    assert template.docx_path.read_bytes() == build_docx(template), "运行 python -m legal_assistant.drafting.build_templates"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_example_data_renders_completely_with_consecutive_clause_numbers(template):
    text = rendered_text(template.id, template.example())
    assert "{{" not in text and "{%" not in text and "None" not in text
    numbers = re.findall(r"^第(.+?)条　", text, flags=re.M)
    expected = [f"{n}" for n in ("一二三四五六七八九十")] + ["十一", "十二", "十三", "十四", "十五", "十六"]
    assert numbers == expected[: len(numbers)] and len(numbers) >= 6
    for role in template.parties:
        assert role.label in text


def test_every_cited_legal_basis_exists_in_the_corpus():
    corpus = get_corpus()
    cited = set()
    for template in TEMPLATES:
        cited.update(template.legal_basis)
        for clause in template.clauses:
            cited.update(clause.basis)
        cited.update(spec["basis"] for spec in template.fields.values() if "basis" in spec)
        cited.update(rule["basis"] for rule in template.rules if "basis" in rule)
    assert len(cited) > 40
    missing = sorted(name for name in cited if corpus.resolve_name(name) is None)
    assert missing == []


def test_amounts_are_written_in_figures_and_chinese_capitals():
    text = rendered_text("sale", example("sale", price=100000))
    assert "人民币100,000.00元（大写：人民币壹拾万元整）" in text


def test_deposit_above_twenty_percent_of_the_price_is_refused_and_twenty_percent_is_accepted():
    assert "百分之二十" in errors_of("sale", example("sale", price=100000, deposit_amount=20000.01))["deposit_amount"]
    assert errors_of("sale", example("sale", price=100000, deposit_amount=20000)) == {}


def test_without_deposit_the_deposit_clause_disappears_and_numbering_stays_consecutive():
    text = rendered_text("sale", example("sale", deposit_enabled=False))
    assert "定金" not in text
    assert "第三条　交付" in text


def test_arbitration_and_court_are_mutually_exclusive_in_the_dispute_clause():
    arbitration = rendered_text("sale", example("sale", dispute_resolution="arbitration",
                                                arbitration_commission="上海国际仲裁中心仲裁委员会"))
    court = rendered_text("sale", example("sale", dispute_resolution="court", court_location="party_b"))
    assert "提交上海国际仲裁中心仲裁委员会" in arbitration and "人民法院提起诉讼" not in arbitration
    assert "乙方住所地有管辖权的人民法院提起诉讼" in court and "仲裁" not in court


def test_arbitration_needs_a_named_commission():
    errors = errors_of("sale", example("sale", dispute_resolution="arbitration", arbitration_commission=""))
    assert errors == {"arbitration_commission": "请填写仲裁委员会名称"}


@pytest.mark.parametrize(
    ("start", "end", "months", "limit"),
    [("2027-01-01", "2027-03-15", 1, 0), ("2027-01-01", "2027-12-31", 2, 1),
     ("2027-01-01", "2029-12-31", 3, 2), ("2027-01-01", "2030-01-01", 7, 6)],
)
def test_probation_longer_than_labor_contract_law_article_19_allows_is_refused(start, end, months, limit):
    errors = errors_of("labor", example("labor", start_date=start, end_date=end, probation_months=months))
    if months > 6:
        assert "probation_months" in errors
    else:
        assert errors["probation_months"] == f"按劳动合同期限，试用期最长为{limit}个月（劳动合同法第十九条）"


def test_probation_at_the_article_19_limit_is_accepted():
    assert errors_of("labor", example("labor", start_date="2027-01-01", end_date="2029-12-31", probation_months=2)) == {}
    assert errors_of("labor", example("labor", term_type="open_ended", probation_months=6)) == {}


def test_probation_wage_below_eighty_percent_is_refused():
    errors = errors_of("labor", example("labor", monthly_wage=10000, probation_wage=7999))
    assert "百分之八十" in errors["probation_wage"]


def test_labor_contract_employer_must_be_an_organization():
    data = example("labor")
    data["party_a"] = copy.deepcopy(load_template("sale").example()["party_b"]) | {
        "kind": "individual", "id_number": "110105199003071239"}
    assert errors_of("labor", data) == {"party_a.kind": "甲方（用人单位）只能是单位"}


def test_non_compete_longer_than_two_years_is_refused_and_compensation_is_monthly():
    assert errors_of("nda_noncompete", example("nda_noncompete", noncompete_months=25)) == {
        "noncompete_months": "竞业限制期限不得超过二年（劳动合同法第二十四条）"}
    text = rendered_text("nda_noncompete", example("nda_noncompete"))
    assert "按月向乙方支付经济补偿" in text


def test_loan_interest_above_four_times_lpr_is_refused_and_exactly_four_times_is_accepted():
    errors = errors_of("loan", example("loan", lpr_percent=3.0, annual_rate=12.01))
    assert errors == {"annual_rate": "借期内年利率不得超过合同成立时一年期LPR的四倍（即12%）"}
    assert errors_of("loan", example("loan", lpr_percent=3.0, annual_rate=12, overdue_annual_rate=12)) == {}


def test_lease_longer_than_twenty_years_is_refused():
    errors = errors_of("house_lease", example("house_lease", start_date="2027-01-01", end_date="2047-01-02"))
    assert "二十年" in errors["end_date"]


def test_impossible_dates_and_non_numeric_amounts_get_field_messages():
    errors = errors_of("sale", example("sale", delivery_date="2026-02-30", price="十万"))
    assert errors["delivery_date"].startswith("交付日期不是有效日期")
    assert errors["price"] == "合同总价款（含税）应为数字"


def test_same_party_on_both_sides_is_refused():
    data = example("sale")
    data["party_b"] = copy.deepcopy(data["party_a"]) | {"name": "另一个名字有限公司"}
    assert errors_of("sale", data) == {"party_b.id_number": "同一主体不能同时出现在合同双方"}


def test_optional_guarantor_is_validated_only_when_a_guarantee_is_chosen():
    without = example("loan", guarantee_enabled=False)
    without.pop("party_c")
    assert errors_of("loan", without) == {}
    text = rendered_text("loan", without)
    assert "丙方" not in text and "保证" not in text.split("第")[0]
    broken = example("loan")
    broken["party_c"]["id_number"] = "91330100MA27XY1236"
    assert "校验位" in errors_of("loan", broken)["party_c.id_number"]


def test_user_text_cannot_inject_word_markup():
    data = example("sale", goods_name='服务器</w:t></w:r><w:r><w:t>注入 & "x"')
    text = rendered_text("sale", data)
    assert '服务器</w:t></w:r><w:r><w:t>注入 & "x"' in text


def test_rates_may_be_typed_with_a_percent_sign_and_absurd_amounts_are_refused():
    assert errors_of("loan", example("loan", annual_rate="6%")) == {}
    assert errors_of("loan", example("loan", principal="1e13")) == {
        "principal": "借款本金超出可处理的范围（不超过一万亿元）"}
