"""Who is looking at the dashboard, and what they may see.

Three roles: the bureau's admin (the admin token: everything), a district officer (everything,
read only) and a township steward or backup (their own township only). Officers and stewards
log in with WeCom's web OAuth (connect/oauth2/authorize, then auth/getuserinfo for the userid,
WeCom doc 91023/91437); the role comes from the org file's staff table, never from the browser.
The session is a signed cookie (HMAC-SHA256 over the viewer, with an expiry), so any worker can
check it without a session table.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlencode, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Node, Staff
from app.settings import Settings

COOKIE = "jm_dashboard"
STATE_COOKIE = "jm_oauth_state"
SESSION_SECONDS = 8 * 3600  # a working day; then log in again
ROLE_LABELS = {"admin": "区人社局管理员", "officer": "区级信息员（只读）", "steward": "乡镇信息管家"}
STAFF_ROLES = {"district_officer": "officer", "township_steward": "steward", "backup_steward": "steward"}
REAL_OAUTH_BASE = "https://open.weixin.qq.com/"


class NotAllowed(Exception):
    """A login that must not open the dashboard; the message is shown to the person as it is."""


@dataclass(frozen=True)
class Viewer:
    userid: str
    name: str
    role: str  # admin | officer | steward
    township_id: int | None = None  # set for a steward: the only township they see
    township_name: str = ""
    expires: float = 0.0

    @property
    def may_change(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self) -> str:
        label = ROLE_LABELS[self.role]
        return f"{self.township_name}{label}" if self.township_name else label


def _key(settings: Settings) -> bytes:
    secret = settings.data_key or settings.admin_token
    if not secret:
        raise NotAllowed("服务器未配置数据密钥或管理令牌，看板不可登录")
    return hashlib.sha256(b"jobmatrix-dashboard-session\0" + secret.encode()).digest()


def sign(viewer: Viewer, settings: Settings, *, now: float | None = None) -> str:
    body = dict(asdict(viewer), expires=(now or time.time()) + SESSION_SECONDS)
    raw = base64.urlsafe_b64encode(json.dumps(body, ensure_ascii=False).encode()).decode()
    mac = hmac.new(_key(settings), raw.encode(), hashlib.sha256).hexdigest()
    return f"{raw}.{mac}"


def verify(cookie: str | None, settings: Settings, *, now: float | None = None) -> Viewer | None:
    """The viewer of a cookie this server signed and that has not expired; None otherwise."""
    if not cookie or "." not in cookie:
        return None
    raw, _, mac = cookie.rpartition(".")
    try:
        expected = hmac.new(_key(settings), raw.encode(), hashlib.sha256).hexdigest()
    except NotAllowed:
        return None
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        viewer = Viewer(**json.loads(base64.urlsafe_b64decode(raw)))
    except (ValueError, TypeError):
        return None
    return viewer if viewer.expires > (now or time.time()) else None


def admin_viewer() -> Viewer:
    return Viewer(userid="", name="管理员", role="admin")


def staff_viewer(session: Session, userid: str) -> Viewer:
    """The viewer for a WeCom userid, from the staff table; NotAllowed for anyone else."""
    row = session.execute(
        select(Staff.userid, Staff.name, Staff.role, Staff.node_id, Node.name.label("node_name"))
        .join(Node, Staff.node_id == Node.id).where(Staff.userid == userid, Staff.active)
    ).first()
    if row is None or row.role not in STAFF_ROLES:
        raise NotAllowed("您的企业微信账号没有查看看板的权限，请联系区人社局")
    role = STAFF_ROLES[row.role]
    if role == "steward":
        return Viewer(userid=row.userid, name=row.name, role=role, township_id=row.node_id,
                      township_name=row.node_name)
    return Viewer(userid=row.userid, name=row.name, role=role)


def oauth_base(settings: Settings) -> str:
    """Where connect/oauth2/authorize lives: WeCom's open.weixin.qq.com, or the emulator serving
    the API (its origin) when the API base points elsewhere."""
    if settings.wecom_api_base.startswith("https://qyapi.weixin.qq.com/"):
        return REAL_OAUTH_BASE
    parts = urlsplit(settings.wecom_api_base)
    return f"{parts.scheme}://{parts.netloc}/"


def authorize_url(settings: Settings, *, redirect_uri: str, state: str) -> str:
    """The silent (snsapi_base) authorize link; WeCom sends the browser back with code and state."""
    query = urlencode({"appid": settings.wecom_corp_id, "redirect_uri": redirect_uri, "response_type": "code",
                       "scope": "snsapi_base", "state": state, "agentid": settings.wecom_agent_id})
    return f"{oauth_base(settings)}connect/oauth2/authorize?{query}#wechat_redirect"
