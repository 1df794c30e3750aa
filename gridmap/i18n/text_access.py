"""Texts of sign-in, roles, refusals, the administrator's page and the audit log.

key -> (Chinese, English); merged into `gridmap.i18n.TEXT`.
"""

TEXT: dict[str, tuple[str, str]] = {
    # sign-in
    "auth.title": ("登录", "Sign in"),
    "auth.name": ("用户名", "User name"),
    "auth.password": ("密码", "Password"),
    "auth.submit": ("登录", "Sign in"),
    "auth.wrong": ("用户名或密码错误。", "The user name or the password is wrong."),
    "auth.locked": (
        "登录失败次数过多，账户已暂时锁定。",
        "Too many failed sign-ins: the account is locked for a while.",
    ),
    "auth.refused": ("无法登录。", "Sign-in refused."),
    "auth.expired": ("会话已超时，请重新登录", "The session timed out; please sign in again"),
    "auth.gone": (
        "您的账户已被停用或删除，已退出登录。",
        "Your account was disabled or removed; you are signed out.",
    ),
    "auth.signed_out": ("已退出登录。", "You are signed out."),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.signed_in_as": ("当前用户：{label} · {role}", "Signed in: {label} · {role}"),
    "auth.empty": (
        "还没有任何账户，也没有默认密码。请在服务器上创建第一个系统管理员：",
        "There is no account yet, and no default password. Create the first administrator "
        "on the server:",
    ),
    "auth.bad_mode": (
        "GRIDMAP_AUTH 的值 {mode} 无效；可选 local、proxy、oidc。",
        "GRIDMAP_AUTH {mode} is not a sign-in mode; use local, proxy or oidc.",
    ),
    "auth.proxy.missing": (
        "反向代理没有传来用户请求头 {header}，无法确认身份。请通过单位的登录入口访问。",
        "The reverse proxy sent no {header} header, so nobody is signed in. Open GridMap "
        "through your organisation's sign-in address.",
    ),
    "auth.unknown_account": (
        "账户 {name} 不存在或已停用；请联系系统管理员。",
        "There is no enabled account {name}; ask an administrator.",
    ),
    "auth.oidc.unconfigured": (
        "单点登录（GRIDMAP_AUTH=oidc）未配置：.streamlit/secrets.toml 中缺少 [auth] 部分"
        "（redirect_uri、cookie_secret、client_id、client_secret、server_metadata_url）。",
        "Single sign-on (GRIDMAP_AUTH=oidc) is not configured: .streamlit/secrets.toml has no "
        "[auth] section (redirect_uri, cookie_secret, client_id, client_secret, "
        "server_metadata_url).",
    ),
    "auth.oidc.login": ("使用单位账号登录", "Sign in with your organisation's account"),
    "auth.oidc.no_name": (
        "身份提供方没有返回电子邮件或用户名，无法对应到账户。",
        "The identity provider returned no e-mail or user name to match an account.",
    ),
    "auth.demo.intro": (
        "演示模式：只打开内置示例辖区的工作副本，无需密码。",
        "Demo mode: only a working copy of the bundled sample district, no password.",
    ),
    "auth.demo.viewer": ("演示：查看", "Demo: viewer"),
    "auth.demo.planner": ("演示：规划人员", "Demo: planner"),
    "auth.demo.source": ("演示数据（示例辖区工作副本）", "Demo data (working copy of the sample)"),
    # refusals and read-only notes
    "auth.page_refused": (
        "您的角色（{role}）不能使用此页面。",
        "Your role ({role}) may not use this page.",
    ),
    "auth.read_only": (
        "您的角色（{role}）只能查看，不能修改。",
        "Your role ({role}) may look but not change anything here.",
    ),
    "auth.contacts_only": (
        "您的角色（{role}）只能修改本人负责网格的负责人、电话和成员。",
        "Your role ({role}) may change only the leaders, phones and members of your own grids.",
    ),
    "auth.denied": ("无权执行此操作：", "Not allowed:"),
    "auth.signed_as_author": ("记录人：{label}", "Recorded as: {label}"),
    "auth.public": ("公开版（不含个人信息）", "public version (no personal data)"),
    "auth.masked_note": (
        "个人信息按您的权限做了脱敏处理。",
        "Personal data is masked as your role requires.",
    ),
    # administrator's page
    "page.admin": ("用户与审计", "Users and audit"),
    "admin.users": ("用户", "Users"),
    "admin.audit": ("审计日志", "Audit log"),
    "admin.col.name": ("用户名", "user name"),
    "admin.col.display": ("姓名", "display name"),
    "admin.col.role": ("角色", "role"),
    "admin.col.grids": ("网格", "grids"),
    "admin.col.disabled": ("已停用", "disabled"),
    "admin.col.locked": ("已锁定", "locked"),
    "admin.col.signed_in": ("最近登录", "last sign-in"),
    "admin.add": ("新增用户", "Add a user"),
    "admin.password": ("密码", "Password"),
    "admin.password2": ("再次输入密码", "Password again"),
    "admin.grids_help": (
        "网格编号，用逗号分隔（网格负责人必填）",
        "Grid ids, separated by commas (needed for a grid leader)",
    ),
    "admin.add.submit": ("新增", "Add"),
    "admin.mismatch": ("两次输入的密码不一致。", "The two passwords differ."),
    "admin.added": ("已新增用户 {name}。", "User {name} added."),
    "admin.account": ("选择用户", "Account"),
    "admin.change": ("修改角色、网格、姓名", "Change role, grids, display name"),
    "admin.change.submit": ("保存修改", "Save the change"),
    "admin.changed": ("已修改用户 {name}。", "User {name} changed."),
    "admin.disable": ("停用", "Disable"),
    "admin.enable": ("启用", "Enable"),
    "admin.unlock": ("解除锁定", "Unlock"),
    "admin.reset": ("重置密码", "Reset the password"),
    "admin.reset.submit": ("重置", "Reset"),
    "admin.done": ("{what}：{name}", "{what}: {name}"),
    "admin.since": ("起始日期", "From"),
    "admin.until": ("截止日期（含）", "To (inclusive)"),
    "admin.user": ("用户", "User"),
    "admin.action": ("操作", "Action"),
    "admin.any": ("全部", "all"),
    "admin.events": ("{n} 条记录", "{n} events"),
    "admin.verify.ok": (
        "审计日志完整：哈希链校验通过（{n} 条）。",
        "The audit log is intact: the hash chain checks out ({n} events).",
    ),
    "admin.verify.broken": (
        "审计日志被改动：第 {seq} 条记录的哈希链断开。",
        "The audit log was tampered with: the hash chain breaks at {seq}.",
    ),
    "admin.export.xlsx": ("导出 Excel", "Export to Excel"),
    "admin.export.csv": ("导出 CSV", "Export as CSV"),
}
