"""Per-task persistence of SpiffWorkflow state, with a cache of live workflows.

A save writes only the task rows whose serialised form changed: tasks whose
state changed since the last save, every unfinished task (a multi-instance
parent changes while STARTED), children of changed tasks (their data is stored
as a delta from the parent), and parents of new tasks (their child lists grew).
Removed tasks are deleted. The workflow's shell (data, correlations, events)
lives on the case row.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from engine.core.errors import ScriptLimitExceeded
from engine.models import Case, CaseTask
from engine.runtime import change_tracking
from engine.runtime.serialization import (
    blank_key,
    digest,
    dumps,
    restore_workflow,
    task_json,
    workflow_shell,
)

_FINISHED = TaskState.COMPLETED | TaskState.CANCELLED
# Core statements on the table: the ORM's bulk machinery costs more than the writes
_TASKS: Table = CaseTask.__table__  # type: ignore[assignment]
_INSERT = insert(_TASKS)
_UPDATE = (update(_TASKS)
           .where(_TASKS.c.case_id == bindparam("b_case_id"),
                  _TASKS.c.task_id == bindparam("b_task_id"))
           .values(state=bindparam("state"), digest=bindparam("digest"),
                   payload=bindparam("payload")))
_DELETE = delete(_TASKS).where(_TASKS.c.case_id == bindparam("case_id"),
                               _TASKS.c.task_id.in_(bindparam("ids", expanding=True)))


@dataclass
class LiveCase:
    """A case's workflow in memory and what is known to be stored for it."""

    case_id: int
    version: int
    workflow: Any
    digests: dict[UUID, str] = field(default_factory=dict)
    next_seq: int = 0
    # time.time() when the stored rows last matched the workflow
    mark: float = 0.0
    # what the subscription and timer-job rows last said (None: unknown, re-sync)
    waits_key: Any = None
    # a case started by this command: it has no work item rows to look up yet
    new: bool = False
    # unfinished tasks at the last save, and the change record since (see change_tracking)
    unfinished: dict[UUID, Any] = field(default_factory=dict)
    changes: change_tracking.Changes | None = None
    subprocess_ids: frozenset[Any] = frozenset()
    # (retries, backoff base) of a service task that just failed, for store() to schedule
    retry: tuple[int, int | None] | None = None
    # the work item completed by the command being stored (for case_events listeners)
    completed_item: Any = None
    # serialization.blank_key of stored tasks without data of their own
    blank_keys: dict[UUID, Any] = field(default_factory=dict)


def _workflows(workflow: Any) -> list[tuple[str, Any]]:
    return [("", workflow)] + [(str(k), sp) for k, sp in workflow.subprocesses.items()]


def load(session: Session, case: Case, spec: Any, subprocess_specs: dict[str, Any],
         script_engine: Any) -> LiveCase:
    """Rebuild a case's workflow from its rows."""
    rows = session.execute(
        select(CaseTask.workflow_id, CaseTask.task_id, CaseTask.digest, CaseTask.payload,
               CaseTask.seq)
        .where(CaseTask.case_id == case.id).order_by(CaseTask.seq)
    ).all()
    grouped: dict[str, dict[str, dict[str, Any]]] = {}
    digests: dict[UUID, str] = {}
    next_seq = 0
    for wf_id, task_id, dig, payload, seq in rows:
        grouped.setdefault(wf_id, {})[task_id] = json.loads(payload)
        digests[UUID(task_id)] = dig
        next_seq = max(next_seq, seq + 1)
    workflow = restore_workflow(json.loads(case.workflow_state), grouped, spec, subprocess_specs)
    workflow.script_engine = script_engine
    return LiveCase(case.id, case.version, workflow, digests, next_seq, time.time())


def _workflow_id(task: Any, top: Any) -> str:
    wf = task.workflow
    return "" if wf is top else str(wf.parent_task_id)


def _scan(live: LiveCase) -> tuple[dict[UUID, Any], set[UUID]]:
    """Every task that may differ from its row, by walking all tasks (first save, or unsure)."""
    mark = live.mark
    candidates: dict[UUID, Any] = {}
    current: set[UUID] = set()
    for _wf_id, wf in _workflows(live.workflow):
        tasks = wf.tasks
        current.update(tasks)
        for tid, task in tasks.items():
            if (task._state & _FINISHED == 0 or task.last_state_change >= mark
                    or tid not in live.digests):
                candidates[tid] = task
    return candidates, {tid for tid in live.digests if tid not in current}


def _tracked(live: LiveCase) -> tuple[dict[UUID, Any], set[UUID]]:
    """Tasks touched since the last save plus every unfinished one, from the change record."""
    assert live.changes is not None
    touched, removed = live.changes.take()
    candidates = dict(live.unfinished)
    candidates.update(touched)
    for tid in [t for t, task in candidates.items() if task.workflow.tasks.get(t) is not task]:
        del candidates[tid]
        removed.add(tid)
    return candidates, {tid for tid in removed if tid in live.digests}


# what one task may keep, and what one step may add, in serialised characters: a script
# that builds a few megabytes per loop round must not fill the database
MAX_TASK_CHARS = 2_000_000
MAX_STEP_CHARS = 10_000_000


def check_stored_size(rows: list[dict[str, Any]]) -> None:
    """Refuse a step whose task rows are larger than a case may store (nothing is kept)."""
    total = 0
    for row in rows:
        size = len(row["payload"])
        total += size
        if size > MAX_TASK_CHARS:
            task = row.get("spec_name", row["task_id"])
            raise ScriptLimitExceeded(
                f"the data of task {task!r} would take {size} characters; a task keeps at "
                f"most {MAX_TASK_CHARS}: the diagram builds data too large")
    if total > MAX_STEP_CHARS:
        raise ScriptLimitExceeded(
            f"this step would store {total} characters of task data; one step stores at "
            f"most {MAX_STEP_CHARS}: the diagram builds data too large")


def save(session: Session, live: LiveCase) -> int:
    """Write what changed since the last save; return the number of task rows written."""
    started = time.time()
    workflow = live.workflow
    sub_ids = frozenset(workflow.subprocesses)
    if live.changes is None or not live.digests or sub_ids != live.subprocess_ids:
        candidates, removed = _scan(live)
        if live.changes is not None:
            live.changes.take()
    else:
        candidates, removed = _tracked(live)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changed = _write_changed(live, workflow, candidates.values(), inserts, updates)
    # a changed task moves its children's deltas; a new task grows its parent's list
    extra: dict[UUID, Any] = {}
    for task in changed:
        for child in task.children:
            if child.id not in candidates:
                extra[child.id] = child
        parent = task.parent
        if parent is not None and parent.id not in candidates:
            extra[parent.id] = parent
    _write_changed(live, workflow, extra.values(), inserts, updates)
    check_stored_size(inserts + updates)
    case_id = live.case_id
    # the connection, not the session: these rows are no ORM objects, nothing to autoflush
    conn = session.connection()
    if inserts:
        for row in inserts:
            row["case_id"] = case_id
        conn.execute(_INSERT, inserts)
    if updates:
        for row in updates:
            row["b_case_id"] = case_id
            row["b_task_id"] = row.pop("task_id")
        conn.execute(_UPDATE, updates)
    if removed:
        for tid in removed:
            live.digests.pop(tid, None)
            live.blank_keys.pop(tid, None)
        ids = [str(t) for t in removed]
        for start in range(0, len(ids), 500):
            conn.execute(_DELETE, {"case_id": case_id, "ids": ids[start:start + 500]})
    live.unfinished = {tid: task for tid, task in candidates.items()
                       if task._state & _FINISHED == 0}
    live.unfinished.update((tid, task) for tid, task in extra.items()
                           if task._state & _FINISHED == 0)
    live.subprocess_ids = sub_ids
    live.mark = started
    if live.changes is None:
        live.changes = change_tracking.track(workflow)
    return len(inserts) + len(updates)


def _write_changed(live: LiveCase, top: Any, tasks: Iterable[Any],
                   inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> list[Any]:
    changed = []
    blank_keys = live.blank_keys
    for task in tasks:
        tid = task.id
        old = live.digests.get(tid)
        key = blank_key(task)
        if key is not None and old is not None and blank_keys.get(tid) == key:
            continue  # the same inputs give the same JSON: the row is current
        if key is None:
            blank_keys.pop(tid, None)
        else:
            blank_keys[tid] = key
        payload = task_json(task)
        dig = digest(payload)
        if old == dig:
            continue
        changed.append(task)
        row = {"task_id": str(tid), "state": int(task._state), "digest": dig,
               "payload": payload}
        if old is None:
            row.update(workflow_id=_workflow_id(task, top), seq=live.next_seq,
                       spec_name=task.task_spec.name)
            live.next_seq += 1
            inserts.append(row)
        else:
            updates.append(row)
        live.digests[tid] = dig
    return changed


def shell_json(live: LiveCase) -> str:
    return dumps(workflow_shell(live.workflow))


class WorkflowCache:
    """Live workflows of recently used cases, handed out to one command at a time.

    A command takes its case's entry out (so no other thread can see a workflow
    mid-change) and puts it back only after its transaction committed.
    """

    def __init__(self, capacity: int = 256) -> None:
        self._entries: OrderedDict[int, LiveCase] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity

    def take(self, case_id: int, version: int) -> LiveCase | None:
        with self._lock:
            live = self._entries.pop(case_id, None)
        if live is not None and live.version == version:
            return live
        return None

    def put(self, live: LiveCase) -> None:
        with self._lock:
            self._entries[live.case_id] = live
            self._entries.move_to_end(live.case_id)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
