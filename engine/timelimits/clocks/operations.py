"""Start, pause, resume, extend and end the clocks of a case; recompute warning levels."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import workdays
from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.models import Case, CommitmentClock
from engine.models.clocks import CASE_SCOPE
from engine.timelimits.clocks.limits import Limit, case_limit, guide_of, item_limit
from engine.timelimits.clocks.timing import NORMAL, Thresholds, level_at, refresh_due, used_days

log = logging.getLogger(__name__)

# who may approve an extension (延期)
APPROVER_GROUPS = frozenset({"leader", "supervisor"})
MAX_EXTENSION_DAYS = 60


def clocks_of(session: Session, case_id: int, *, running: bool = False) -> list[CommitmentClock]:
    """The clocks of a case, the case clock first."""
    query = select(CommitmentClock).where(CommitmentClock.case_id == case_id)
    if running:
        query = query.where(CommitmentClock.finished_at.is_(None))
    found = list(session.scalars(query.order_by(CommitmentClock.id)))
    return sorted(found, key=lambda c: (c.scope != CASE_SCOPE, c.scope))


def start(session: Session, case: Case, items: Iterable[str], now: datetime) -> None:
    """Start the case clock and one clock per item (nothing is started twice)."""
    have = {c.scope for c in clocks_of(session, case.id)}
    guide = guide_of(session, case.deployment_id)
    wanted: list[tuple[str, Limit | None]] = [(CASE_SCOPE, case_limit(guide))]
    wanted += [(code, item_limit(session, guide, code)) for code in items]
    for scope, limit in wanted:
        if scope in have or limit is None:
            continue
        clk = CommitmentClock(case_id=case.id, scope=scope, bundle_key=case.bundle_key,
                              office_code=case.office_code, unit=limit.unit,
                              committed=limit.committed, statutory=limit.statutory,
                              started_at=now, pausing=[], paused_days=0, extended_days=0,
                              level=NORMAL, confirmed=True)
        refresh_due(clk)
        session.add(clk)
        audit.record(session, "engine", "clock.started", case_id=case.id,
                     after={"scope": scope, "due": clk.due_at.isoformat(),
                            "confirmed": clk.confirmed},
                     committed=limit.committed, unit=limit.unit)
        have.add(scope)


def pause(session: Session, case_id: int, reason: str, work_item: str, now: datetime, *,
          scopes: Iterable[str] | None = None) -> None:
    """Stop the running clocks of SCOPES (None: all of the case) while WORK_ITEM is open."""
    wanted = set(scopes) if scopes is not None else None
    for clk in clocks_of(session, case_id, running=True):
        if wanted is not None and clk.scope not in wanted:
            continue
        if any(p.get("work_item") == work_item for p in clk.pausing):
            continue
        clk.pausing = [*clk.pausing, {"reason": reason, "work_item": work_item}]
        if clk.paused_since is None:
            clk.paused_since = now
            audit.record(session, "engine", "clock.paused", case_id=case_id,
                         after={"scope": clk.scope}, reason=reason, work_item=work_item)


def resume(session: Session, case_id: int, work_item: str, now: datetime) -> None:
    """Let the clocks run again once nothing else holds them."""
    for clk in clocks_of(session, case_id, running=True):
        left = [p for p in clk.pausing if p.get("work_item") != work_item]
        if len(left) == len(clk.pausing):
            continue
        clk.pausing = left
        if not left and clk.paused_since is not None:
            _restart(session, clk, now)


def _restart(session: Session, clk: CommitmentClock, now: datetime) -> None:
    since = clk.paused_since
    assert since is not None
    stopped = workdays.count_working_days(since, now, office=clk.office_code)
    clk.paused_days += stopped.days
    clk.paused_since = None
    refresh_due(clk)
    clk.confirmed = clk.confirmed and stopped.confirmed
    audit.record(session, "engine", "clock.resumed", case_id=clk.case_id,
                 after={"scope": clk.scope, "due": clk.due_at.isoformat()},
                 paused_days=stopped.days)


def end(session: Session, case_id: int, scopes: Iterable[str] | None, now: datetime) -> None:
    """End the running clocks of SCOPES (None: all of the case) at NOW."""
    wanted = set(scopes) if scopes is not None else None
    thresholds = Thresholds.from_env()
    for clk in clocks_of(session, case_id, running=True):
        if wanted is not None and clk.scope not in wanted:
            continue
        if clk.paused_since is not None:
            clk.pausing = []
            _restart(session, clk, now)
        clk.finished_at = now
        set_level(session, clk, level_at(clk, now, thresholds), now)
        audit.record(session, "engine", "clock.ended", case_id=case_id,
                     after={"scope": clk.scope, "on_time": now <= clk.due_at},
                     used_days=used_days(clk, now).days)


def set_level(session: Session, clk: CommitmentClock, level: str, now: datetime) -> bool:
    """Change the clock's level, audited; True if it changed."""
    if level == clk.level:
        return False
    audit.record(session, "engine", "clock.level", case_id=clk.case_id,
                 before={"level": clk.level}, after={"level": level}, scope=clk.scope)
    log.info("case %s clock %s: %s -> %s", clk.case_id, clk.scope, clk.level, level)
    clk.level, clk.level_changed_at = level, now
    return True


def recompute(session: Session, clocks: Iterable[CommitmentClock], now: datetime) -> int:
    """Recompute the level of each running clock; returns how many changed."""
    thresholds = Thresholds.from_env()
    return sum(set_level(session, c, level_at(c, now, thresholds), now)
               for c in clocks if c.finished_at is None)


def extend(session: Session, case_id: int, actor: Actor, days: float, reason: str, *,
           scope: str = CASE_SCOPE, now: datetime) -> CommitmentClock:
    """Extend a running clock once (延期), approved by a leader or supervisor, with a reason."""
    if not (actor.is_admin or actor.groups & APPROVER_GROUPS):
        raise Forbidden("only a leader or supervisor may approve an extension "
                        "/ 仅领导或督办人员可批准延期")
    if not reason or not reason.strip():
        raise InvalidInput("give the reason for the extension / 请填写延期理由")
    if not 0 < days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_EXTENSION_DAYS} "
                           f"/ 延期天数须在 1 至 {MAX_EXTENSION_DAYS} 之间")
    clk = session.scalar(select(CommitmentClock).where(
        CommitmentClock.case_id == case_id, CommitmentClock.scope == scope).with_for_update())
    if clk is None:
        raise NotFound(f"case {case_id} has no clock '{scope}' / 该办件无此计时")
    if clk.finished_at is not None:
        raise Conflict("the clock has ended / 计时已结束")
    if clk.extended_at is not None:
        raise Conflict("the time limit was already extended once / 已延期一次，不能再次延期")
    before = clk.due_at.isoformat()
    clk.extended_days, clk.extended_by = days, actor.label
    clk.extension_reason, clk.extended_at = reason.strip(), now
    refresh_due(clk)
    audit.record(session, actor, "clock.extended", case_id=case_id, before={"due": before},
                 after={"due": clk.due_at.isoformat()}, scope=scope, days=days,
                 reason=reason.strip())
    recompute(session, [clk], now)
    return clk


def as_dict(clk: CommitmentClock, now: datetime) -> dict[str, Any]:
    """A clock as the case pages and the API show it."""
    used = used_days(clk, now)
    zone = workdays.office_hours(clk.office_code).zone

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).isoformat()

    return {
        "scope": clk.scope, "unit": clk.unit, "started": local(clk.started_at),
        "due": local(clk.due_at), "statutory_due": local(clk.statutory_due_at),
        "level": clk.level, "paused": clk.paused_since is not None,
        "paused_reasons": sorted({str(p.get("reason")) for p in clk.pausing}),
        "paused_days": clk.paused_days, "used": used.days,
        "committed": clk.committed + clk.extended_days, "committed_original": clk.committed,
        "statutory": clk.statutory, "extended": clk.extended_at is not None,
        "extension": ({"days": clk.extended_days, "by": clk.extended_by,
                       "reason": clk.extension_reason, "at": local(clk.extended_at)}
                      if clk.extended_at else None),
        "finished": local(clk.finished_at) if clk.finished_at else None,
        "on_time": (clk.finished_at <= clk.due_at) if clk.finished_at else None,
        "confirmed": clk.confirmed and used.confirmed,
    }
