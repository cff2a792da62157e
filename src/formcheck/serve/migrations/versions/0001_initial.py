"""The first schema: physios, patients, prescriptions, sessions, reps, faults, jobs.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "physios",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_patients_token", "patients", ["token"], unique=True)
    op.create_table(
        "prescriptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer,
            sa.ForeignKey("patients.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("toml", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer,
            sa.ForeignKey("patients.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("exercise", sa.String(32), nullable=False),
        sa.Column("exercise_name", sa.String(80), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("rep_count", sa.Integer, nullable=False),
        sa.Column("partial_reps", sa.Integer, nullable=False),
        sa.Column("target_count", sa.Integer, nullable=True),
        sa.Column("judgeable", sa.Boolean, nullable=False),
        sa.Column("mean_quality", sa.Float, nullable=True),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("report_path", sa.String(400), nullable=False),
        sa.Column("report_sha256", sa.String(64), nullable=False),
        sa.Column("html_path", sa.String(400), nullable=True),
        sa.Column("html_sha256", sa.String(64), nullable=True),
        sa.Column("video_path", sa.String(400), nullable=True),
        sa.Column("video_sha256", sa.String(64), nullable=True),
        sa.Column("clip_sha256", sa.String(64), nullable=True),
    )
    op.create_index("ix_sessions_patient_id", "sessions", ["patient_id"])
    op.create_table(
        "reps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("index", sa.Integer, nullable=False),
        sa.Column("side", sa.String(8), nullable=True),
        sa.Column("start_s", sa.Float, nullable=False),
        sa.Column("peak_s", sa.Float, nullable=False),
        sa.Column("end_s", sa.Float, nullable=False),
        sa.Column("quality", sa.Float, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("faults", sa.String(400), nullable=False),
    )
    op.create_index("ix_reps_session_id", "reps", ["session_id"])
    op.create_table(
        "faults",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fault_id", sa.String(64), nullable=False),
        sa.Column("rep_index", sa.Integer, nullable=True),
        sa.Column("start_s", sa.Float, nullable=False),
        sa.Column("end_s", sa.Float, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_faults_session_id", "faults", ["session_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer,
            sa.ForeignKey("patients.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("clip_path", sa.String(400), nullable=False),
        sa.Column("clip_sha256", sa.String(64), nullable=False),
        sa.Column("exercise", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("claim", sa.String(64), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("started_at", TZ, nullable=True),
        sa.Column("finished_at", TZ, nullable=True),
    )
    op.create_index("ix_jobs_patient_id", "jobs", ["patient_id"])
    op.create_index("ix_jobs_status", "jobs", ["status"])


def downgrade() -> None:
    for table in ("jobs", "faults", "reps", "sessions", "prescriptions", "patients", "physios"):
        op.drop_table(table)
