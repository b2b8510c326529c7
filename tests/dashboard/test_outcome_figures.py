"""The outcome figures on a hand-built history with known answers (March 2026, Shanghai time)."""

from __future__ import annotations

from datetime import date

import pytest

from app.dashboard.period import make_period
from app.training.models import Trainee, TrainingClass
from relay.outcome_models import ContactRequest, Hire, Survey
from tests.dashboard.support import at, item, make_org
from tests.dashboard.test_service import figures, head

MARCH = make_period(first=date(2026, 3, 1), last=date(2026, 3, 31), timezone="Asia/Shanghai")
JULY = at("07-01 10:00")


@pytest.fixture
def org(db):
    return make_org(db)


def hire(db, job, ref: str, confirmed, status: str = "confirmed") -> Hire:
    row = Hire(seeker_ref=ref, employer_ref="o_emp", job_item_id=job.id if job else None, status=status,
               reported_at=confirmed or at("03-01 00:00"), confirmed_at=confirmed)
    db.add(row)
    return row


def contact(db, seeker, decided, status: str = "granted") -> None:
    db.add(ContactRequest(seeker_item_id=seeker.id, seeker_ref="o_s", employer_ref="o_emp", status=status,
                          created_at=decided, expires_at=decided, decided_at=decided))


def test_hire_cycle_and_placements(db, org):
    job_a = item(db, org, created=at("03-01 10:00"))
    job_b = item(db, org, created=at("03-02 10:00"))
    job_c = item(db, org, created=at("03-03 10:00"))
    job_d = item(db, org, created=at("03-03 10:00"))
    hire(db, job_a, "s1", at("03-05 10:00"))  # 4 days
    hire(db, job_a, "s2", at("03-08 10:00"))  # a second hire: a placement, not a new cycle
    hire(db, job_b, "s3", at("03-12 10:00"))  # 10 days
    hire(db, job_c, "s4", at("03-10 10:00"))  # 7 days
    hire(db, job_d, "s5", at("04-02 10:00"))  # April
    hire(db, job_d, "s6", None, status="reported")  # never confirmed
    hire(db, job_d, "s7", at("03-20 10:00"), status="denied")
    metrics = figures(db, now=JULY, period=MARCH)
    cycle = head(metrics, "hire_cycle_days")
    assert cycle["value"] == pytest.approx(7.0) and cycle["denominator"] == 3
    assert head(metrics, "placements")["value"] == 4
    assert "暂无数据" not in (cycle["note"], head(metrics, "placements")["note"])


def test_time_to_first_contact(db, org):
    s1 = item(db, org, kind="seeker", created=at("03-01 08:00"))
    s2 = item(db, org, kind="seeker", created=at("03-03 09:00"))
    s3 = item(db, org, kind="seeker", created=at("03-04 00:00"))
    s4 = item(db, org, kind="seeker", created=at("03-05 10:00"))
    contact(db, s1, at("03-01 10:00"))  # 2 h
    contact(db, s1, at("03-02 10:00"))  # a later employer: not the first contact
    contact(db, s2, at("03-03 15:00"))  # 6 h
    contact(db, s3, at("03-04 05:00"), status="declined")
    contact(db, s4, at("03-05 15:00"))  # 5 h
    first = head(figures(db, now=JULY, period=MARCH), "first_contact_hours")
    assert (first["value"], first["denominator"]) == (5.0, 3)


def test_satisfaction(db, org):
    for score, answered in ((5, "03-02 10:00"), (5, "03-03 10:00"), (4, "03-04 10:00"), (3, "03-05 10:00"),
                            (1, "03-06 10:00"), (5, "04-01 10:00"), (None, None)):
        db.add(Survey(respondent_ref="r", respondent_role="seeker", reason="hire", occasion=f"x{answered}{score}",
                      due_at=at("03-01 10:00"), score=score, answered_at=at(answered) if answered else None))
    satisfaction = head(figures(db, now=JULY, period=MARCH), "satisfaction")
    assert (satisfaction["numerator"], satisfaction["denominator"]) == (3, 5)
    assert satisfaction["value"] == pytest.approx(0.6)


def test_training_conversion_counts_hires_within_90_days(db, org):
    march = TrainingClass(occupation="叉车工", starts_on=date(2026, 2, 1), ends_on=date(2026, 2, 28),
                          district_id=org.district.id, status="graduated", graduated_at=at("03-01 10:00"))
    april = TrainingClass(occupation="焊工", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 30),
                          district_id=org.district.id, status="graduated", graduated_at=at("04-01 10:00"))
    db.add_all([march, april])
    db.flush()
    for ref, graduated, klass in (("g1", True, march), ("g2", True, march), ("g3", True, march), ("g4", True, march),
                                  ("dropped", False, march), ("g5", True, april)):
        db.add(Trainee(class_id=klass.id, person_ref=ref, name="测试", skills=[], certificate="", consent=True,
                       graduated=graduated))
    hire(db, None, "g1", at("03-20 10:00"))  # within 90 days
    hire(db, None, "g2", at("06-15 10:00"))  # 106 days after graduation
    hire(db, None, "g3", at("02-20 10:00"))  # before graduation
    hire(db, None, "dropped", at("03-10 10:00"))  # not a graduate
    hire(db, None, "g5", at("04-10 10:00"))  # a class graduated in April
    conversion = head(figures(db, now=JULY, period=MARCH), "training_conversion")
    assert (conversion["numerator"], conversion["denominator"]) == (1, 4)
    assert conversion["value"] == pytest.approx(0.25) and conversion["definition"].startswith("期内结业")
