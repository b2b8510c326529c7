"""Routes of the bureau's board (/board): login (WeCom OAuth or the admin token), the page, its
JSON, exports of every table and the printable monthly report.

Every JSON and export route takes the viewer from the signed session cookie and passes it down,
so a township steward's township filter is applied where the rows are read, not in the browser.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.dashboard import auth
from app.dashboard.auth import NotAllowed, Viewer
from app.dashboard.drilldown import DrillError, drill, idle_villages
from app.dashboard.exports import XLSX_TYPE, table_csv, table_xlsx
from app.dashboard.monthly import monthly_report
from app.dashboard.period import PeriodError, parse_period
from app.dashboard.scoreboard import item_path, scoreboard
from app.dashboard.service import Policies
from app.dashboard.settled import SettledFigures
from app.dashboard.table import Table
from app.dashboard.trends import TrendError, get_trends, trend_table
from app.outbound.clients import wecom_client
from relay.org_view import load_org
from relay.rules import DeadlinePolicy

router = APIRouter()
STATIC = Path(__file__).parent / "static"
ASSETS = {"board.js": ("board.js", "text/javascript"), "chart.umd.min.js": ("vendor/chart.umd.min.js", "text/javascript"),
          "board.css": ("board.css", "text/css")}


def _now(request: Request) -> datetime:
    edge = getattr(request.app.state, "edge", None)
    return edge.clock() if edge is not None else datetime.now(UTC)


def settled_figures(request: Request) -> SettledFigures:
    """This app's memory of closed periods' figures (one per app, so tests' apps never share it)."""
    state = request.app.state
    if not hasattr(state, "settled_figures"):
        state.settled_figures = SettledFigures()
    return state.settled_figures


def current_viewer(request: Request) -> Viewer:
    """The signed session's viewer, still on the staff list in the same post (one small query:
    a steward who left or moved loses the board at once, not when the cookie expires)."""
    viewer = auth.verify(request.cookies.get(auth.COOKIE), request.app.state.settings)
    if viewer is None:
        raise HTTPException(401, "请先登录")
    if viewer.role != "admin":
        with request.app.state.session_factory() as session:
            try:
                now = auth.staff_viewer(session, viewer.userid)
            except NotAllowed:
                now = None
        if now is None or (now.role, now.township_id) != (viewer.role, viewer.township_id):
            raise HTTPException(401, "您的岗位已变更，请重新登录")
    return viewer


def _login_page(message: str = "", status: int = 200) -> HTMLResponse:
    page = (STATIC / "board-login.html").read_text(encoding="utf-8")
    return HTMLResponse(page.replace("{{message}}", message), status_code=status)


def _signed_in(request: Request, viewer: Viewer) -> Response:
    response = RedirectResponse("/board", status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(auth.COOKIE, auth.sign(viewer, request.app.state.settings), max_age=auth.SESSION_SECONDS,
                        httponly=True, samesite="lax", secure=secure, path="/")
    response.delete_cookie(auth.STATE_COOKIE, path="/board")
    return response


@router.get("/board/login", response_class=HTMLResponse)
def login_page() -> HTMLResponse:
    return _login_page()


@router.get("/board/login/wecom")
def login_wecom(request: Request) -> Response:
    """To WeCom's authorize page; the state ties the answer to this browser (a forged callback fails)."""
    settings = request.app.state.settings
    if not settings.wecom_corp_id:
        return _login_page("服务器未配置企业微信（WECOM_CORP_ID），请用管理令牌登录", 503)
    state = secrets.token_urlsafe(16)
    redirect_uri = str(request.url_for("login_callback"))
    response = RedirectResponse(auth.authorize_url(settings, redirect_uri=redirect_uri, state=state), status_code=302)
    response.set_cookie(auth.STATE_COOKIE, state, max_age=600, httponly=True, samesite="lax", path="/board")
    return response


@router.get("/board/login/callback", name="login_callback")
def login_callback(request: Request, code: str = "", state: str = "") -> Response:
    expected = request.cookies.get(auth.STATE_COOKIE, "")
    if not code or not expected or not hmac.compare_digest(state, expected):
        return _login_page("登录已过期或来源不明，请重新登录", 400)
    settings = request.app.state.settings
    try:
        with wecom_client(settings, request.app.state.session_factory) as client:
            answer = client.session.get("auth/getuserinfo", params={"code": code})
    except Exception:  # noqa: BLE001 - any refusal (40029 used/expired code, network) ends the same way
        return _login_page("企业微信未确认您的身份（授权码无效或已用过），请重新登录", 400)
    userid = answer.get("userid") or answer.get("UserId")
    if not userid:
        return _login_page("只有本单位企业微信成员可以登录看板", 403)
    try:
        with request.app.state.session_factory() as session:
            viewer = auth.staff_viewer(session, userid)
    except NotAllowed as exc:
        return _login_page(str(exc), 403)
    return _signed_in(request, viewer)


@router.post("/board/login/token")
def login_token(request: Request, token: str = Form("")) -> Response:
    expected = request.app.state.settings.admin_token
    if not expected:
        return _login_page("JOBMATRIX_ADMIN_TOKEN 未配置，无法用管理令牌登录", 503)
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        return _login_page("管理令牌无效", 401)
    return _signed_in(request, auth.admin_viewer())


@router.post("/board/logout")
def logout() -> Response:
    response = RedirectResponse("/board/login", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/")
    return response


@router.get("/board", response_model=None)
def board_page(request: Request) -> Response:
    if auth.verify(request.cookies.get(auth.COOKIE), request.app.state.settings) is None:
        return RedirectResponse("/board/login", status_code=303)
    return HTMLResponse((STATIC / "board.html").read_text(encoding="utf-8"))


@router.get("/board/static/{name}")
def asset(name: str) -> Response:
    if name not in ASSETS:
        raise HTTPException(404, "没有这个文件")
    path, media = ASSETS[name]
    return Response((STATIC / path).read_bytes(), media_type=f"{media}; charset=utf-8",
                    headers={"Cache-Control": "max-age=3600"})


# -- JSON and exports --------------------------------------------------------------------------

class Context:
    """What every table needs: the period asked for, the clock, the org and its policies."""

    def __init__(self, request: Request, session: Session, first: str | None, last: str | None) -> None:
        settings = request.app.state.settings
        self.timezone, self.now = settings.timezone, _now(request)
        try:
            self.period = parse_period(first=first, last=last, now=self.now, timezone=self.timezone)
        except PeriodError as exc:
            raise HTTPException(400, str(exc)) from exc
        self.policies = Policies(load_org(session=session), DeadlinePolicy(timezone=self.timezone))


def _with_context(request: Request, first: str | None, last: str | None, work: Callable[[Session, Context], object]):
    with request.app.state.session_factory() as session:
        try:
            return work(session, Context(request, session, first, last))
        except (DrillError, TrendError) as exc:
            raise HTTPException(404 if isinstance(exc, DrillError) else 400, str(exc)) from exc


@router.get("/board/api/me")
def me(viewer: Viewer = Depends(current_viewer)) -> JSONResponse:
    return JSONResponse({"name": viewer.name, "role": viewer.role, "role_label": viewer.role_label,
                         "township_id": viewer.township_id, "may_change": viewer.may_change})


@router.get("/board/api/trends")
def trends(request: Request, grain: str = "week", count: int = 12,
           viewer: Viewer = Depends(current_viewer)) -> JSONResponse:
    return JSONResponse(_with_context(request, None, None, lambda session, ctx: get_trends(
        session=session, grain=grain, count=count, now=ctx.now, timezone=ctx.timezone,
        township_id=viewer.township_id, settled=settled_figures(request))))


def _node_id(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise DrillError("没有这个地区，或您无权查看")
    return int(value)


def _table(request: Request, viewer: Viewer, name: str, params: dict) -> tuple[Table, str]:
    """The table `name` as the page shows it, and the line saying what period it covers."""
    def work(session: Session, ctx: Context) -> tuple[Table, str]:
        heading = f"统计期间 {ctx.period.first} 至 {ctx.period.last}"
        if name == "drill":
            data = drill(session=session, org=ctx.policies.org, node_id=_node_id(params.get("node")), period=ctx.period,
                         now=ctx.now, policies=ctx.policies, viewer=viewer)["table"]
            return Table(data["name"], data["title"], [tuple(c) for c in data["columns"]], data["rows"]), heading
        if name == "idle":
            table = idle_villages(session=session, org=ctx.policies.org, now=ctx.now, timezone=ctx.timezone,
                                  viewer=viewer)
            return table, table.title
        if name == "scoreboard":
            return scoreboard(session=session, period=ctx.period, policies=ctx.policies, viewer=viewer), heading
        if name == "item":
            data = item_path(session=session, code=params.get("code") or "", now=ctx.now, policies=ctx.policies,
                             viewer=viewer, timezone=ctx.timezone)["table"]
            return Table(data["name"], data["title"], [tuple(c) for c in data["columns"]], data["rows"]), ""
        if name == "trends":
            data = get_trends(session=session, grain=params.get("grain") or "week", count=12, now=ctx.now,
                              timezone=ctx.timezone, township_id=viewer.township_id,
                              settled=settled_figures(request))
            return trend_table(data), f"{data['from']} 至 {data['to']}"
        raise DrillError("没有这个表")
    return _with_context(request, params.get("from"), params.get("to"), work)


@router.get("/board/api/drill")
def drill_api(request: Request, node: int | None = None, first: str | None = Query(None, alias="from"),
              last: str | None = Query(None, alias="to"), viewer: Viewer = Depends(current_viewer)) -> JSONResponse:
    return JSONResponse(_with_context(request, first, last, lambda session, ctx: dict(
        drill(session=session, org=ctx.policies.org, node_id=node, period=ctx.period, now=ctx.now,
              policies=ctx.policies, viewer=viewer),
        period={"from": ctx.period.first.isoformat(), "to": ctx.period.last.isoformat()})))


@router.get("/board/api/table/{name}")
def table_api(request: Request, name: str, viewer: Viewer = Depends(current_viewer)) -> JSONResponse:
    table, heading = _table(request, viewer, name, dict(request.query_params))
    return JSONResponse(dict(table.as_json(), heading=heading))


@router.get("/board/api/item/{code}")
def item_api(request: Request, code: str, viewer: Viewer = Depends(current_viewer)) -> JSONResponse:
    return JSONResponse(_with_context(request, None, None, lambda session, ctx: item_path(
        session=session, code=code, now=ctx.now, policies=ctx.policies, viewer=viewer, timezone=ctx.timezone)))


@router.get("/board/export/{name}.{fmt}")
def export(request: Request, name: str, fmt: str, viewer: Viewer = Depends(current_viewer)) -> Response:
    table, heading = _table(request, viewer, name, dict(request.query_params))
    filename = quote(f"{table.title}.{fmt}")
    disposition = {"Content-Disposition": f"attachment; filename=\"{table.name}.{fmt}\"; filename*=UTF-8''{filename}"}
    if fmt == "csv":
        return Response(table_csv(table, heading=heading), media_type="text/csv; charset=utf-8", headers=disposition)
    if fmt == "xlsx":
        return Response(table_xlsx(table, heading=heading), media_type=XLSX_TYPE, headers=disposition)
    raise HTTPException(404, "导出格式只能是 csv 或 xlsx")


@router.get("/board/report", response_class=HTMLResponse)
def report(request: Request, month: str | None = None, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    with request.app.state.session_factory() as session:
        try:
            return HTMLResponse(monthly_report(session=session, month=month, now=_now(request),
                                               timezone=request.app.state.settings.timezone, viewer=viewer,
                                               settled=settled_figures(request)))
        except PeriodError as exc:
            raise HTTPException(400, str(exc)) from exc
