"""Admin API of training classes (bearer JOBMATRIX_ADMIN_TOKEN): open a class with its trainees,
record attendance, mark it graduated (结业即推岗). Refusals are 4xx with the Chinese reason."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Node
from app.training import service
from app.training.models import TrainingClass
from relay.errors import NotFound, RelayError
from vetting.views import get_session, require_admin

router = APIRouter(prefix="/api/training", dependencies=[Depends(require_admin)])


class TraineeBody(BaseModel):
    person_ref: str = Field(min_length=1, max_length=64, description="OA openid or WeCom userid")
    name: str = Field(min_length=1, max_length=50)
    gender: str = Field("", pattern="^(男|女)?$")
    village_code: str = Field("", max_length=64)
    skills: list[str] = Field(default_factory=list, max_length=10)
    certificate: str = Field("", max_length=100)
    consent: bool = False


class ClassBody(BaseModel):
    occupation: str = Field(min_length=1, max_length=50)
    starts_on: date
    ends_on: date
    district_code: str = Field(min_length=1, max_length=64)
    trainer: str = Field("admin", max_length=64)
    trainees: list[TraineeBody] = Field(default_factory=list, max_length=500)


class AttendanceBody(BaseModel):
    day: date
    present: list[str] = Field(min_length=1, description="person_refs or names of those present")


def _refusal(error: RelayError) -> HTTPException:
    return HTTPException(404 if isinstance(error, NotFound) else 409, error.reply)


def _as_dict(training_class: TrainingClass) -> dict:
    return {"id": training_class.id, "code": training_class.code, "occupation": training_class.occupation,
            "starts_on": training_class.starts_on.isoformat(), "ends_on": training_class.ends_on.isoformat(),
            "status": training_class.status, "trainees": len(training_class.trainees),
            "graduated_at": training_class.graduated_at.isoformat() if training_class.graduated_at else None,
            "graduates_item_id": training_class.graduates_item_id}


def _trainees(body: list[TraineeBody]) -> list[service.TraineeIn]:
    return [service.TraineeIn(person_ref=t.person_ref, name=t.name, gender=t.gender, village_code=t.village_code,
                              skills=tuple(t.skills), certificate=t.certificate, consent=t.consent) for t in body]


@router.post("/classes", status_code=201)
def open_class(body: ClassBody, request: Request, session: Session = Depends(get_session)) -> dict:
    district = session.scalar(select(Node).where(Node.code == body.district_code, Node.kind == "district"))
    if district is None:
        raise HTTPException(404, f"区 {body.district_code} 不存在")
    try:
        opened = service.open_class(session=session, occupation=body.occupation, starts_on=body.starts_on,
                                    ends_on=body.ends_on, district_id=district.id, trainer_ref=body.trainer,
                                    trainees=_trainees(body.trainees), now=request.app.state.edge.clock())
    except RelayError as error:
        session.rollback()
        raise _refusal(error) from error
    session.commit()
    return _as_dict(opened)


@router.post("/classes/{code}/attendance")
def attendance(code: str, body: AttendanceBody, session: Session = Depends(get_session)) -> dict:
    try:
        training_class = service.get_class(session=session, code=code)
        present, unknown = service.record_attendance(session=session, training_class=training_class, day=body.day,
                                                     present=body.present)
    except RelayError as error:
        raise _refusal(error) from error
    session.commit()
    return {"code": training_class.code, "day": body.day.isoformat(), "present": present, "unknown": unknown}


@router.post("/classes/{code}/graduate")
def graduate(code: str, request: Request, session: Session = Depends(get_session)) -> dict:
    try:
        training_class = service.get_class(session=session, code=code)
        done = service.graduate(session=session, training_class=training_class, actor="admin",
                                now=request.app.state.edge.clock())
    except RelayError as error:
        session.rollback()
        raise _refusal(error) from error
    session.commit()
    return {**_as_dict(training_class), "graduates": len(done.graduates), "item": done.item.code,
            "jobs_sent": done.jobs_sent}
