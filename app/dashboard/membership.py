"""/api/membership: village coverage by customer-group membership (who joined through each village's QR).

Kept apart from the delivery figures of report.py: membership is what WeCom reports about the
groups, not what the relay sent.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from app.dashboard.views import require_admin
from app.joins.coverage import membership_report

router = APIRouter()


@router.get("/api/membership", dependencies=[Depends(require_admin)])
def membership(request: Request, township: str | None = Query(None)) -> JSONResponse:
    with request.app.state.session_factory() as session:
        return JSONResponse(membership_report(session=session, township_code=township))
