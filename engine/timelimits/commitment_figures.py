"""Commitment figures per office, bundle and month: on time, early, days used, ratings.

Finished, on time and early count only the cases that ended with a decision; withdrawn and
cancelled cases, and cases stopped by an error, have figures of their own
(``engine.timelimits.case_outcomes``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import workdays
from engine.core import clock
from engine.models import Case, CommitmentClock, Item, Rating
from engine.models.clocks import CASE_SCOPE
from engine.timelimits import case_outcomes
from engine.timelimits.clocks.timing import used_days

COLUMNS = ("office", "bundle", "month", "cases", "finished", "on_time_rate",
           "early_rate", "avg_used_days", "avg_committed_days", "instant_share", "overdue",
           "ratings", "rating_average", "ratings_bad", "withdrawn", "cancelled", "errors")

# the figures of the cases that ended (or stopped) without a decision, by outcome
APART = {case_outcomes.WITHDRAWN: "withdrawn", case_outcomes.CANCELLED: "cancelled",
         case_outcomes.ERROR: "errors"}


def _month(case: Case, clk: CommitmentClock) -> str:
    zone = workdays.office_hours(case.office_code).zone
    return clk.started_at.astimezone(zone).strftime("%Y-%m")


def figures(session: Session, *, office: str | None = None, bundle: str | None = None,
            month: str | None = None) -> list[dict[str, Any]]:
    """One row per office, bundle and month of acceptance (YYYY-MM), for accepted cases.

    finished counts the cases that ended with a decision; on_time_rate and early_rate are
    shares of those (early: finished before the due day); overdue counts cases still open
    past due and decided ones finished late. withdrawn, cancelled and errors count the
    cases that ended (or stopped) without a decision, apart.
    """
    now = clock.now()
    query = (select(Case, CommitmentClock).join(CommitmentClock, CommitmentClock.case_id == Case.id)
             .where(CommitmentClock.scope == CASE_SCOPE))
    if office is not None:
        query = query.where(Case.office_code == office)
    if bundle is not None:
        query = query.where(Case.bundle_key == bundle)
    instant = set(session.scalars(select(Item.code).where(Item.instant.is_(True))))
    item_clocks: dict[int, list[CommitmentClock]] = defaultdict(list)
    for row in session.scalars(select(CommitmentClock).where(CommitmentClock.scope != CASE_SCOPE)):
        item_clocks[row.case_id].append(row)
    ratings: dict[int, int] = {r.case_id: r.score for r in session.scalars(
        select(Rating).where(Rating.kind == "case")) if r.case_id is not None}
    withdrawn = case_outcomes.withdrawn_cases(session)
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for case, clk in session.execute(query).all():
        key = (case.office_code or "", case.bundle_key, _month(case, clk))
        if month is not None and key[2] != month:
            continue
        g = groups.setdefault(key, defaultdict(int))
        g["cases"] += 1
        items = item_clocks.get(case.id, [])
        g["items"] += len(items)
        g["instant_items"] += sum(1 for c in items if c.unit == "hours" or c.scope in instant)
        g["committed_total"] += clk.committed + clk.extended_days
        ended = case_outcomes.outcome(case, withdrawn)
        if ended in APART:
            g[APART[ended]] += 1
        if ended == case_outcomes.DECIDED and clk.finished_at is not None:
            g["finished"] += 1
            g["used_total"] += used_days(clk, now).days
            on_time = clk.finished_at <= clk.due_at
            g["on_time"] += on_time
            zone = workdays.office_hours(case.office_code).zone
            g["early"] += clk.finished_at.astimezone(zone).date() < \
                clk.due_at.astimezone(zone).date()
            g["overdue"] += not on_time
        elif ended in (case_outcomes.RUNNING, case_outcomes.ERROR) and now > clk.due_at:
            g["overdue"] += 1
        if case.id in ratings:
            g["ratings"] += 1
            g["rating_total"] += ratings[case.id]
            g["ratings_bad"] += ratings[case.id] <= 2
    return [_row(key, g) for key, g in sorted(groups.items())]


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _row(key: tuple[str, str, str], g: dict[str, Any]) -> dict[str, Any]:
    finished = g["finished"]
    return {
        "office": key[0] or None, "bundle": key[1], "month": key[2], "cases": g["cases"],
        "finished": finished, "on_time_rate": _share(g["on_time"], finished),
        "early_rate": _share(g["early"], finished),
        "avg_used_days": round(g["used_total"] / finished, 2) if finished else None,
        "avg_committed_days": round(g["committed_total"] / g["cases"], 2),
        "instant_share": _share(g["instant_items"], g["items"]), "overdue": g["overdue"],
        "ratings": g["ratings"],
        "rating_average": round(g["rating_total"] / g["ratings"], 2) if g["ratings"] else None,
        "ratings_bad": g["ratings_bad"], "withdrawn": g["withdrawn"],
        "cancelled": g["cancelled"], "errors": g["errors"],
    }


def as_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV text with a header line (empty cells for unknown values)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in COLUMNS})
    return out.getvalue()
