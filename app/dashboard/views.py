"""Routes of the dashboard: the page (no secret in it), and the figures behind the admin token."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.dashboard.export import to_csv
from app.dashboard.period import PeriodError, parse_period
from app.dashboard.report import get_metrics
from relay.rules import DeadlinePolicy

router = APIRouter()
STATIC = Path(__file__).parent / "static"


def require_admin(request: Request) -> None:
    """Bearer JOBMATRIX_ADMIN_TOKEN; 503 when no token is configured, so an empty one never opens the door."""
    expected = request.app.state.settings.admin_token
    if not expected:
        raise HTTPException(503, "JOBMATRIX_ADMIN_TOKEN 未配置，看板不可用")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(401, "管理令牌无效", headers={"WWW-Authenticate": "Bearer"})


def _now(request: Request) -> datetime:
    """The app's injected clock (the one its webhook uses), so tests can fix "now"."""
    edge = getattr(request.app.state, "edge", None)
    return edge.clock() if edge is not None else datetime.now(UTC)


def _metrics(request: Request, first: str | None, last: str | None) -> dict:
    settings, now = request.app.state.settings, _now(request)
    try:
        period = parse_period(first=first, last=last, now=now, timezone=settings.timezone)
    except PeriodError as exc:
        raise HTTPException(400, str(exc)) from exc
    with request.app.state.session_factory() as session:
        return get_metrics(session=session, period=period, now=now, base=DeadlinePolicy(timezone=settings.timezone))


@router.get("/api/metrics", dependencies=[Depends(require_admin)])
def metrics(request: Request, first: str | None = Query(None, alias="from"),
            last: str | None = Query(None, alias="to")) -> JSONResponse:
    return JSONResponse(_metrics(request, first, last))


@router.get("/api/metrics.csv", dependencies=[Depends(require_admin)])
def metrics_csv(request: Request, first: str | None = Query(None, alias="from"),
                last: str | None = Query(None, alias="to")) -> Response:
    data = _metrics(request, first, last)
    name = f"jobmatrix-metrics-{data['period']['from']}-{data['period']['to']}.csv"
    return Response(to_csv(data), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/dashboard", response_class=HTMLResponse)
def page() -> str:
    return (STATIC / "dashboard.html").read_text(encoding="utf-8")


@router.get("/dashboard/dashboard.js")
def script() -> Response:
    return Response((STATIC / "dashboard.js").read_text(encoding="utf-8"), media_type="text/javascript; charset=utf-8")
