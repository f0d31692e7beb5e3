"""The statute parser turns the source Markdown into articles, coping with its known irregularities."""

from pathlib import Path

import pytest

from legal_assistant.corpus.library import Corpus
from legal_assistant.corpus.parse import parse_statute

HEADER = "# 中华人民共和国示例法\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n\n"


def write(root: Path, relative: str, body: str, header: str = HEADER) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path


def parse(tmp_path: Path, body: str, relative: str = "经济法/示例法(2020-01-01).md"):
    return parse_statute(write(tmp_path, relative, body), tmp_path)


def test_multi_paragraph_article_keeps_its_paragraphs(tmp_path):
    doc = parse(tmp_path, "## 第一章 总则\n\n第一条 第一款。\n\n第二款内容。\n\n（一）项目一；\n\n第二条 下一条。\n")
    first, second = doc.articles
    assert first.paragraphs == ["第一款。", "第二款内容。", "（一）项目一；"]
    assert second.number == 2 and second.text == "下一条。"
    assert first.chapter_path == ["第一章 总则"]


def test_zhi_yi_articles_are_their_own_articles(tmp_path):
    doc = parse(tmp_path, "第一百三十三条 甲。\n\n第一百三十三条之一 乙。\n\n第一百三十四条 丙。\n")
    assert [(a.number, a.sub, a.number_text) for a in doc.articles] == [
        (133, 0, "第一百三十三条"),
        (133, 1, "第一百三十三条之一"),
        (134, 0, "第一百三十四条"),
    ]


def test_heading_typos_do_not_swallow_articles(tmp_path):
    doc = parse(tmp_path, "第五十三条 甲。\n\n笫五十四条 乙。\n\n第五十五 条 丙。\n")
    assert [a.number for a in doc.articles] == [53, 54, 55]
    assert doc.articles[1].text == "乙。"


def test_several_articles_in_one_paragraph_are_split(tmp_path):
    doc = parse(tmp_path, "第十一条 甲规定。 第十二条 乙规定。 第十三条 丙规定。\n")
    assert [a.number for a in doc.articles] == [11, 12, 13]
    assert doc.articles[1].text == "乙规定。"


def test_reference_to_an_earlier_article_inside_text_is_not_a_new_article(tmp_path):
    doc = parse(tmp_path, "第十条 甲。\n\n第十一条 乙。\n\n第十条规定的期限，延长一倍。\n")
    assert [a.number for a in doc.articles] == [10, 11]
    assert doc.articles[1].paragraphs[-1] == "第十条规定的期限，延长一倍。"


def test_appendix_after_last_article_belongs_to_no_article(tmp_path):
    doc = parse(tmp_path, "第一条 甲。\n\n第二条 本法自公布之日起施行。\n\n附件：\n\n一、表格内容很长\n")
    assert doc.articles[-1].text == "本法自公布之日起施行。"
    assert "一、表格内容很长" in doc.loose_paragraphs


def test_zero_width_blank_lines_and_structure_levels(tmp_path):
    body = "## 第一编 总则\n\n\u200b\n\n### 第一章 一般规定\n\n#### 第一节 定义\n\n第一条 甲。\n\n\u200b\n\n## 第二编 分则\n\n第二条 乙。\n"
    doc = parse(tmp_path, body)
    assert doc.articles[0].chapter_path == ["第一编 总则", "第一章 一般规定", "第一节 定义"]
    assert doc.articles[0].paragraphs == ["甲。"]
    assert doc.articles[1].chapter_path == ["第二编 分则"]


def test_instrument_without_articles_keeps_its_text(tmp_path):
    doc = parse(tmp_path, "一、将第一条修改为：……\n\n二、本修正案自公布之日起施行。\n", "刑法/刑法修正案（十三）.md")
    assert doc.articles == []
    assert len(doc.loose_paragraphs) == 2


def test_versions_are_grouped_and_older_ones_marked_superseded(tmp_path):
    write(tmp_path, "民法商法/公司法(2018-10-26).md", "第一条 旧。\n", header="# 中华人民共和国公司法\n\n<!-- INFO END -->\n\n")
    write(tmp_path, "民法商法/公司法(2023-12-29).md", "第一条 新。\n", header="# 中华人民共和国公司法\n\n<!-- INFO END -->\n\n")
    corpus = Corpus.parse(tmp_path)
    assert corpus.article("公司法", 1).text == "新。"
    assert corpus.article("公司法", 1).in_force
    old = corpus.article("公司法", 1, version="2018-10-26")
    assert old.text == "旧。" and not old.in_force
    assert corpus.article("中华人民共和国公司法", 1, as_of="2020-05-01").text == "旧。"


def test_civil_code_books_form_one_law(tmp_path):
    for book, number in (("总则", "第一条"), ("婚姻家庭编", "第一千零四十条")):
        header = f"# 中华人民共和国民法典\n\n# {book}\n\n2020年5月28日 通过\n\n<!-- INFO END -->\n\n"
        write(tmp_path, f"民法典/{book}.md", f"## 第一章 一般规定\n\n{number} 内容。\n", header=header)
    corpus = Corpus.parse(tmp_path)
    law = corpus.law("民法典")
    assert len(law.versions) == 1
    assert [a.number for a in law.current.articles] == [1, 1040]
    assert corpus.article("民法典", 1040).chapter_path[0] == "婚姻家庭编"


@pytest.mark.parametrize(
    "spelling",
    ["最高人民法院 最高人民检察院关于办理X案件的解释", "最高人民法院  最高人民检察院关于办理X案件的解释", "最高人民法院、最高人民检察院关于办理X案件的解释"],
)
def test_one_instrument_spelled_several_ways(tmp_path, spelling):
    header = "# 最高人民法院、最高人民检察院关于办理X案件的解释\n\n<!-- INFO END -->\n\n"
    write(tmp_path, "司法解释/x(2019-01-01).md", "第一条 甲。\n", header=header)
    corpus = Corpus.parse(tmp_path)
    assert corpus.article(spelling, 1).text == "甲。"
    assert corpus.article(spelling, 1).category == "司法解释"
