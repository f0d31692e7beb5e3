"""The Streamlit pages run: the questionnaire follows the answers, results and downloads appear."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).resolve().parent.parent / "app_pages"


def test_selfcheck_page_asks_follow_up_only_after_the_gate_and_shows_results():
    page = AppTest.from_file(str(PAGES / "selfcheck.py"), default_timeout=90)
    page.run()
    assert not page.exception
    labels = [r.label for r in page.radio]
    assert "每笔对外担保都有董事会或股东会书面决议" not in labels
    page.radio(key="sc_fin_provides_guarantee").set_value("是")
    page.run()
    assert "每笔对外担保都有董事会或股东会书面决议" in [r.label for r in page.radio]

    next(b for b in page.button if b.label == "填入示例答卷").click()
    page.run()
    next(b for b in page.button if b.label == "生成自查结果").click()
    page.run()
    assert not page.exception
    assert any(m.label == "综合得分" for m in page.metric)
    assert len(page.get("plotly_chart")) == 1
    assert any("红色预警" in e.value for e in page.error)
    assert any("登录后可保存" in i.value for i in page.info)


def test_themes_page_shows_articles_cases_and_checklist():
    page = AppTest.from_file(str(PAGES / "themes.py"), default_timeout=60)
    page.run()
    assert not page.exception
    assert page.selectbox(key="theme_key").value == "labor"
    assert any("《劳动合同法》第八十二条" in e.label for e in page.expander)
    assert len(page.checkbox) >= 5
