"""WeCom web OAuth: connect/oauth2/authorize (the page) and auth/getuserinfo (code → userid).

Real WeCom (doc 91022 / 91023): the app sends the browser to open.weixin.qq.com/connect/oauth2/
authorize?appid=CORPID&redirect_uri=...&response_type=code&scope=snsapi_base&state=...&agentid=...
#wechat_redirect; WeCom sends it back to redirect_uri?code=CODE&state=STATE for the member logged
into the WeCom client. The app then calls auth/getuserinfo?access_token=...&code=CODE and gets
{"errcode":0,"errmsg":"ok","userid":"...","user_ticket":...}; a code is good for one call within
5 minutes, anything else is 40029 (invalid code); no code at all is 41008.

The emulator has no WeCom client, so its authorize page asks which member is "logged in" (a
registered userid) before redirecting; a wrong appid, response_type or scope is refused the way
the real page refuses it (an error page, no redirect).
"""

from __future__ import annotations

import html
import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sandbox.emulator import api
from sandbox.emulator.errors import ApiError
from sandbox.emulator.state import EmulatorState

router = APIRouter()
CODE_SECONDS = 300
SCOPES = ("snsapi_base", "snsapi_privateinfo")


def _refusal(state: EmulatorState, params) -> str | None:
    """Why the authorize page would refuse these parameters (its error text), or None."""
    if params.get("appid") != state.config.corp_id:
        return "参数错误：appid 不是本企业的 CorpID"
    if params.get("response_type") != "code":
        return "参数错误：response_type 必须为 code"
    if params.get("scope") not in SCOPES:
        return "参数错误：scope 无效"
    if not params.get("redirect_uri", "").startswith(("http://", "https://")):
        return "参数错误：redirect_uri 无效"
    if params.get("scope") == "snsapi_privateinfo" and str(params.get("agentid", "")) != str(state.config.agent_id):
        return "参数错误：agentid 无效"
    return None


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
                        f'<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
                        f'<title>{title}</title>'
                        f'</head><body style="font-family:sans-serif;max-width:420px;margin:40px auto">'
                        f'<h1 style="font-size:18px">{title}</h1>{body}</body></html>', status_code=status)


@router.get("/connect/oauth2/authorize")
def authorize_page(request: Request) -> HTMLResponse:
    state: EmulatorState = request.app.state.emulator
    refusal = _refusal(state, request.query_params)
    if refusal:
        return _page("企业微信授权失败", f'<p id="error">{html.escape(refusal)}</p>')
    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in request.query_params.items())
    return _page("企业微信（模拟器）", f"""
<p>模拟器没有企业微信客户端：请填写当前“登录企业微信”的成员账号。</p>
<form method="post" action="/connect/oauth2/authorize">{hidden}
<label>成员账号（userid） <input name="member" id="member" required></label>
<button type="submit" id="authorize">确认登录</button></form>""")


@router.post("/connect/oauth2/authorize", response_model=None)
def authorize(request: Request, member: str = Form(...), appid: str = Form(""), redirect_uri: str = Form(""),
              response_type: str = Form(""), scope: str = Form(""), state: str = Form(""),
              agentid: str = Form("")) -> HTMLResponse | RedirectResponse:
    emulator: EmulatorState = request.app.state.emulator
    params = {"appid": appid, "redirect_uri": redirect_uri, "response_type": response_type, "scope": scope,
              "agentid": agentid}
    refusal = _refusal(emulator, params)
    if refusal:
        return _page("企业微信授权失败", f'<p id="error">{html.escape(refusal)}</p>')
    with emulator.lock:
        userid = emulator.directory.user(member.strip())
        if userid is None:
            return _page("企业微信授权失败", '<p id="error">该账号不是本企业成员</p>')
        code = secrets.token_urlsafe(24)
        emulator.oauth_codes[code] = {"userid": userid, "used": False, "expires_at": emulator.now() + CODE_SECONDS}
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(redirect_uri + separator + urlencode({"code": code, "state": state}), status_code=302)


def _getuserinfo(call: api.Call) -> dict:
    code = call.query.get("code")
    if not code:
        raise ApiError(41008)
    record = call.state.oauth_codes.get(code)
    if record is None or record["used"] or call.now >= record["expires_at"]:
        raise ApiError(40029)
    record["used"] = True
    return {"userid": record["userid"]}


@router.get("/cgi-bin/auth/getuserinfo")
async def getuserinfo(request: Request):
    return await api.run(request, "auth/getuserinfo", _getuserinfo, auth=api.WECOM, has_body=False)
