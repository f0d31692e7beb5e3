"""Users, roles, sessions and the permission checks every service call makes.

The permission helpers are imported eagerly; the account/session functions load lazily because
they depend on the audit log, which itself depends on the permission helpers.
"""

from legal_assistant.auth.permissions import (
    Actor,
    PermissionDenied,
    ensure_contract_access,
    ensure_owner_or_role,
    ensure_settlement_access,
    owned_by,
    require_actor,
    require_role,
)
from legal_assistant.auth.roles import Role, parse_role

_SERVICE_NAMES = {
    "AccountError",
    "AuthenticationError",
    "actor_for_username",
    "actor_from_token",
    "authenticate",
    "change_password",
    "create_first_admin",
    "create_user",
    "list_users",
    "logout",
    "reset_password",
    "set_user_active",
}


def __getattr__(name: str):
    if name in _SERVICE_NAMES:
        from legal_assistant.auth import service

        return getattr(service, name)
    raise AttributeError(f"module 'legal_assistant.auth' has no attribute {name!r}")


__all__ = [
    "Actor",
    "PermissionDenied",
    "Role",
    "ensure_contract_access",
    "ensure_owner_or_role",
    "ensure_settlement_access",
    "owned_by",
    "parse_role",
    "require_actor",
    "require_role",
    *sorted(_SERVICE_NAMES),
]
