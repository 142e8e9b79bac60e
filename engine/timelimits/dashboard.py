"""The leaders' dashboard: cases opened and closed per office and bundle, work in progress,
handling time against the commitment, overdue and at-risk cases, commitment figures.

Closed counts the cases that ended with a decision; withdrawn and cancelled cases and
cases stopped by an error are counted apart (``engine.timelimits.case_outcomes``)."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import workdays
from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import FieldError, InvalidInput, NotFound
from engine.design.guides import GUIDE_FILE, load_guide
from engine.models import (
    Case,
    CommitmentClock,
    Deployment,
    DeploymentFile,
    Office,
    WorkItem,
)
from engine.models.clocks import CASE_SCOPE
from engine.org import roles
from engine.timelimits import case_outcomes, commitment_figures

VIEWERS = frozenset({"leader", "supervisor"})
LOCAL = clock.county_zone()
# a running case is at risk once this share of its committed working days is used
YELLOW_SHARE = 0.8
NO_OFFICE = "-"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

COLUMNS: dict[str, tuple[str, ...]] = {
    "throughput": ("office", "bundle", "opened", "closed", "in_progress",
                   "average_working_days", "commitment_days", "closed_within_commitment",
                   "withdrawn", "cancelled", "errors"),
    "work_in_progress": ("office", "running_cases", "open_tasks", "overdue_tasks"),
    "overdue": ("case", "bundle", "office", "title", "accepted_at", "due_at",
                "working_days_used", "commitment_days", "reason"),
    "at_risk": ("case", "bundle", "office", "title", "accepted_at", "due_at",
                "working_days_used", "commitment_days", "reason"),
}
TABLES = (*COLUMNS, "commitment")


@dataclass(frozen=True)
class Filters:
    """Which cases the dashboard counts: one office, one bundle, one month (YYYY-MM)."""

    office: str | None = None
    bundle: str | None = None
    month: str | None = None

    def window(self) -> tuple[datetime, datetime] | None:
        """The month as a UTC half-open range in the county's time zone, if one is set."""
        if not self.month:
            return None
        match = _MONTH.match(self.month)
        if match is None:
            raise InvalidInput("the month is written YYYY-MM",
                               [FieldError("month", "must look like 2026-05")])
        year, month = int(match.group(1)), int(match.group(2))
        start = datetime(year, month, 1, tzinfo=LOCAL)
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=LOCAL)
        return start.astimezone(UTC), end.astimezone(UTC)


def require_viewer(actor: Actor) -> None:
    """Administrators, leaders and supervisors see the dashboard."""
    roles.require(actor, VIEWERS, "see the dashboard")


class _Commitments:
    """Committed working days per deployment, read once from each version's guide."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.days: dict[int, float | None] = {}
        self.titles: dict[int, dict[str, str]] = {}

    def _read(self, deployment_id: int) -> None:
        raw = self.session.scalar(select(DeploymentFile.content).where(
            DeploymentFile.deployment_id == deployment_id,
            DeploymentFile.name == GUIDE_FILE))
        guide = load_guide({GUIDE_FILE: bytes(raw)}) if raw else None
        days = guide.commitment_days if guide is not None else None
        # whole days read as 5, not 5.0, on the page and in CSV
        self.days[deployment_id] = int(days) if days is not None and days.is_integer() \
            else days
        if guide is not None:
            self.titles[deployment_id] = {"zh_CN": guide.title.zh,
                                          "en": guide.title.en or guide.title.zh}

    def of(self, deployment_id: int) -> float | None:
        if deployment_id not in self.days:
            self._read(deployment_id)
        return self.days[deployment_id]

    def title(self, deployment_id: int) -> dict[str, str] | None:
        """The bundle's title in Chinese and English, from this version's guide."""
        if deployment_id not in self.days:
            self._read(deployment_id)
        return self.titles.get(deployment_id)


def _cases(session: Session, filters: Filters) -> Any:
    stmt = select(Case)
    if filters.office:
        stmt = stmt.where(Case.office_code == filters.office)
    if filters.bundle:
        stmt = stmt.where(Case.bundle_key == filters.bundle)
    return stmt


def _throughput(session: Session, filters: Filters, commitments: _Commitments,
                window: tuple[datetime, datetime] | None) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    used: dict[tuple[str, str], list[int]] = defaultdict(list)

    def row(case: Case) -> dict[str, Any]:
        key = (case.office_code or NO_OFFICE, case.bundle_key)
        if key not in rows:
            rows[key] = {"office": key[0], "bundle": key[1], "opened": 0, "closed": 0,
                         "in_progress": 0, "average_working_days": None,
                         "commitment_days": commitments.of(case.deployment_id),
                         "closed_within_commitment": 0, "withdrawn": 0, "cancelled": 0,
                         "errors": 0}
        return rows[key]

    def inside(at: datetime | None) -> bool:
        return at is not None and (window is None or window[0] <= at < window[1])

    withdrawn = case_outcomes.withdrawn_cases(session)
    for case in session.scalars(_cases(session, filters)):
        entry = row(case)
        entry["opened"] += inside(case.created_at)
        entry["in_progress"] += case.status == "running"
        ended = case_outcomes.outcome(case, withdrawn)
        if ended == case_outcomes.ERROR:
            entry["errors"] += inside(case.updated_at)
        elif ended in (case_outcomes.WITHDRAWN, case_outcomes.CANCELLED) \
                and inside(case.completed_at or case.updated_at):
            entry[ended] += 1
        if ended == case_outcomes.DECIDED and inside(case.completed_at):
            assert case.completed_at is not None
            days = workdays.count_working_days(case.created_at, case.completed_at,
                                               office=case.office_code).days
            entry["closed"] += 1
            used[(entry["office"], entry["bundle"])].append(days)
            limit = commitments.of(case.deployment_id)
            entry["closed_within_commitment"] += limit is not None and days <= limit
    for key, days_used in used.items():
        rows[key]["average_working_days"] = round(sum(days_used) / len(days_used), 1)
    return [rows[k] for k in sorted(rows)]


def _work_in_progress(session: Session, filters: Filters, now: datetime) -> list[dict[str, Any]]:
    running = _cases(session, filters).where(Case.status == "running").subquery()
    out: dict[str, dict[str, Any]] = {}

    def row(office: str | None) -> dict[str, Any]:
        name = office or NO_OFFICE
        return out.setdefault(name, {"office": name, "running_cases": 0, "open_tasks": 0,
                                     "overdue_tasks": 0})

    for office, n in session.execute(select(running.c.office_code, func.count())
                                     .group_by(running.c.office_code)):
        row(office)["running_cases"] = n
    for office, due_at in session.execute(
            select(running.c.office_code, WorkItem.due_at)
            .join(WorkItem, WorkItem.case_id == running.c.id).where(WorkItem.state == "open")):
        entry = row(office)
        entry["open_tasks"] += 1
        entry["overdue_tasks"] += due_at is not None and due_at < now
    return [out[k] for k in sorted(out)]


def _case_clocks(session: Session) -> dict[int, CommitmentClock]:
    """The case-level commitment clock of every running case that has one (accepted)."""
    return {clk.case_id: clk for clk in session.scalars(
        select(CommitmentClock).join(Case, Case.id == CommitmentClock.case_id)
        .where(Case.status == "running", CommitmentClock.scope == CASE_SCOPE))}


def _standing(case: Case, clk: CommitmentClock | None, limit: float | None,
              now: datetime) -> tuple[datetime | None, int | None, float | None, str | None]:
    """Due time, working days used, committed days and the reason it needs attention.

    The commitment clock (paused for supplement, extended) is used once the case is
    accepted; before that the bundle's commitment is counted from the case's start.
    """
    if clk is not None:
        if clk.paused_since is not None:
            return clk.due_at, None, clk.committed + clk.extended_days, None
        limit = clk.committed + clk.extended_days
        used = max(0, workdays.count_working_days(clk.started_at, now,
                                                  office=case.office_code).days
                   - clk.paused_days)
        due = clk.due_at
        near = clk.level == "yellow"
    elif limit is not None:
        due = workdays.add_working_days(case.created_at, limit, office=case.office_code).due
        used = workdays.count_working_days(case.created_at, now, office=case.office_code).days
        near = False
    else:
        return None, None, None, None
    if now > due:
        return due, used, limit, "commitment_passed"
    if near or (limit and used >= YELLOW_SHARE * limit):
        return due, used, limit, "commitment_near"
    return due, used, limit, None


def _attention(session: Session, filters: Filters, commitments: _Commitments,
               now: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Running cases past their commitment; and those close to it or with a step past due."""
    late_tasks: dict[int, str] = {}
    for case_id, title in session.execute(
            select(WorkItem.case_id, WorkItem.title).where(
                WorkItem.state == "open", WorkItem.due_at.is_not(None), WorkItem.due_at < now)
            .order_by(WorkItem.due_at)):
        late_tasks.setdefault(case_id, title)
    clocks = _case_clocks(session)
    overdue: list[dict[str, Any]] = []
    at_risk: list[dict[str, Any]] = []
    for case in session.scalars(_cases(session, filters).where(Case.status == "running")
                                .order_by(Case.created_at)):
        due, used, limit, reason = _standing(case, clocks.get(case.id),
                                             commitments.of(case.deployment_id), now)
        # a step past its own due date puts the case at risk while its commitment holds
        if reason is None and case.id in late_tasks:
            reason = f"task_overdue: {late_tasks[case.id]}"
        if reason is None:
            continue
        entry = {"case": case.number, "bundle": case.bundle_key,
                 "office": case.office_code or NO_OFFICE, "title": case.title,
                 "accepted_at": case.created_at.isoformat(),
                 "due_at": due.astimezone(UTC).isoformat() if due else None,
                 "working_days_used": used, "commitment_days": limit, "reason": reason}
        (overdue if reason == "commitment_passed" else at_risk).append(entry)
    return overdue, at_risk


def _labels(session: Session, commitments: _Commitments) -> dict[str, Any]:
    """The names of the offices and bundles the tables name, in Chinese and English."""
    offices = {code: {"zh_CN": zh or code, "en": en or zh or code}
               for code, zh, en in session.execute(
                   select(Office.code, Office.name_zh, Office.name_en))}
    bundles: dict[str, dict[str, str]] = {}
    for key, deployment_id in session.execute(
            select(Deployment.bundle_key, func.max(Deployment.id))
            .group_by(Deployment.bundle_key)):
        title = commitments.title(deployment_id)
        bundles[key] = title or {"zh_CN": key, "en": key}
    return {"offices": offices, "bundles": bundles}


def summary(session: Session, actor: Actor, filters: Filters,
            now: datetime | None = None) -> dict[str, Any]:
    """Every table of the dashboard for FILTERS, the commitment figures and calendar warning."""
    require_viewer(actor)
    if filters.office and session.scalar(
            select(Office.id).where(Office.code == filters.office)) is None:
        raise NotFound(f"office '{filters.office}' not found")
    window = filters.window()
    moment = now or clock.now()
    commitments = _Commitments(session)
    overdue, at_risk = _attention(session, filters, commitments, moment)
    tables = {
        "throughput": _throughput(session, filters, commitments, window),
        "work_in_progress": _work_in_progress(session, filters, moment),
        "overdue": overdue,
        "at_risk": at_risk,
        "commitment": commitment_figures.figures(session, office=filters.office,
                                                 bundle=filters.bundle, month=filters.month),
    }
    return {"filters": {"office": filters.office, "bundle": filters.bundle,
                        "month": filters.month},
            "generated_at": moment.isoformat(),
            "calendar_warning": workdays.coverage_warning(moment.astimezone(LOCAL).date()),
            "labels": _labels(session, commitments),
            "totals": {"opened": sum(r["opened"] for r in tables["throughput"]),
                       "closed": sum(r["closed"] for r in tables["throughput"]),
                       "in_progress": sum(r["in_progress"] for r in tables["throughput"]),
                       "withdrawn": sum(r["withdrawn"] for r in tables["throughput"]),
                       "cancelled": sum(r["cancelled"] for r in tables["throughput"]),
                       "errors": sum(r["errors"] for r in tables["throughput"]),
                       "overdue": len(overdue), "at_risk": len(at_risk)},
            "tables": tables}


def columns_of(table: str) -> tuple[str, ...]:
    """The columns of TABLE, in order (the commitment figures name their own)."""
    return COLUMNS.get(table) or tuple(commitment_figures.COLUMNS)


def check_table(table: str) -> None:
    """Raise NotFound unless TABLE is one of the dashboard's tables."""
    if table not in TABLES:
        raise NotFound(f"no dashboard table '{table}'; there are {', '.join(TABLES)}")


def as_csv(table: str, rows: list[dict[str, Any]]) -> str:
    """One dashboard table as CSV text with a header row."""
    check_table(table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = columns_of(table)
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
    return out.getvalue()


def month_of(day: date) -> str:
    """The YYYY-MM month of DAY."""
    return f"{day.year:04d}-{day.month:02d}"


def months_back(today: date, count: int) -> list[str]:
    """The last COUNT months up to TODAY's, oldest first (for the month picker)."""
    months, day = [], today.replace(day=1)
    for _ in range(count):
        months.append(month_of(day))
        day = (day - timedelta(days=1)).replace(day=1)
    return list(reversed(months))
