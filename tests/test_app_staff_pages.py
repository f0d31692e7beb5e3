"""The pages staff work in: the administrator's user management and the legal-aid review queue,
driven through Streamlit's AppTest against a real SQLite database."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from legal_assistant.auth import Role, list_users
from legal_assistant.contracts.engine import review_file
from legal_assistant.contracts.queue import get_case, submit_review
from legal_assistant.settings import PROJECT_ROOT
from legal_assistant.ui.look import clause_highlights_html
from legal_assistant.ui.navigation import PAGES_DIRNAME
from storage_support import STRONG_PASSWORD, make_people, sqlite_database  # noqa: F401

PAGES = PROJECT_ROOT / PAGES_DIRNAME
LOAN = PROJECT_ROOT / "tests" / "data" / "contracts" / "01_private_loan.txt"


def open_page(name: str, actor) -> AppTest:
    page = AppTest.from_file(str(PAGES / name), default_timeout=60)
    page.session_state["actor"] = actor
    page.run()
    return page


def click(page: AppTest, label: str) -> None:
    next(b for b in page.button if b.label == label).click().run()


def fill_new_account(page: AppTest, role: Role, username: str, organization: str) -> None:
    page.selectbox(key="new_user_role").select(role).run()
    inputs = {t.label: t for t in page.text_input}
    inputs["用户名（2-64 位字母、数字、汉字或 . _ -）"].input(username)
    next(t for label, t in inputs.items() if label.startswith(("企业名称", "所属"))).input(organization)
    inputs["初始密码（至少 10 位）"].input(STRONG_PASSWORD)
    inputs["再次输入初始密码"].input(STRONG_PASSWORD)
    click(page, "创建账户")


def test_user_management_is_refused_to_anyone_but_an_administrator(sqlite_database):
    people = make_people()
    page = open_page("admin_users.py", people["owner_a"])
    assert not page.exception
    assert [w.value for w in page.warning] == ["该操作仅限管理员。如需使用该功能，请在左侧“登录”页面以相应账户登录。"]
    assert not page.dataframe  # no account is listed


def test_an_administrator_sees_every_account_and_creates_a_judges_assistant_for_a_court(sqlite_database):
    people = make_people()
    page = open_page("admin_users.py", people["admin"])
    assert not page.exception
    assert {row for row in page.dataframe[0].value["用户名"]} >= {"admin", "owner_a", "aid", "judge_hd"}
    fill_new_account(page, Role.JUDGE_ASSISTANT, "judge_jx", "嘉兴市南湖区人民法院")
    assert not page.error
    assert page.success[0].value.startswith("已创建法官助理账户 judge_jx")
    created = next(u for u in list_users(people["admin"]) if u.username == "judge_jx")
    assert (created.role, created.organization) == (Role.JUDGE_ASSISTANT, "嘉兴市南湖区人民法院")


def test_a_judges_assistant_without_a_court_is_refused_with_the_reason(sqlite_database):
    people = make_people()
    page = open_page("admin_users.py", people["admin"])
    fill_new_account(page, Role.JUDGE_ASSISTANT, "judge_x", "")
    assert [e.value for e in page.error] == ["法官助理账户必须填写所属法院"]
    assert "judge_x" not in {u.username for u in list_users(people["admin"])}


def test_an_administrator_disables_and_re_enables_an_account(sqlite_database):
    people = make_people()
    page = open_page("admin_users.py", people["admin"])
    page.selectbox(key="toggle_user").select("owner_b").run()
    click(page, "停用该账户（并结束其登录）")
    assert page.success[0].value == "已停用账户 owner_b。"
    assert not next(u for u in list_users(people["admin"]) if u.username == "owner_b").is_active
    click(page, "启用该账户")
    assert next(u for u in list_users(people["admin"]) if u.username == "owner_b").is_active


def submitted_loan_case(people) -> int:
    return submit_review(people["owner_a"], review_file(LOAN), force=True).id


def test_the_review_queue_is_closed_to_judges_assistants(sqlite_database):
    people = make_people()
    page = open_page("review_queue.py", people["judge_hd"])
    assert not page.exception
    assert [w.value for w in page.warning] == ["该操作仅限法律援助工作人员、管理员。如需使用该功能，请在左侧“登录”页面以相应账户登录。"]
    assert not page.dataframe


def test_legal_aid_staff_take_a_case_comment_on_a_clause_and_close_it(sqlite_database):
    people = make_people()
    case_id = submitted_loan_case(people)
    page = open_page("review_queue.py", people["aid"])
    assert not page.exception
    assert list(page.dataframe[0].value["经办"]) == ["未分配"]
    click(page, "领取该案件")
    assert page.success[0].value == f"已领取案件 #{case_id}"
    assert any(t.label == "风险清单" for t in page.tabs)
    assert any("【高风险】第三条" in m.value for m in page.markdown)

    clause_box = next(s for s in page.selectbox if s.label == "针对条款")
    clause_box.select("第三条")
    page.text_area[0].input("月息二分五厘超过司法保护上限，建议下调。")
    click(page, "提交意见")
    detail = get_case(people["aid"], case_id)
    assert [(c.clause, c.body) for c in detail.comments] == [("第三条", "月息二分五厘超过司法保护上限，建议下调。")]
    assert detail.summary.status == "in_review"  # commenting starts the review

    page.selectbox(key="queue_new_status").select("closed").run()
    click(page, "更新状态")
    assert get_case(people["aid"], case_id).summary.status == "closed"
    assert page.success[0].value == f"案件 #{case_id} 已变更为“已关闭”"


def test_an_administrator_assigns_a_case_to_a_legal_aid_staff_member(sqlite_database):
    people = make_people()
    case_id = submitted_loan_case(people)
    page = open_page("review_queue.py", people["admin"])
    assert page.selectbox(key="queue_assignee").options == ["aid（海淀区法律援助中心）"]
    staff = next(u for u in list_users(people["admin"]) if u.username == "aid")
    page.selectbox(key="queue_assignee").select(staff).run()
    click(page, "分配")
    assert get_case(people["aid"], case_id).summary.assignee_id == people["aid"].user_id
    assert not page.text_area  # administrators assign; they do not comment


def test_clause_highlights_colour_each_clause_by_its_worst_finding_and_escape_contract_text():
    result = {
        "clauses": [
            {"clause": "第一条", "text": "第一条 <script>alert(1)</script> 借款金额"},
            {"clause": "第二条", "text": "第二条 利息按月息二分五厘计算"},
        ],
        "findings": [
            {"clause": "第二条", "severity": "medium", "title": "约定不明"},
            {"clause": "第二条", "severity": "high", "title": "利率超过法定上限"},
        ],
    }
    html = clause_highlights_html(result)
    assert "<script>" not in html and "&lt;script&gt;" in html
    first, second = html.split("\n")
    assert 'class="la-clause "' in first
    assert 'class="la-clause high"' in second and "【高风险】利率超过法定上限" in second
