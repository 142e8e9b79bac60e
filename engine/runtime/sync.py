"""Mirror a workflow's waiting points into indexed rows: work items, subscriptions, timer jobs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Table, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from engine.core.db import insert_rows
from engine.models import Case, CooperationRequest, Job, Subscription, WorkItem
from engine.runtime import assignment, work_keys
from engine.runtime.diagrams import CompiledBundle
from engine.runtime.serialization import dumps

_WORK_ITEMS: Table = WorkItem.__table__  # type: ignore[assignment]
# a case's open items, and the closed items of tasks ready again (statements built once)
_ITEMS_OF_CASE = (select(_WORK_ITEMS.c.id, _WORK_ITEMS.c.state, _WORK_ITEMS.c.kind)
                  .where(_WORK_ITEMS.c.case_id == bindparam("case_id"),
                         or_(_WORK_ITEMS.c.state == "open",
                             _WORK_ITEMS.c.id.in_(bindparam("ready", expanding=True)))))


def ready_manual_tasks(live: Any) -> list[Any]:
    """Ready user/manual tasks, from the unfinished tasks the last save found."""
    return [t for t in live.unfinished.values()
            if t._state == TaskState.READY and t.task_spec.manual]


def work_items(session: Session, case: Case, live: Any, bundle: CompiledBundle,
               now: datetime) -> tuple[list[WorkItem], list[str]]:
    """Open a work item for each ready user/manual/external task; cancel the ones gone.

    Returns the work items opened or reopened, and the ids of those cancelled.
    """
    conn = session.connection()
    ready = {str(t.id): t for t in ready_manual_tasks(live)}
    rows = [] if live.new else conn.execute(
        _ITEMS_OF_CASE, {"case_id": case.id, "ready": list(ready)}).all()
    ended = case.status in ("completed", "cancelled")
    # co-handling (协办) items have no task behind them: they close when answered or the case ends
    open_ids = {item_id for item_id, state, kind in rows
                if state == "open" and (kind != "cooperation" or ended)}
    # a task back to READY (e.g. reset) keeps its id: its old work item is reopened
    closed = {item_id for item_id, state, _kind in rows if state != "open"}
    gone = open_ids - ready.keys()
    if gone:
        session.execute(update(WorkItem).where(WorkItem.id.in_(gone))
                        .values(state="cancelled", completed_at=now))
    if ended and any(kind == "cooperation" and state == "open" for _id, state, kind in rows):
        session.execute(update(CooperationRequest).where(
            CooperationRequest.case_id == case.id, CooperationRequest.state == "open")
            .values(state="cancelled"))
    opened: list[WorkItem] = []
    new: list[WorkItem] = []
    again: list[str] = []
    for task_id, task in ready.items():
        if task_id in open_ids:
            continue
        if task_id in closed:
            item = session.get(WorkItem, task_id)
            if item is not None:
                item.state, item.completed_at, item.completed_by = "open", None, None
                opened.append(item)
                again.append(item.id)
        else:
            item = assignment.new_work_item(case, task, bundle, now)
            new.append(item)
            opened.append(item)
    if new:
        _insert_work_items(session, new)
    work_keys.closed(session, [*gone, *again])
    work_keys.opened(session, case, opened)
    return opened, sorted(gone)


def _insert_work_items(session: Session, items: list[WorkItem]) -> None:
    """Insert new work items and their candidates with a statement each (the unit of
    work's flush costs more than the writes), then hand them to the session."""
    insert_rows(session, items)
    candidates = []
    for item in items:
        for candidate in item.candidates:
            candidate.work_item_id = item.id
            candidates.append(candidate)
    insert_rows(session, candidates)
    session.add_all(items)


def waits(session: Session, case: Case, live: Any, now: datetime) -> None:
    """Store what the case waits on: message/signal subscriptions and timer jobs."""
    workflow = live.workflow
    subs: list[Subscription] = []
    timers: dict[tuple[str, datetime], Any] = {}
    for task in workflow.event_manager.tasks.values():
        if not task.has_state(TaskState.WAITING | TaskState.READY):
            continue
        ed = task.task_spec.event_definition
        kind = type(ed).__name__
        if "Message" in kind:
            subs.append(Subscription(case_id=case.id, kind="message", name=ed.name,
                                     correlation=_correlation(workflow)))
        elif "Signal" in kind:
            subs.append(Subscription(case_id=case.id, kind="signal", name=ed.name,
                                     correlation={}))
        elif "Timer" in kind or "TimeDate" in kind or "Cycle" in kind or "Duration" in kind:
            due = timer_due(task)
            if due is not None:
                timers[(str(task.id), due)] = task
    key = (sorted(repr((s.kind, s.name, s.correlation)) for s in subs),
           sorted(timers))
    if key == live.waits_key:
        return  # nothing changed: spare the statements on the hot path
    session.execute(delete(Subscription).where(Subscription.case_id == case.id))
    session.add_all(subs)
    _sync_timer_jobs(session, case, timers, now)
    live.waits_key = key


def _correlation(workflow: Any) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for props in workflow.correlations.values():
        if isinstance(props, dict):
            flat.update(props)
    return flat


def timer_due(task: Any) -> datetime | None:
    """When a waiting timer task is due, from the deadline SpiffWorkflow stored on it."""
    value = task.internal_data.get("event_value")
    if isinstance(value, dict):
        value = value.get("next") if value.get("cycles", 0) != 0 else None
    if not isinstance(value, str):
        return None
    try:
        due = datetime.fromisoformat(value)
    except ValueError:
        return None
    if due.tzinfo is None:
        due = due.astimezone()
    return due


def _sync_timer_jobs(session: Session, case: Case, timers: dict[tuple[str, datetime], Any],
                     now: datetime) -> None:
    live_jobs = session.scalars(select(Job).where(
        Job.case_id == case.id, Job.kind == "timer",
        Job.status.in_(("pending", "running")))).all()
    have = {(j.key, j.due_at): j for j in live_jobs}
    for key, job in have.items():
        # a running job belongs to a worker, which finishes it itself
        if key not in timers and job.status == "pending":
            session.delete(job)
    for (task_id, due) in timers:
        if (task_id, due) not in have:
            session.add(Job(kind="timer", case_id=case.id, key=task_id, due_at=due,
                            status="pending", payload={}, created_at=now))
    case.next_timer_at = min((due for _, due in timers), default=None)


def thrown_events(session: Session, case: Case, workflow: Any, now: datetime) -> None:
    """Queue messages and signals this case threw that nothing inside it caught."""
    for event in workflow.get_events():
        ed = event.event_definition
        kind = "signal" if "Signal" in type(ed).__name__ else "message"
        flat: dict[str, Any] = {}
        for props in (event.correlations or {}).values():
            if isinstance(props, dict):
                flat.update(props)
        payload = {"kind": kind, "name": ed.name, "source_case": case.id,
                   "payload": json.loads(dumps(event.payload or {})),
                   "correlation": json.loads(dumps(flat))}
        session.add(Job(kind="deliver", case_id=None, key=f"{kind}:{ed.name}", due_at=now,
                        status="pending", payload=payload, created_at=now))


def schedule_retry(session: Session, case: Case, retry: tuple[int, int | None],
                   now: datetime) -> None:
    """Queue another try of a failed service task, backing off, until its retries run out."""
    retries, base = retry
    key = case.error_task_id or ""
    tried = session.scalar(select(func.count()).select_from(Job).where(
        Job.case_id == case.id, Job.kind == "retry", Job.key == key)) or 0
    if tried >= retries:
        return
    delay = timedelta(seconds=(base or 2) ** tried)
    session.add(Job(kind="retry", case_id=case.id, key=key, due_at=now + delay,
                    status="pending", payload={"attempt": tried + 1}, created_at=now))
