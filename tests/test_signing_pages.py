"""The 桐e签 pages drive the library: generate a contract, each party signs in turn after confirming
its registered mobile number, and every step lands on the ledger."""

import pytest
from streamlit.testing.v1 import AppTest

from legal_assistant.ledger.chain import contract_entries, verify_chain
from legal_assistant.settings import PROJECT_ROOT, get_settings
from legal_assistant.signing.service import check_document
from legal_assistant.store.db import get_engine

PAGES = PROJECT_ROOT / "app_pages"


@pytest.fixture(autouse=True)
def fresh_engine():
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_engine.cache_clear()


def click(app: AppTest, label: str) -> None:
    next(button for button in app.button if button.label == label).click().run()


def sign_as(app: AppTest, mobile: str) -> None:
    next(t for t in app.text_input if t.label.startswith("请签署人")).input(mobile)
    next(c for c in app.checkbox if c.label.startswith("我已阅读")).check()
    click(app, "签署")


def test_esign_page_generates_and_collects_both_signatures_in_order():
    app = AppTest.from_file(str(PAGES / "esign.py"), default_timeout=60)
    app.run()
    assert not app.exception
    next(s for s in app.selectbox if s.label == "合同模板").select("sale").run()
    click(app, "生成合同")
    assert app.success[0].value.startswith("已生成合同，编号 HT")
    contract_id = app.session_state["esign_contract"]["id"]

    sign_as(app, "13900000000")
    assert [e.value for e in app.error] == ["手机号码与该签署人登记的号码不一致"]
    sign_as(app, "13812345678")  # 甲方's registered number (example data)
    assert not app.error
    sign_as(app, "13987654321")  # 乙方's
    assert any(s.value == "各方均已签署。" for s in app.success)

    signed_pdf = app.session_state["esign_contract"]["pdf"]
    check = check_document(signed_pdf)
    assert check.ledger_match and [s.valid for s in check.signatures] == [True, True]
    events = [e.event for e in contract_entries(contract_id)]
    assert events == ["identity_checked", "identity_checked", "draft_created", "signed", "signed"]
    assert verify_chain().ok


def test_esign_page_lists_field_errors_instead_of_generating():
    app = AppTest.from_file(str(PAGES / "esign.py"), default_timeout=60)
    app.run()
    next(s for s in app.selectbox if s.label == "合同模板").select("labor").run()
    next(t for t in app.text_input if t.label == "居民身份证号码").input("110105199003071230").run()
    click(app, "生成合同")
    assert "esign_contract" not in app.session_state
    assert any("party_b.id_number" in m.value and "校验位" in m.value for m in app.markdown)


def test_evidence_verify_page_loads_and_explains_itself():
    app = AppTest.from_file(str(PAGES / "evidence_verify.py"), default_timeout=30)
    app.run()
    assert not app.exception
    assert app.title[0].value == "存证核验"
