"""gettoken (WeCom, §2.1) and token (Official Account, §4.2)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sandbox.emulator import api
from sandbox.emulator.errors import ApiError

router = APIRouter()


def _wecom_token(call: api.Call) -> dict:
    cfg = call.state.config
    corpid, secret = call.query.get("corpid"), call.query.get("corpsecret")
    if not corpid:
        raise ApiError(41002)
    if corpid != cfg.corp_id:
        raise ApiError(40013)
    if not secret:
        raise ApiError(41004)
    if secret != cfg.secret:
        raise ApiError(40001)
    token = call.state.wecom_tokens.issue_stable(now=call.now, ttl=cfg.token_ttl)
    return {"access_token": token.value, "expires_in": int(round(token.expires_at - call.now))}


def _mp_token(call: api.Call) -> dict:
    cfg = call.state.config
    if call.query.get("grant_type") != "client_credential":
        raise ApiError(40002)
    if call.query.get("appid") != cfg.mp_app_id:
        raise ApiError(40013)
    if call.query.get("secret") != cfg.mp_app_secret:
        raise ApiError(40125)
    token = call.state.mp_tokens.issue_rotating(now=call.now, ttl=cfg.token_ttl, overlap=cfg.mp_token_overlap)
    return {"access_token": token.value, "expires_in": cfg.token_ttl}


@router.get("/cgi-bin/gettoken")
async def gettoken(request: Request):
    return await api.run(request, "gettoken", _wecom_token, auth=None, has_body=False)


@router.get("/mp/cgi-bin/token")
async def mp_token(request: Request):
    return await api.run(
        request, "mp/token", _mp_token, auth=None, family=api.MP, has_body=False, bare_ok=True
    )
