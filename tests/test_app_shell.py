"""The app frame: each role's menu, signing in and out through the login page, the home page's
starting points, and failures turned into specific zh-CN messages instead of stack traces."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from legal_assistant.auth import Role, actor_from_token, authenticate, set_user_active
from legal_assistant.settings import PROJECT_ROOT
from legal_assistant.ui.look import UNEXPECTED, csv_bytes
from legal_assistant.ui.navigation import PAGES, PAGES_DIRNAME, pages_for
from storage_support import STRONG_PASSWORD, make_people, sqlite_database  # noqa: F401

APP = str(PROJECT_ROOT / "app.py")
LOGIN = str(PROJECT_ROOT / PAGES_DIRNAME / "login.py")


def titles(role) -> set[str]:
    return {spec.title for specs in pages_for(role).values() for spec in specs}


def open_app(token: str | None = None) -> AppTest:
    """The whole app (frame + home page), optionally for a browser session signed in with ``token``."""
    app = AppTest.from_file(APP, default_timeout=60)
    if token:
        app.session_state["auth_token"] = token
    app.run()
    assert not app.exception
    return app


def login_page() -> AppTest:
    page = AppTest.from_file(LOGIN, default_timeout=60)
    page.run()
    return page


def sign_in(page: AppTest, username: str, password: str = STRONG_PASSWORD) -> None:
    page.text_input(key="login_username").input(username)
    page.text_input(key="login_password").input(password)
    next(b for b in page.button if b.label == "登录").click().run()


def test_visitors_get_the_public_pages_and_nothing_that_needs_an_account():
    assert titles(None) == {"首页", "法律咨询", "风险自查", "安商驿站专场", "合同体检", "批量体检", "存证核验", "登录"}


def test_each_role_gets_the_pages_of_its_work():
    assert {"桐e签", "执行和解", "我的账户"} <= titles(Role.OWNER)
    assert not {"合同审查队列", "用户管理", "登录"} & titles(Role.OWNER)
    assert "合同审查队列" in titles(Role.LEGAL_AID) and not {"执行和解", "桐e签", "用户管理"} & titles(Role.LEGAL_AID)
    assert "执行和解" in titles(Role.JUDGE_ASSISTANT) and not {"合同审查队列", "桐e签"} & titles(Role.JUDGE_ASSISTANT)
    assert {"用户管理", "合同审查队列"} <= titles(Role.ADMIN) and "执行和解" not in titles(Role.ADMIN)


def test_every_menu_entry_points_at_an_existing_page_with_a_unique_address():
    for spec in PAGES:
        assert (PROJECT_ROOT / spec.path).is_file(), spec.file
    for role in (None, *Role):
        paths = [spec.url_path for specs in pages_for(role).values() for spec in specs]
        assert len(paths) == len(set(paths))


def test_home_page_says_where_to_start_and_links_only_pages_the_visitor_may_open(sqlite_database):
    app = open_app()
    assert app.title[0].value == "最嘉法护 · 企业法律风险助手"
    assert any("法律咨询" in m.value and "合同体检" in m.value for m in app.markdown)
    links = {link.label for link in app.get("page_link")}
    assert {"打开法律咨询", "打开合同体检", "打开存证核验"} <= links
    assert not {"打开桐e签", "打开用户管理", "打开执行和解"} & links
    assert any("检索索引尚未建立" in i.value for i in app.info)


def test_signing_in_puts_the_actor_in_the_session_and_the_app_opens_the_roles_pages(sqlite_database):
    make_people()
    page = login_page()
    sign_in(page, "owner_a")
    assert not page.exception and not page.error
    actor = page.session_state["actor"]
    assert (actor.username, actor.role) == ("owner_a", Role.OWNER)
    assert page.title[0].value == "我的账户"
    assert page.success[0].value == "登录成功，欢迎 owner_a（企业经营者）。左侧菜单已为您开放：桐e签、执行和解、我的账户。"
    app = open_app(page.session_state["auth_token"])
    assert any(s.value == "欢迎，owner_a（企业经营者）。" for s in app.success)
    assert "打开桐e签" in {link.label for link in app.get("page_link")}


def test_a_wrong_password_is_refused_with_a_message_that_does_not_say_which_part_was_wrong(sqlite_database):
    make_people()
    page = login_page()
    sign_in(page, "owner_a", "not-the-password")
    assert [e.value for e in page.error] == ["用户名或密码错误"]
    assert "auth_token" not in page.session_state


def test_on_an_empty_system_the_login_page_creates_the_first_administrator(sqlite_database):
    page = login_page()
    form_inputs = [t for t in page.text_input if t.key is None or not t.key.startswith("login_")]
    for widget, value in zip(form_inputs, ["chief", "系统管理员", STRONG_PASSWORD, STRONG_PASSWORD]):
        widget.input(value)
    next(b for b in page.button if b.label == "创建管理员").click().run()
    assert any(s.value.startswith("已创建管理员 chief") for s in page.success)
    sign_in(page, "chief")
    assert page.session_state["actor"].role is Role.ADMIN
    assert "用户管理" in page.success[-1].value


def test_an_account_disabled_meanwhile_is_signed_out_on_the_next_click(sqlite_database):
    people = make_people()
    token = authenticate("owner_a", STRONG_PASSWORD)
    assert open_app(token).session_state["actor"].username == "owner_a"
    set_user_active(people["admin"], "owner_a", False)
    app = open_app(token)  # every script run re-checks the token (AppTest reruns only the page, so start anew)
    assert app.session_state["actor"] is None
    assert "auth_token" not in app.session_state
    assert "登录已失效" in app.session_state["auth_notice"]
    assert "打开桐e签" not in {link.label for link in app.get("page_link")}


def test_signing_out_ends_the_session_and_forgets_everything_it_held(sqlite_database):
    make_people()
    page = login_page()
    sign_in(page, "owner_a")
    token = page.session_state["auth_token"]
    page.session_state["esign_contract"] = {"id": "HT-1"}
    next(b for b in page.button if b.label == "退出登录").click().run()
    assert page.session_state["actor"] is None
    assert "esign_contract" not in page.session_state and "auth_token" not in page.session_state
    assert actor_from_token(token) is None  # the token no longer opens a session anywhere


def page_failing_with(error: str) -> None:
    """A script whose page raises ``error``; AppTest runs this function's source on its own."""
    from legal_assistant.auth import PermissionDenied
    from legal_assistant.ui.look import run_page

    class Page:
        title = "测试页"

        def run(self):
            raise {"denied": PermissionDenied("请先登录"), "bug": KeyError("/srv/secret/path")}[error]

    run_page(Page())


def test_a_refused_action_explains_how_to_get_access():
    app = AppTest.from_function(page_failing_with, args=("denied",))
    app.run()
    assert not app.exception
    assert [w.value for w in app.warning] == ["请先登录。如需使用该功能，请在左侧“登录”页面以相应账户登录。"]


def test_an_unexpected_failure_shows_a_plain_message_and_never_the_technical_details():
    app = AppTest.from_function(page_failing_with, args=("bug",))
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [UNEXPECTED]
    assert not any("/srv/secret" in e.value for e in app.error)


def test_csv_downloads_open_in_excel_with_chinese_headers_intact():
    data = csv_bytes([{"用户名": "owner_a", "角色": "企业经营者"}])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == ["用户名,角色", "owner_a,企业经营者"]


def test_every_screenshot_the_readme_shows_exists_and_is_small():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"\]\((docs/screenshots/[\w.-]+\.png)\)", readme)
    assert len(pictures) >= 8
    for picture in pictures:
        path = PROJECT_ROOT / picture
        assert path.is_file(), picture
        assert path.stat().st_size < 250_000, picture
