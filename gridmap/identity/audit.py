"""What the audit trail records: one `AuditEvent` per sign-in, view, export, save or user change.

The audit log itself (append-only, chained hashes) is `gridmap.io.audit`;
this module only names the actions and builds the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gridmap.identity.users import User

#: The actions the audit log records, with their Chinese and English labels.
AUDIT_ACTIONS: dict[str, tuple[str, str]] = {
    "sign_in": ("登录", "sign-in"),
    "sign_in_failed": ("登录失败", "failed sign-in"),
    "account_locked": ("账户锁定", "account locked"),
    "sign_out": ("退出", "sign-out"),
    "session_expired": ("会话超时", "session expired"),
    "view_personal": ("查看个人信息", "viewed personal data"),
    "export": ("导出", "export"),
    "save": ("保存", "save"),
    "undo": ("撤销", "undo"),
    "import": ("导入", "import"),
    "denied": ("拒绝", "refused"),
    "user_add": ("新增用户", "user added"),
    "user_change": ("修改用户", "user changed"),
    "user_disable": ("停用用户", "user disabled"),
    "user_enable": ("启用用户", "user enabled"),
    "user_reset": ("重置密码", "password reset"),
}

#: Outcomes: it happened, it was refused by the rules, or it failed.
OUTCOMES: tuple[str, ...] = ("ok", "denied", "failed")


@dataclass(frozen=True)
class AuditEvent:
    """One line of the audit log (the log adds the time and the hash chain)."""

    action: str
    user: str
    role: str
    outcome: str = "ok"
    grids: tuple[str, ...] = ()
    detail: str = ""

    def __post_init__(self) -> None:
        if self.action not in AUDIT_ACTIONS:
            raise ValueError(
                f"unknown audit action {self.action!r}; known: {', '.join(AUDIT_ACTIONS)}"
            )
        if self.outcome not in OUTCOMES:
            raise ValueError(
                f"unknown audit outcome {self.outcome!r}; known: {', '.join(OUTCOMES)}"
            )


def event(
    action: str,
    user: User | None,
    *,
    outcome: str = "ok",
    grids: Iterable[str] = (),
    detail: str = "",
    name: str = "",
) -> AuditEvent:
    """Build an event by `user` (or by the unknown account `name`, as in a failed sign-in).

    >>> from gridmap.identity.roles import Role
    >>> event("export", User("li", Role.VIEWER), detail="atlas.pdf (public)").role
    'viewer'
    """
    return AuditEvent(
        action=action,
        user=user.name if user is not None else name,
        role=user.role.value if user is not None else "",
        outcome=outcome,
        grids=tuple(str(g) for g in grids),
        detail=detail,
    )
