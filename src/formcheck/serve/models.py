"""The database: physiotherapists, patients, prescriptions, sessions, reps, faults, jobs.

Reports and annotated videos stay files in the data folder; rows hold their paths
(relative to the data folder) and sha256 hashes. Times are UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Physio(Base):
    __tablename__ = "physios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The secret in the patient's link; only its holder sees this patient's pages.
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    prescriptions: Mapped[list[Prescription]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", order_by="Prescription.id"
    )
    sessions: Mapped[list[TrainingSession]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", order_by="TrainingSession.id"
    )

    @property
    def prescription(self) -> Prescription | None:
        """The current prescription (each edit is kept as a new row)."""
        return self.prescriptions[-1] if self.prescriptions else None


class Prescription(Base):
    """A patient config as ``formcheck analyze --config`` reads it (TOML text)."""

    __tablename__ = "prescriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    toml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="prescriptions")


class TrainingSession(Base):
    """One analysed exercise: a recorded clip (``origin="upload"``) or a live set."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    origin: Mapped[str] = mapped_column(String(16))
    exercise: Mapped[str] = mapped_column(String(32))
    exercise_name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    rep_count: Mapped[int] = mapped_column(Integer)
    partial_reps: Mapped[int] = mapped_column(Integer, default=0)
    target_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    judgeable: Mapped[bool] = mapped_column(Boolean, default=True)
    mean_quality: Mapped[float | None] = mapped_column(Float, nullable=True)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    report_path: Mapped[str] = mapped_column(String(400))
    report_sha256: Mapped[str] = mapped_column(String(64))
    html_path: Mapped[str | None] = mapped_column(String(400), nullable=True)
    html_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    video_path: Mapped[str | None] = mapped_column(String(400), nullable=True)
    video_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    clip_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)

    patient: Mapped[Patient] = relationship(back_populates="sessions")
    reps: Mapped[list[RepRow]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="RepRow.index"
    )
    faults: Mapped[list[FaultRow]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="FaultRow.start_s"
    )


class RepRow(Base):
    __tablename__ = "reps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    index: Mapped[int] = mapped_column(Integer)
    side: Mapped[str | None] = mapped_column(String(8), nullable=True)
    start_s: Mapped[float] = mapped_column(Float)
    peak_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    quality: Mapped[float] = mapped_column(Float)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    faults: Mapped[str] = mapped_column(String(400), default="")  # comma-separated fault ids

    session: Mapped[TrainingSession] = relationship(back_populates="reps")


class FaultRow(Base):
    __tablename__ = "faults"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    fault_id: Mapped[str] = mapped_column(String(64))
    rep_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[TrainingSession] = relationship(back_populates="faults")


class AnalysisJob(Base):
    """An uploaded clip waiting for, or done with, its analysis.

    ``claim`` is written when a server takes the job; a result is recorded only
    under the claim that ran it, so a job is never recorded twice.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    clip_path: Mapped[str] = mapped_column(String(400))
    clip_sha256: Mapped[str] = mapped_column(String(64))
    exercise: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    claim: Mapped[str | None] = mapped_column(String(64), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
