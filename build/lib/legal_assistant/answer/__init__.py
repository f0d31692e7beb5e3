"""法律咨询: grounded answers to compliance questions, offline or through an LLM."""

from legal_assistant.answer.service import answer_question, stream_answer
from legal_assistant.answer.types import Answer, CitedArticle, Turn

__all__ = ["Answer", "CitedArticle", "Turn", "answer_question", "stream_answer"]
