"""Offline answers (no LLM) on a small real index: grounded, verbatim, structured, honest about
gaps, aware of versions, and able to follow a conversation."""

from __future__ import annotations

import pytest

from answer_support import built_answer_index
from legal_assistant.answer import Answer, Turn, answer_question, stream_answer
from legal_assistant.answer.types import MODE_OFFLINE

NON_COMPETE = "技术骨干离职去了对手公司，我们能限制他多久？"


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    return built_answer_index(tmp_path_factory)[1]


def ask(retriever, question, **kwargs) -> Answer:
    return answer_question(question, retriever=retriever, mode="offline", **kwargs)


def test_everyday_question_gets_the_governing_article_quoted_verbatim(retriever):
    answer = ask(retriever, NON_COMPETE)
    assert answer.mode == MODE_OFFLINE and answer.grounded
    first = answer.citations[0].article
    assert (first.short_name, first.number_text, first.version_date) == ("劳动合同法", "第二十四条", "2012-12-28")
    assert answer.reply.startswith(f"您好，关于您咨询的“{NON_COMPETE.rstrip('？')}”的问题，根据《中华人民共和国劳动合同法》第二十四条规定，")
    # the passage taken from the article is the article's own wording
    quoted = answer.reply.split("第二十四条规定，", 1)[1].split("\n", 1)[0]
    for piece in quoted.split("……"):
        assert piece in first.text.replace("\n", ""), piece
    assert "不得超过二年" in answer.conclusion
    assert "因此" in answer.reply


def test_citations_carry_the_full_article_text_from_the_corpus(retriever):
    answer = ask(retriever, NON_COMPETE)
    for cited in answer.citations:
        stored = retriever.corpus.article(cited.article.law_title, cited.article.number, cited.article.sub, version=cited.article.version_date)
        assert stored is not None and stored.text == cited.article.text


def test_risk_level_and_measures_come_from_the_risk_knowledge_base(retriever):
    answer = ask(retriever, NON_COMPETE)
    assert any("竞业限制" in r.title or "竞争对手" in r.title for r in answer.risks)
    strongest = max(answer.risks, key=lambda r: {"high": 3, "medium": 2, "low": 1}[r.severity])
    assert answer.risk_level == strongest.severity_label
    assert set(answer.measures) <= {m for r in answer.risks for m in r.remediation}
    assert answer.measures and all(isinstance(m, str) and m for m in answer.measures)
    assert "律师" in answer.limits


def test_explicit_article_question_quotes_that_whole_article(retriever):
    answer = ask(retriever, "民法典第585条怎么理解")
    first = answer.citations[0]
    assert first.explicit and first.article.number_text == "第五百八十五条"
    assert "《中华人民共和国民法典》第五百八十五条规定：“" in answer.reply
    assert first.article.paragraphs[-1] in answer.reply
    assert all(c.title != "民法典第五百八十五条" for c in answer.cases)  # an article is not a court case


def test_question_outside_the_corpus_says_so_instead_of_guessing(retriever):
    answer = ask(retriever, "红烧肉怎么做才好吃？")
    assert not answer.grounded
    assert answer.citations == []
    assert "没有找到" in answer.reply and "律师" in answer.reply


def test_question_only_partly_covered_gets_the_closest_provisions_hedged(retriever):
    answer = ask(retriever, "比特币矿机托管的电费发票怎么开？")  # 电费 is in the contract book, 比特币 nowhere
    assert answer.grounded and answer.citations
    assert "没有找到与之完全对应的条文" in answer.reply and "仅供参考" in answer.reply
    assert "因此" not in answer.reply  # no conclusion drawn from a provision that may not apply
    assert answer.citations[0].article.citation in answer.conclusion


def test_follow_up_question_inherits_the_topic_of_the_conversation(retriever):
    first = ask(retriever, NON_COMPETE)
    history = [Turn(question=NON_COMPETE, answer=first.reply, retrieval_query=first.retrieval_query)]
    follow_up = ask(retriever, "那补偿标准呢？", history=history)
    assert "竞业限制" in follow_up.retrieval_query or "离职" in follow_up.retrieval_query
    assert follow_up.grounded
    numbers = {c.article.number_text for c in follow_up.citations}
    assert numbers & {"第二十三条", "第二十四条"}


def test_a_new_full_question_in_a_conversation_is_searched_on_its_own(retriever):
    history = [Turn(question=NON_COMPETE, retrieval_query=NON_COMPETE)]
    answer = ask(retriever, "合同里约定的违约金过高，能请求法院调低吗？", history=history)
    assert answer.retrieval_query == "合同里约定的违约金过高，能请求法院调低吗？"
    assert answer.grounded
    assert all("竞业限制" not in c.article.text for c in answer.citations)


def test_as_of_date_quotes_the_version_then_in_force_and_warns_it_is_superseded(retriever):
    old = ask(retriever, "春节放假几天？", as_of="2020-01-01")
    cited = next(c for c in old.citations if c.article.short_name == "全国年节及纪念日放假办法")
    assert cited.article.version_date == "2013-12-11" and not cited.article.in_force
    assert "放假3天" in cited.article.text
    assert any("2024-11-10" in w for w in cited.warnings)
    today = ask(retriever, "春节放假几天？")
    current = next(c for c in today.citations if c.article.short_name == "全国年节及纪念日放假办法")
    assert current.article.version_date == "2024-11-10" and "放假4天" in current.article.text
    assert current.warnings == []


def test_question_dated_before_the_current_version_is_warned(retriever):
    answer = ask(retriever, "2020年春节放假几天？")
    cited = next(c for c in answer.citations if c.article.short_name == "全国年节及纪念日放假办法")
    assert cited.article.version_date == "2024-11-10"
    assert any("2013-12-11" in w and "2020" in w for w in cited.warnings)


def test_relevant_court_case_is_listed(retriever):
    answer = ask(retriever, "员工追讨加班费，仲裁时效从什么时候起算？")
    assert any("加班费" in c.title for c in answer.cases)
    assert all(c.summary for c in answer.cases)
    assert ask(retriever, NON_COMPETE).cases == []  # sharing 用人单位/劳动者 with a case is not enough


def test_stream_yields_the_reply_in_chunks_then_the_answer(retriever):
    items = list(stream_answer(NON_COMPETE, retriever=retriever, mode="offline"))
    final = items[-1]
    assert isinstance(final, Answer)
    chunks = items[:-1]
    assert len(chunks) > 1 and all(isinstance(c, str) for c in chunks)
    assert "".join(chunks) == final.reply


def test_empty_question_is_refused(retriever):
    with pytest.raises(ValueError, match="问题不能为空"):
        ask(retriever, "   ")


def test_the_matched_risk_points_legal_basis_is_quoted_among_the_citations(retriever):
    answer = ask(retriever, "新员工入职，公司收500元工装押金，再把他身份证原件押在人事那里，行吗？")
    top = answer.risks[0]
    assert top.basis, "the deposit risk point's basis (劳动合同法) is in the test corpus"
    cited = {c.article.id for c in answer.citations}
    assert {a.id for a in top.basis[:2]} <= cited
    assert len(answer.citations) <= 4


def test_when_no_article_shares_the_questions_words_the_rankers_confident_best_are_given():
    """"全网第一" shares no word with 广告法's "最高级、最佳": a trained ranker sure of its best two is
    trusted over the wording floor; an unsure one (off-topic questions score below 1.1) is not."""
    from types import SimpleNamespace

    from legal_assistant.answer.evidence import FALLBACK_RANKER_SCORE, ScoredArticle, select_articles

    def scored(score: float, rank: int) -> ScoredArticle:
        return ScoredArticle(SimpleNamespace(score=score, explicit=False), overlap=0.0, rank=rank)

    confident = [scored(FALLBACK_RANKER_SCORE + 0.2, 0), scored(FALLBACK_RANKER_SCORE, 1), scored(0.5, 2)]
    assert select_articles(confident) == confident[:2]
    unsure = [scored(FALLBACK_RANKER_SCORE - 0.5, 0), scored(-1.0, 1)]
    assert select_articles(unsure) == []


def test_the_rankers_first_article_is_cited_even_when_it_shares_few_of_the_owners_words():
    """"房东把楼卖了，新房东要我们搬" shares little wording with 买卖不破租赁 (民法典第七百二十五条), which
    the ranker puts first; the wording floor decides that the corpus can answer, not which article does."""
    from types import SimpleNamespace

    from legal_assistant.answer.evidence import MIN_OVERLAP, ScoredArticle, select_articles

    def scored(overlap: float, rank: int) -> ScoredArticle:
        return ScoredArticle(SimpleNamespace(score=0.0, explicit=False), overlap=overlap, rank=rank)

    governing, wordy = scored(MIN_OVERLAP / 2, 0), scored(MIN_OVERLAP * 3, 3)
    assert select_articles([governing, scored(0.01, 1), scored(0.0, 2), wordy])[0] is governing
    # … and with next to nothing worded like the question anywhere, it still abstains.
    assert select_articles([scored(0.01, 0), scored(0.0, 1)]) == []


def test_a_question_the_ranker_is_very_unsure_about_gets_no_citation_whatever_words_it_shares():
    """"世界杯哪个国家夺冠次数最多？" shares 国家 with many statutes; the trained ranker scores every
    article far below any question the corpus answers, so the reply says there is no basis."""
    from types import SimpleNamespace

    from legal_assistant.answer.evidence import NO_BASIS_RANKER_SCORE, ScoredArticle, select_articles

    def scored(score: float, overlap: float, rank: int) -> ScoredArticle:
        return ScoredArticle(SimpleNamespace(score=score, explicit=False), overlap=overlap, rank=rank)

    assert select_articles([scored(NO_BASIS_RANKER_SCORE - 1.0, 0.3, 0), scored(NO_BASIS_RANKER_SCORE - 1.2, 0.2, 1)]) == []
    answered = [scored(NO_BASIS_RANKER_SCORE + 1.0, 0.3, 0), scored(NO_BASIS_RANKER_SCORE - 1.2, 0.2, 1)]
    assert select_articles(answered)[0] is answered[0]


def test_a_conclusion_drawn_from_a_list_opening_points_at_the_list_and_names_the_closest_item():
    from legal_assistant.answer.compose import restate

    lead = "继承人有下列行为之一的，丧失继承权："
    assert restate(lead, "（一）故意杀害被继承人；") == "继承人有该条所列行为之一的，丧失继承权（如故意杀害被继承人）。"
    assert restate(lead) == "继承人有该条所列行为之一的，丧失继承权。"
    assert restate("（二）本法另有规定的；") == "该法另有规定的。"


def test_an_owners_long_story_is_not_hedged_when_the_ranker_is_sure_of_its_best_article():
    """A long question shares a small share of its words with any statute; the wording test alone
    hedged most enterprise answers that cited the right article."""
    from types import SimpleNamespace

    from legal_assistant.answer.evidence import CONFIDENT_OVERLAP, CONFIDENT_RANKER_SCORE, ScoredArticle, is_confident

    terms = SimpleNamespace(concepts=[SimpleNamespace(weight=1.0, credit=lambda text: (0.0, None))])
    article = SimpleNamespace(short_name="民法典", text="租赁物在承租人按照租赁合同占有期限内发生所有权变动的，不影响租赁合同的效力。")
    first = ScoredArticle(SimpleNamespace(score=0.0, explicit=False, article=article), overlap=CONFIDENT_OVERLAP / 3, rank=0)
    assert is_confident(first, terms, ranker_best=CONFIDENT_RANKER_SCORE + 1.0)
    assert not is_confident(first, terms, ranker_best=CONFIDENT_RANKER_SCORE - 1.0)


def test_a_question_citing_a_law_the_corpus_lacks_is_told_so(retriever):
    answer = ask(retriever, "上海市物业管理条例第十条规定的业主大会怎么召开？")
    assert any("上海市物业管理条例第十条" in notice and "找不到" in notice for notice in answer.notices)
    assert all("上海市" not in c.article.law_title for c in answer.citations)
