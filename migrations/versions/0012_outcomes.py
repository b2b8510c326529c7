"""outcomes: questions, contact requests with consent, hires, surveys, training classes

Revision ID: 0012_outcomes
Revises: 0011_matching (0008_join_ways before i12a was merged; the lead re-chains)
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from app.db import UtcDateTime
from app.privacy import EncryptedText

revision = "0012_outcomes"
down_revision = "0011_matching"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_ref", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("asked_at", UtcDateTime(), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("answer", sa.String(length=20), nullable=False),
        sa.UniqueConstraint("kind", "subject_id", "person_ref", name="uq_questions_kind_subject_id_person_ref"),
    )
    op.create_index("ix_questions_person_ref", "questions", ["person_ref"])
    op.create_index("ix_questions_status", "questions", ["status"])
    op.create_table(
        "contact_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seeker_item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("seeker_ref", sa.String(length=64), nullable=False),
        sa.Column("employer_ref", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=True),
        sa.Column("job_item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
    )
    for column in ("seeker_item_id", "seeker_ref", "employer_ref", "enterprise_id", "job_item_id", "status",
                   "created_at", "expires_at"):
        op.create_index(f"ix_contact_requests_{column}", "contact_requests", [column])
    op.create_table(
        "hires",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seeker_item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=True),
        sa.Column("seeker_ref", sa.String(length=64), nullable=False),
        sa.Column("job_item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=True),
        sa.Column("employer_ref", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id"), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reported_at", UtcDateTime(), nullable=False),
        sa.Column("confirmed_at", UtcDateTime(), nullable=True),
    )
    for column in ("seeker_item_id", "seeker_ref", "job_item_id", "employer_ref", "enterprise_id", "status",
                   "confirmed_at"):
        op.create_index(f"ix_hires_{column}", "hires", [column])
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("respondent_ref", sa.String(length=64), nullable=False),
        sa.Column("respondent_role", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("occasion", sa.String(length=120), nullable=False),
        sa.Column("hire_id", sa.Integer(), sa.ForeignKey("hires.id"), nullable=True),
        sa.Column("job_item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=True),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("queued_at", UtcDateTime(), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.UniqueConstraint("occasion", name="uq_surveys_occasion"),
    )
    for column in ("respondent_ref", "hire_id", "job_item_id", "due_at", "answered_at"):
        op.create_index(f"ix_surveys_{column}", "surveys", [column])
    op.create_table(
        "training_classes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("occupation", sa.String(length=50), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("district_id", sa.Integer(), sa.ForeignKey("nodes.id"), nullable=False),
        sa.Column("trainer_ref", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("graduated_at", UtcDateTime(), nullable=True),
        sa.Column("graduates_item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=True),
    )
    for column in ("district_id", "status", "graduated_at"):
        op.create_index(f"ix_training_classes_{column}", "training_classes", [column])
    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("class_id", sa.Integer(), sa.ForeignKey("training_classes.id"), nullable=False),
        sa.Column("person_ref", sa.String(length=64), nullable=False),
        sa.Column("name", EncryptedText(), nullable=True),
        sa.Column("gender", sa.String(length=4), nullable=False),
        sa.Column("village_id", sa.Integer(), sa.ForeignKey("nodes.id"), nullable=True),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("certificate", sa.String(length=100), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("graduated", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("class_id", "person_ref", name="uq_trainees_class_id_person_ref"),
    )
    op.create_index("ix_trainees_class_id", "trainees", ["class_id"])
    op.create_index("ix_trainees_person_ref", "trainees", ["person_ref"])
    op.create_table(
        "training_attendance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("class_id", sa.Integer(), sa.ForeignKey("training_classes.id"), nullable=False),
        sa.Column("trainee_id", sa.Integer(), sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("trainee_id", "day", name="uq_training_attendance_trainee_id_day"),
    )
    op.create_index("ix_training_attendance_class_id", "training_attendance", ["class_id"])
    op.create_index("ix_training_attendance_trainee_id", "training_attendance", ["trainee_id"])


def downgrade() -> None:
    for table in ("training_attendance", "trainees", "training_classes", "surveys", "hires", "contact_requests",
                  "questions"):
        op.drop_table(table)
