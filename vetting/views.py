"""Admin API of vetting (bearer JOBMATRIX_ADMIN_TOKEN): enterprises, decisions, audit log.

Routes parse the request, call one service function, and return; domain errors become
their HTTP status with the Chinese reason as detail.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from vetting import audit, contacts, notify, service
from vetting.errors import VettingError
from vetting.models import Enterprise
from vetting.review import Application

router = APIRouter(prefix="/api")


def require_admin(request: Request) -> None:
    """401 without the right bearer token; 503 when no admin token is configured at all."""
    expected = request.app.state.settings.admin_token
    if not expected:
        raise HTTPException(503, "JOBMATRIX_ADMIN_TOKEN is not configured")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip(), expected):
        raise HTTPException(401, "bearer token required", headers={"WWW-Authenticate": "Bearer"})


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


def _now(request: Request) -> datetime:
    return datetime.now(UTC)


class EnterpriseIn(BaseModel):
    name: str = Field(max_length=200)
    credit_code: str = Field(max_length=40)
    legal_rep: str = Field(max_length=100)
    address: str = Field(max_length=300)
    industry: str = Field(max_length=100)
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=30)
    licence_media_id: str = Field("", max_length=256)
    hr_licence_no: str = Field("", max_length=100)
    # Who will post for it: an OA openid; without one, the known employer contact with contact_phone.
    contact_openid: str = Field("", max_length=64)


class DecisionIn(BaseModel):
    action: str = Field(pattern="^(approve|reject|suspend|reinstate)$")
    reason: str = Field("", max_length=500)


def _out(enterprise: Enterprise) -> dict:
    return {
        "id": enterprise.id, "code": enterprise.code, "name": enterprise.name, "credit_code": enterprise.credit_code,
        "org_type": enterprise.org_type, "region": enterprise.region, "legal_rep": enterprise.legal_rep,
        "address": enterprise.address, "industry": enterprise.industry, "hr_licence_no": enterprise.hr_licence_no,
        "licence_media_id": enterprise.licence_media_id, "status": enterprise.status,
        "status_reason": enterprise.status_reason, "certified_at": enterprise.certified_at.isoformat()
        if enterprise.certified_at else None,
    }


def _fail(error: VettingError) -> HTTPException:
    return HTTPException(error.status_code, {"reason": error.reply, "problems": error.problems})


@router.post("/enterprises", status_code=201, dependencies=[Depends(require_admin)])
def create_enterprise(body: EnterpriseIn, request: Request, session: Session = Depends(get_session)) -> dict:
    fields = body.model_dump(exclude={"contact_openid"})
    try:
        link = contacts.find_contact(session=session, openid=body.contact_openid.strip(), name=body.contact_name,
                                     phone=body.contact_phone, district_id=notify.first_district(session=session))
        enterprise = service.apply(session=session, application=Application(**fields), actor=service.ADMIN,
                                   via="api", now=_now(request), contact=link.contact)
    except VettingError as error:
        raise _fail(error) from None
    session.commit()
    return {**_out(enterprise), "contact": link.as_dict()}


@router.get("/enterprises", dependencies=[Depends(require_admin)])
def list_enterprises(status: str | None = None, session: Session = Depends(get_session)) -> list[dict]:
    return [_out(e) for e in service.list_enterprises(session=session, status=status)]


@router.get("/enterprises/{enterprise_id}", dependencies=[Depends(require_admin)])
def get_enterprise(enterprise_id: int, session: Session = Depends(get_session)) -> dict:
    enterprise = service.get_enterprise(session=session, enterprise_id=enterprise_id)
    if enterprise is None:
        raise HTTPException(404, "no such enterprise")
    return _out(enterprise)


@router.post("/enterprises/{enterprise_id}/decisions", dependencies=[Depends(require_admin)])
def decide(enterprise_id: int, body: DecisionIn, request: Request, session: Session = Depends(get_session)) -> dict:
    """approve / reject (reviews 1 and 2), suspend / reinstate (lifecycle); reason required to refuse."""
    try:
        enterprise = service.decide(session=session, enterprise_id=enterprise_id, action=body.action,
                                    actor=service.ADMIN, now=_now(request), reason=body.reason)
    except VettingError as error:
        raise _fail(error) from None
    session.commit()
    return _out(enterprise)


@router.get("/audit", dependencies=[Depends(require_admin)])
def list_audit(enterprise_id: int | None = None, item_id: int | None = None, action: str | None = None,
               after_id: int = 0, limit: int = 200, session: Session = Depends(get_session)) -> list[dict]:
    events = audit.list_events(session=session, enterprise_id=enterprise_id, item_id=item_id, action=action,
                               after_id=after_id, limit=min(limit, 1000))
    return [audit.as_dict(e) for e in events]


@router.get("/audit.csv", dependencies=[Depends(require_admin)])
def export_audit(request: Request) -> StreamingResponse:
    def chunks() -> Iterator[str]:
        with request.app.state.session_factory() as session:
            yield from audit.export_csv(session=session)

    return StreamingResponse(chunks(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="vetting-audit.csv"'})
