"""The database schema: pseudonymous consultations and an append-only stock ledger.

Nothing here names a person. Every row carries a UUIDv7 id, the id of the device that wrote it
and when, so that records from many devices can be merged later; rows are only ever added
(a correction is a new movement, never an update), so no two devices can change the same row.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = String(36)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Facts about this database: its device id, its schema's purpose."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Consultation(Base):
    __tablename__ = "consultations"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    device_id: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    consulted_on: Mapped[date] = mapped_column(Date, index=True)
    # A village or district label the user chose; never an address.
    area: Mapped[str | None] = mapped_column(String(64), index=True)
    age_months: Mapped[int] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(8))
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    pregnancy_weeks: Mapped[int | None] = mapped_column(Integer)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    urgency: Mapped[str] = mapped_column(String(16))
    top_condition: Mapped[str | None] = mapped_column(String(64))
    # The result as `advise --json` gives it, without anything identifying.
    result: Mapped[dict[str, object]] = mapped_column(JSON)


class ConsultationFinding(Base):
    __tablename__ = "consultation_findings"
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    finding: Mapped[str] = mapped_column(String(64), primary_key=True)
    answer: Mapped[str] = mapped_column(String(8))  # yes, no, unknown


class ConsultationCondition(Base):
    """The ranked conditions, one row each, so that counts per condition are a plain query."""

    __tablename__ = "consultation_conditions"
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    condition: Mapped[str] = mapped_column(String(64), index=True)
    probability: Mapped[float] = mapped_column(Float)


class StockItem(Base):
    """One batch: a medicine in a form and strength, with its expiry (and batch number)."""

    __tablename__ = "stock_items"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    device_id: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    name: Mapped[str] = mapped_column(String(120))  # as written on the pack or the list
    medicine: Mapped[str] = mapped_column(String(64), index=True)  # formulary id
    form: Mapped[str] = mapped_column(String(32))
    strength: Mapped[str] = mapped_column(String(32))
    expiry: Mapped[date] = mapped_column(Date)
    batch: Mapped[str | None] = mapped_column(String(64))


class StockMovement(Base):
    """One change of stock. Balances are the sum of movements; nothing is updated in place."""

    __tablename__ = "stock_movements"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    device_id: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    item_id: Mapped[str] = mapped_column(ForeignKey("stock_items.id"))
    location: Mapped[str] = mapped_column(String(64), default="main")
    kind: Mapped[str] = mapped_column(String(16))  # receive, dispense, adjust, expire, transfer
    quantity: Mapped[float] = mapped_column(Float)  # + in, - out
    reason: Mapped[str | None] = mapped_column(String(200))
    consultation_id: Mapped[str | None] = mapped_column(ForeignKey("consultations.id"))
    transfer_id: Mapped[str | None] = mapped_column(ID)


Index("ix_movements_item_location", StockMovement.item_id, StockMovement.location)
