"""The four kinds of user, and what each one's label is in the interface."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"  # 企业经营者: their own questions, contracts, self-checks and drafts
    LEGAL_AID = "legal_aid"  # 法律援助工作人员: the flagged contracts assigned to them
    JUDGE_ASSISTANT = "judge_assistant"  # 法官助理: settlement cases of their own court
    ADMIN = "admin"  # 管理员: accounts and assignments, not other users' business records

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.OWNER: "企业经营者",
    Role.LEGAL_AID: "法律援助工作人员",
    Role.JUDGE_ASSISTANT: "法官助理",
    Role.ADMIN: "管理员",
}


def parse_role(value: str) -> Role:
    """Accept the stored value ("legal_aid") or the zh-CN label ("法律援助工作人员")."""
    for role in Role:
        if value in (role.value, role.label):
            return role
    allowed = "、".join(f"{r.value}（{r.label}）" for r in Role)
    raise ValueError(f"未知角色“{value}”，可选：{allowed}")
