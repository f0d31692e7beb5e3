"""安商驿站 专场 pages: key articles from the corpus, typical cases, checklist."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from legal_assistant.cli import app
from legal_assistant.risks.kb import load_kb
from legal_assistant.risks.theme_pages import match_cases, theme_page


def test_labor_page_resolves_key_articles_and_finds_overtime_cases():
    page = theme_page("labor")
    assert all(c.ok for c in page.key_articles)
    assert "《劳动合同法》第八十二条" in page.key_articles[1].display
    assert page.cases and all("加班" in m.case.title or "劳动" in m.case.title for m in page.cases)
    assert page.checklist and len(page.risks) >= 20


def test_every_theme_page_builds():
    for theme in load_kb().themes:
        page = theme_page(theme.key)
        assert page.key_articles and page.checklist


def test_a_single_passing_mention_does_not_make_a_case_typical():
    matches = match_cases(["保理"])  # the word appears in the title of exactly one case
    assert matches and all("保理" in m.case.title for m in matches)


def test_unknown_theme_is_reported_in_chinese():
    with pytest.raises(KeyError, match="没有这个专场主题"):
        theme_page("astrology")


def test_cli_theme_prints_page_as_json():
    result = CliRunner().invoke(app, ["risks", "theme", "finance", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["theme"] == "融资借贷与担保"
    assert any("浙江省地方金融条例" in a["citation"] for a in payload["key_articles"])
