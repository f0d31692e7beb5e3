"""The self-check questionnaire: which questions apply given the answers so far, and answer checks."""

from __future__ import annotations

from typing import Any

from legal_assistant.risks.kb import KnowledgeBase, Question, load_kb


class AnswerError(ValueError):
    """An answers file or form that cannot be used; the message is shown to the user (zh-CN)."""


def validate_answers(answers: dict[str, Any], kb: KnowledgeBase | None = None) -> None:
    """Reject unknown question ids and answers of the wrong type, naming the question."""
    kb = kb or load_kb()
    questions = kb.question_by_id
    if not isinstance(answers, dict):
        raise AnswerError("答卷必须是“题目编号: 答案”形式的对象")
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise AnswerError(f"未知的题目编号：{question_id}")
        if value is not None and not question.accepts(value):
            expected = {"bool": "是/否（true/false）", "number": "非负数字"}.get(
                question.kind, "以下选项之一：" + "、".join(o.value for o in question.options)
            )
            raise AnswerError(f"题目“{question.text}”（{question_id}）的答案无效：{value!r}，应为{expected}")


def effective_answers(answers: dict[str, Any], kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """The answers that count: those to questions that apply given the earlier effective answers.

    A form keeps stale answers when the user changes a gate (e.g. 不再对外担保); they must not
    influence the result.
    """
    kb = kb or load_kb()
    effective: dict[str, Any] = {}
    for question in kb.questions:
        if question.applies(effective) and answers.get(question.id) is not None:
            effective[question.id] = answers[question.id]
    return effective


def build_questionnaire(answers_so_far: dict[str, Any] | None = None, kb: KnowledgeBase | None = None) -> list[Question]:
    """The questions to show now, in order: only those whose conditions the answers satisfy."""
    kb = kb or load_kb()
    effective = effective_answers(answers_so_far or {}, kb)
    return [q for q in kb.questions if q.applies(effective)]


def unanswered(answers: dict[str, Any], kb: KnowledgeBase | None = None) -> list[Question]:
    return [q for q in build_questionnaire(answers, kb) if answers.get(q.id) is None]


def example_answers(kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """A complete, valid answer set built from each question's ``example`` (or a neutral default)."""
    kb = kb or load_kb()
    answers: dict[str, Any] = {}
    for question in kb.questions:
        if not question.applies(answers):
            continue
        if question.example is not None:
            answers[question.id] = question.example
        elif question.kind == "bool":
            answers[question.id] = False
        elif question.kind == "number":
            answers[question.id] = 0
        else:
            answers[question.id] = question.options[0].value
    return answers
