"""Which pages exist, how they are grouped, and who may open them.

Plain data (no Streamlit import) so the menu each role gets is testable on its own. ``None`` in
``audience`` stands for a visitor who has not signed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from legal_assistant.auth.roles import Role

# The folder of page scripts, relative to app.py (Streamlit resolves page links against app.py).
PAGES_DIRNAME = "app_pages"
ANONYMOUS = None
EVERYONE = frozenset({ANONYMOUS, *Role})
SIGNED_IN = frozenset(Role)


@dataclass(frozen=True)
class PageSpec:
    file: str  # under app_pages/
    title: str
    icon: str  # Material Symbols name: bundled with Streamlit, so it renders without emoji fonts
    url_path: str
    section: str
    audience: frozenset
    summary: str  # one line for the home page: what the user gets there

    @property
    def path(self) -> str:
        """The page script relative to app.py, as ``st.page_link`` / ``st.switch_page`` take it."""
        return f"{PAGES_DIRNAME}/{self.file}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home.py", "首页", ":material/home:", "home", "开始", EVERYONE, "功能总览与使用入口"),
    PageSpec(
        "qa.py", "法律咨询", ":material/forum:", "qa", "企业法律服务", EVERYONE,
        "用日常语言提问，回答逐字引用法条并注明版本日期",
    ),
    PageSpec(
        "selfcheck.py", "风险自查", ":material/health_and_safety:", "selfcheck", "企业法律服务", EVERYONE,
        "按企业情况答题，得到各主题风险雷达图、预警和整改建议（登录后可保存并对比）",
    ),
    PageSpec(
        "themes.py", "安商驿站专场", ":material/menu_book:", "themes", "企业法律服务", EVERYONE,
        "十大主题的重点法条、典型案例和自查清单",
    ),
    PageSpec(
        "contract_review.py", "合同体检", ":material/description:", "contract-review", "企业法律服务", EVERYONE,
        "上传合同，逐条标出风险与缺失条款并给出法律依据（企业账户可提交法律援助审查）",
    ),
    PageSpec(
        "contract_batch.py", "批量体检", ":material/library_books:", "contract-batch", "企业法律服务", EVERYONE,
        "一次上传多份合同，得到评分汇总表",
    ),
    PageSpec(
        "esign.py", "桐e签", ":material/draw:", "esign", "企业法律服务", frozenset({Role.OWNER}),
        "选模板填表生成合同，各方在线签署，全程记入存证链",
    ),
    PageSpec(
        "evidence_verify.py", "存证核验", ":material/verified:", "evidence", "企业法律服务", EVERYONE,
        "上传 PDF，核对它是否与存证记录一致、电子签名是否有效",
    ),
    PageSpec(
        "review_queue.py", "合同审查队列", ":material/assignment:", "review-queue", "法律援助", frozenset({Role.LEGAL_AID, Role.ADMIN}),
        "处理企业提交的高风险合同：领取、批注、变更状态；管理员分配案件",
    ),
    PageSpec(
        "settlement.py", "执行和解", ":material/gavel:", "settlement", "法院执行", frozenset({Role.JUDGE_ASSISTANT, Role.OWNER}),
        "计算欠款、评估还款能力、生成分期和解方案与协议，并监管履行",
    ),
    PageSpec(
        "admin_users.py", "用户管理", ":material/manage_accounts:", "admin-users", "系统管理", frozenset({Role.ADMIN}),
        "创建账户、分配角色、停用与启用账户",
    ),
    PageSpec("login.py", "登录", ":material/login:", "login", "账户", frozenset({ANONYMOUS}), "登录后按角色开放更多功能"),
    PageSpec("login.py", "我的账户", ":material/account_circle:", "login", "账户", SIGNED_IN, "查看账户、修改密码、退出登录"),
)


def pages_for(role: Role | None) -> dict[str, list[PageSpec]]:
    """The menu for ``role`` (None = not signed in), grouped by section in display order."""
    menu: dict[str, list[PageSpec]] = {}
    for spec in PAGES:
        if role in spec.audience:
            menu.setdefault(spec.section, []).append(spec)
    return menu


def spec_by_path(url_path: str) -> PageSpec | None:
    return next((spec for spec in PAGES if spec.url_path == url_path), None)
