"""Exact citation lookup over the project's real corpus: written citations resolve to the article."""

import pytest

from legal_assistant.corpus import get_corpus


@pytest.fixture(scope="module")
def corpus():
    return get_corpus()


@pytest.mark.parametrize(
    ("citation", "law", "number_text", "starts"),
    [
        ("民法典第585条", "中华人民共和国民法典", "第五百八十五条", "当事人可以约定一方违约时"),
        ("劳动合同法第十九条", "中华人民共和国劳动合同法", "第十九条", "劳动合同期限三个月以上不满一年的"),
        ("《公司法》第五十二条", "中华人民共和国公司法", "第五十二条", "股东未按照公司章程规定的出资日期缴纳出资"),
        ("刑法第一百三十三条之一", "中华人民共和国刑法", "第一百三十三条之一", "在道路上驾驶机动车"),
        ("最高人民法院关于适用《民法典》有关担保制度的解释第一条", "最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释", "第一条", "因抵押、质押、留置、保证等担保发生的纠纷"),
    ],
)
def test_written_citation_resolves_to_newest_version(corpus, citation, law, number_text, starts):
    article = corpus.resolve_name(citation)
    assert article is not None
    assert article.law_title == law
    assert article.number_text == number_text
    assert article.text.startswith(starts)
    assert article.in_force


def test_older_version_on_request_and_by_date(corpus):
    newest = corpus.article("公司法", 52)
    older = corpus.article("公司法", 52, version="2018-10-26")
    assert newest.version_date == "2023-12-29" and older.version_date == "2018-10-26"
    assert not older.in_force and older.text != newest.text
    assert corpus.article("公司法", 52, as_of="2020-01-01").version_date == "2018-10-26"


def test_citations_found_in_free_text_with_paragraph_and_follow_on_articles(corpus):
    found = corpus.find_citations("依照《劳动合同法》第三十九条、第四十条第一款以及民法典第五百八十五条处理")
    assert [(c.law, c.number, c.paragraph) for c in found] == [("劳动合同法", 39, None), ("劳动合同法", 40, 1), ("民法典", 585, None)]


def test_unknown_law_or_article_is_not_invented(corpus):
    assert corpus.resolve_name("火星法第一条") is None
    assert corpus.resolve_name("民法典第九千条") is None


def test_a_local_law_the_corpus_lacks_is_not_read_as_the_national_one(corpus):
    # 上海市物业管理条例 and 浙江省优化营商环境条例 are not in the corpus; their names end with State Council ones.
    assert corpus.resolve_name("上海市物业管理条例第十条") is None
    assert corpus.resolve_name("浙江省优化营商环境条例第十条") is None
    assert corpus.resolve_name("物业管理条例第十条").law_title == "物业管理条例"
    assert corpus.resolve_name("嘉兴市住宅物业管理条例第十条").law_title == "嘉兴市住宅物业管理条例"
    assert corpus.resolve_name("上市公司法第十条 ").law_title == "中华人民共和国公司法"  # 上市 is not a place


def test_written_citations_that_name_no_corpus_article_are_reported(corpus):
    assert corpus.unresolved_citations("上海市物业管理条例第十条怎么理解？") == ["上海市物业管理条例第十条"]
    assert corpus.unresolved_citations("民法典第九千条说了什么") == ["民法典第九千条"]
    assert corpus.unresolved_citations("根据火星法第一条") == ["火星法第一条"]
    assert corpus.unresolved_citations("请问《劳动合同法》第十九条和刑法第一百三十三条之一") == []


def test_whole_corpus_is_parsed(corpus):
    assert len(corpus.law("民法典").current.articles) == 1260
    assert len(corpus.laws) > 1500
    assert len(corpus.cases) == 52
    case = corpus.cases[0]
    assert case.sections and case.summary


def test_every_dev_label_resolves(corpus):
    import json
    from pathlib import Path

    from legal_assistant.settings import PROJECT_ROOT

    sample = json.loads((PROJECT_ROOT / "tests" / "data" / "retrieval_tiny.json").read_text(encoding="utf-8"))
    for item in sample:
        for name in item["match_name"]:
            assert corpus.resolve_name(name) is not None, name
