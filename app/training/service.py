"""Training classes: open (with trainees who consented), attendance, graduation (结业即推岗).

Graduation writes, in one transaction, the graduates' batch item with its district hop (so it
goes to the district employers' group through the ordinary outbox, whatever channel that group
has) and each graduate's matching jobs; the dispatcher sends them within seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.org.models import Node
from app.training.models import Attendance, Trainee, TrainingClass
from relay import outcome_messaging as say
from relay import questions, routing, service
from relay.errors import NotAllowed, NotFound, NotPending
from relay.matching import best_jobs_for_fields
from relay.models import Item
from relay.org_view import load_org
from templates_msg.names import polite_name

# A trainee graduates when present on at least this share of the class's recorded days.
MIN_ATTENDANCE = 0.8


@dataclass(frozen=True)
class TraineeIn:
    person_ref: str  # OA openid (or WeCom userid) where jobs are sent
    name: str
    village_code: str = ""
    skills: tuple[str, ...] = ()
    certificate: str = ""
    gender: str = ""
    consent: bool = False


@dataclass(frozen=True)
class Graduation:
    training_class: TrainingClass
    item: Item
    graduates: list[Trainee]
    jobs_sent: int


def open_class(
    *, session: Session, occupation: str, starts_on: date | None, ends_on: date | None, district_id: int,
    trainer_ref: str, trainees: list[TraineeIn], now: datetime,
) -> TrainingClass:
    """A new class; raises (and writes nothing) for bad dates or a trainee without consent."""
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise NotAllowed(say.BAD_DATES)
    training_class = TrainingClass(occupation=occupation[:50], starts_on=starts_on, ends_on=ends_on,
                                   district_id=district_id, trainer_ref=trainer_ref, status="open", created_at=now)
    session.add(training_class)
    session.flush()
    add_trainees(session=session, training_class=training_class, trainees=trainees)
    return training_class


def add_trainees(*, session: Session, training_class: TrainingClass, trainees: list[TraineeIn]) -> list[Trainee]:
    """Trainees of a class; all or none: one without consent or with an unknown village refuses the list."""
    refused = [t.name for t in trainees if not t.consent]
    if refused:
        raise NotAllowed(f"学员 {'、'.join(refused)} 没有同意把简历推荐给企业，名单没有导入。请取得本人同意后再导入。")
    rows = []
    for t in trainees:
        village = session.scalar(select(Node).where(Node.code == t.village_code)) if t.village_code else None
        if t.village_code and village is None:
            raise NotFound(f"学员 {t.name} 的村（社区）代码 {t.village_code} 不存在，名单没有导入。")
        rows.append(Trainee(class_id=training_class.id, person_ref=t.person_ref, name=t.name, gender=t.gender,
                            village_id=village.id if village else None, skills=list(t.skills),
                            certificate=t.certificate, consent=True, graduated=False))
    session.add_all(rows)
    session.flush()
    return rows


def get_class(*, session: Session, code: str) -> TrainingClass:
    """The class named T3 (or 3); raises NotFound."""
    digits = code.upper().removeprefix("T")
    found = session.get(TrainingClass, int(digits)) if digits.isdigit() else None
    if found is None:
        raise NotFound(say.NO_SUCH_CLASS)
    return found


def record_attendance(*, session: Session, training_class: TrainingClass, day: date, present: list[str]) -> tuple[int, list[str]]:
    """Mark trainees present on a day by name or person_ref; (recorded, names not in the class)."""
    by_key: dict[str, Trainee] = {}
    for trainee in training_class.trainees:
        by_key[trainee.person_ref] = trainee
        by_key[trainee.name or ""] = trainee
    unknown = [p for p in present if p not in by_key]
    marked = {by_key[p].id for p in present if p in by_key}
    for trainee_id in marked:
        exists = session.scalar(select(Attendance.id).where(Attendance.trainee_id == trainee_id, Attendance.day == day))
        if exists is None:
            session.add(Attendance(class_id=training_class.id, trainee_id=trainee_id, day=day, present=True))
    session.flush()
    return len(marked), unknown


def graduates_of(*, session: Session, training_class: TrainingClass) -> list[Trainee]:
    """Consenting trainees present on at least 80% of the recorded days (all of them if none were recorded)."""
    days = set(session.scalars(select(Attendance.day).where(Attendance.class_id == training_class.id)))
    if not days:
        return [t for t in training_class.trainees if t.consent]
    present: dict[int, int] = {}
    for trainee_id in session.scalars(select(Attendance.trainee_id).where(Attendance.class_id == training_class.id,
                                                                          Attendance.present)):
        present[trainee_id] = present.get(trainee_id, 0) + 1
    return [t for t in training_class.trainees if t.consent and present.get(t.id, 0) >= MIN_ATTENDANCE * len(days)]


def profile_line(session: Session, trainee: Trainee, occupation: str, number: int) -> str:
    """A graduate as employers see it: polite name, village, skills, certificate (no phone, no full name)."""
    name, gender = trainee.name, trainee.gender
    village = session.get(Node, trainee.village_id) if trainee.village_id else None
    parts = [polite_name(name, gender) if name else "学员", village.name if village else "",
             "/".join(trainee.skills) or occupation, trainee.certificate]
    return f"{number}. " + " · ".join(p for p in parts if p)


def graduate(*, session: Session, training_class: TrainingClass, actor: str, now: datetime) -> Graduation:
    """Mark the class graduated: the batch to the employers' group, matching jobs to each graduate."""
    if training_class.status == "graduated":
        raise NotPending(say.ALREADY_GRADUATED)
    graduates = graduates_of(session=session, training_class=training_class)
    if not graduates:
        raise NotPending(say.NO_GRADUATES)
    occupation = training_class.occupation
    profiles = [profile_line(session, t, occupation, n) for n, t in enumerate(graduates, 1)]
    item = Item(kind="graduates", status="done", origin_node_id=training_class.district_id, author_ref=actor,
                author_kind="staff", masked_text=say.graduates_batch(occupation, training_class.code, profiles),
                created_at=now, closed_at=now)
    session.add(item)
    session.flush()
    org = load_org(session=session)
    publish = routing.HopPlan(training_class.district_id, None, "district", False)
    service.open_hops(session=session, item=item, plans=[publish], text=item.masked_text, org=org, now=now)
    jobs_sent = 0
    for trainee in graduates:
        trainee.graduated = True
        fields = {"skills": list(trainee.skills), "intent_jobs": [occupation],
                  "certs": [trainee.certificate] if trainee.certificate else []}
        jobs = best_jobs_for_fields(session, fields=fields, text=" ".join([occupation, *trainee.skills]),
                                    node_id=trainee.village_id, limit=5, now=now)
        lines = [f"{job.code} {job.text.splitlines()[0][:60]}（{job.reason_line}）" for job in jobs]
        questions.put(session=session, person_ref=trainee.person_ref, kind="notice", subject_id=trainee.id,
                      text=say.graduate_jobs(occupation, lines), now=now)
        jobs_sent += 1
    training_class.status, training_class.graduated_at, training_class.graduates_item_id = "graduated", now, item.id
    return Graduation(training_class, item, graduates, jobs_sent)
