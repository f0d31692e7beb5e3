"""The self-check questionnaire asks only what applies to the enterprise."""

from __future__ import annotations

import pytest

from legal_assistant.risks.kb import load_kb
from legal_assistant.risks.questionnaire import (
    AnswerError,
    build_questionnaire,
    effective_answers,
    example_answers,
    unanswered,
    validate_answers,
)


def _ids(answers):
    return [q.id for q in build_questionnaire(answers)]


def test_follow_up_on_guarantee_resolutions_is_asked_only_when_the_enterprise_gives_guarantees():
    assert "fin_guarantee_resolution" not in _ids({})
    assert "fin_guarantee_resolution" not in _ids({"fin_provides_guarantee": False})
    assert "fin_guarantee_resolution" in _ids({"fin_provides_guarantee": True})


def test_labor_questions_are_not_asked_of_an_enterprise_without_employees():
    without_staff = _ids({"headcount": 0})
    with_staff = _ids({"headcount": 25})
    assert "lab_social_insurance_full" not in without_staff
    assert "lab_social_insurance_full" in with_staff
    assert "lab_noncompete_compensation" not in with_staff  # only after 与员工签订了竞业限制协议
    assert "lab_noncompete_compensation" in _ids({"headcount": 25, "lab_noncompete": True})


def test_environment_details_are_asked_only_of_polluters():
    assert "env_permit" not in _ids({"env_discharges_pollutants": False})
    assert "env_permit" in _ids({"env_discharges_pollutants": True})
    assert "env_waste_contractor_licensed" not in _ids({"env_discharges_pollutants": True, "env_hazardous_waste": False})
    assert "env_waste_contractor_licensed" in _ids({"env_discharges_pollutants": True, "env_hazardous_waste": True})


def test_payment_term_question_is_not_asked_of_a_large_enterprise():
    assert "con_customer_large_or_public" in _ids({"company_size": "small"})
    assert "con_customer_large_or_public" not in _ids({"company_size": "large"})


def test_answers_to_questions_that_no_longer_apply_are_ignored():
    answers = {"fin_provides_guarantee": False, "fin_guarantee_resolution": False}
    assert "fin_guarantee_resolution" not in effective_answers(answers)


def test_every_question_is_used_by_a_risk_point_or_gates_another_question():
    kb = load_kb()
    used = {c.q for r in kb.risks for c in [*r.applies_if, *r.likelihood.raise_if, *r.likelihood.lower_if]}
    used |= {c.q for q in kb.questions for c in [*q.applies_if, *q.any_of]}
    assert {q.id for q in kb.questions} <= used


def test_example_answers_are_complete_and_valid():
    answers = example_answers()
    validate_answers(answers)
    assert unanswered(answers) == []


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"headcount": "很多"}, "在职员工人数"),
        ({"industry": "mining"}, "所属行业"),
        ({"lab_written_contracts": "yes"}, "书面劳动合同"),
        ({"no_such_question": True}, "未知的题目编号"),
    ],
)
def test_invalid_answers_are_rejected_with_a_chinese_message_naming_the_question(answers, message):
    with pytest.raises(AnswerError, match=message):
        validate_answers(answers)
