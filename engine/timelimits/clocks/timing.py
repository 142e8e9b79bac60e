"""Due times, working days used and warning levels of one clock, on the working-day calendar."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from engine import workdays
from engine.models import CommitmentClock

NORMAL, YELLOW, RED = "normal", "yellow", "red"
LEVELS = (NORMAL, YELLOW, RED)


@dataclass(frozen=True)
class Thresholds:
    """When a running clock turns yellow: a share of the limit used, or few days left."""

    share: float = 0.8
    days_left: int = 2

    @classmethod
    def from_env(cls) -> Thresholds:
        """ONETHING_CLOCK_YELLOW_SHARE (0.8) and ONETHING_CLOCK_YELLOW_DAYS_LEFT (2)."""
        return cls(float(os.environ.get("ONETHING_CLOCK_YELLOW_SHARE", "0.8")),
                   int(os.environ.get("ONETHING_CLOCK_YELLOW_DAYS_LEFT", "2")))


def refresh_due(clk: CommitmentClock) -> None:
    """Set the clock's due times from its start, limit, pauses and extension."""
    extra = clk.paused_days + clk.extended_days
    if clk.unit == "hours":
        first = workdays.add_working_hours(clk.started_at, clk.committed, office=clk.office_code)
        due = workdays.add_working_days(first.due, extra, office=clk.office_code) if extra \
            else first
        confirmed = first.confirmed and due.confirmed
    else:
        due = workdays.add_working_days(clk.started_at, clk.committed + extra,
                                        office=clk.office_code)
        confirmed = due.confirmed
    statutory = workdays.add_working_days(clk.started_at, clk.statutory + clk.paused_days
                                          + clk.extended_days, office=clk.office_code)
    clk.due_at, clk.statutory_due_at = due.due, statutory.due
    clk.confirmed = confirmed and statutory.confirmed


def used_days(clk: CommitmentClock, now: datetime) -> workdays.WorkdayCount:
    """Working days the clock has run by NOW (or by its end), pauses taken off."""
    until = clk.finished_at or clk.paused_since or now
    counted = workdays.count_working_days(clk.started_at, until, office=clk.office_code)
    return workdays.WorkdayCount(max(counted.days - clk.paused_days, 0), counted.confirmed,
                                 counted.unconfirmed_years)


def level_at(clk: CommitmentClock, now: datetime, thresholds: Thresholds) -> str:
    """The warning level of a running clock at NOW (a paused clock keeps its level)."""
    if clk.paused_since is not None:
        return clk.level
    moment = clk.finished_at or now
    if moment > clk.due_at:
        return RED
    if clk.finished_at is not None:
        return clk.level
    if clk.unit == "hours":
        share = (now - clk.started_at) / (clk.due_at - clk.started_at)
        return YELLOW if share >= thresholds.share else NORMAL
    total = clk.committed + clk.extended_days
    used = used_days(clk, now).days
    left = workdays.count_working_days(now, clk.due_at, office=clk.office_code).days
    if (total and used / total >= thresholds.share) or left <= thresholds.days_left:
        return YELLOW
    return NORMAL
