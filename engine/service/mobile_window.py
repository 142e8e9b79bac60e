"""Mobile window (移动窗口): applications taken at a market-day location in a town.

The clerk records where and when the application was taken; the case starts with the
channel 'mobile_window' and the clerk's office as accepting office, then flows as any other.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework.cases import start_case
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import FieldError, Forbidden, InvalidInput
from engine.models import Case, MobileIntake
from engine.org.offices.routing import get_office
from engine.runtime.engine import Engine
from engine.service.appointments import office_staff

CHANNEL = "mobile_window"
# an intake may be typed in a few days after the market day
LATE_ENTRY = timedelta(days=7)


def record_intake(rt: Engine, session: Session, actor: Actor, office_code: str, town: str,
                  place: str, market_day: date, process: str, data: dict[str, Any], *,
                  business_key: str | None = None) -> tuple[MobileIntake, Case]:
    """Record an intake at TOWN / PLACE on MARKET_DAY and start its case (office staff)."""
    office = get_office(session, office_code)
    if not office_staff(actor, office.code):
        raise Forbidden(f"{actor.username} does not work at {office.code}")
    today = clock.now().astimezone(ZoneInfo(office.timezone)).date()
    errors = [FieldError(name, "must not be empty")
              for name, value in (("town", town), ("place", place)) if not value.strip()]
    if not today - LATE_ENTRY <= market_day <= today:
        errors.append(FieldError("market_day", "must be today or within the last 7 days"))
    if errors:
        raise InvalidInput("the intake has errors", errors)
    case = start_case(rt, session, process, data, actor=actor, business_key=business_key,
                      office=office.code, channel=CHANNEL)
    intake = MobileIntake(office_code=office.code, town=town.strip(), place=place.strip(),
                          market_day=market_day, clerk=actor.username, case_id=case.id,
                          created_at=clock.now())
    session.add(intake)
    session.flush()
    audit.record(session, actor, "mobile_window.intake", case_id=case.id,
                 after=as_dict(intake, case.number), intake=intake.id)
    return intake, case


def intakes(session: Session, actor: Actor, office_code: str) -> list[tuple[MobileIntake, str]]:
    """An office's intakes with their case numbers, newest first (office staff)."""
    office = get_office(session, office_code)
    if not office_staff(actor, office.code):
        raise Forbidden(f"{actor.username} does not work at {office.code}")
    rows = session.execute(select(MobileIntake, Case.number).join(
        Case, Case.id == MobileIntake.case_id).where(MobileIntake.office_code == office.code)
        .order_by(MobileIntake.market_day.desc(), MobileIntake.id.desc())).all()
    return [(row[0], row[1]) for row in rows]


def as_dict(intake: MobileIntake, case_number: str) -> dict[str, Any]:
    return {"id": intake.id, "office": intake.office_code, "town": intake.town,
            "place": intake.place, "market_day": intake.market_day.isoformat(),
            "clerk": intake.clerk, "case_id": intake.case_id, "case_number": case_number,
            "created_at": intake.created_at.isoformat()}
