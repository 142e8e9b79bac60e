"""Completing a person's (or an external worker's) task: the one command above the work
items and the cases. The data is checked against the task's contract and form, then the
task runs and the case goes on until it waits again, in one unit of work."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, defer, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from engine.casework import bundle_checks, contracts, forms, task_choices, work_items
from engine.casework.advancing import advance
from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, Forbidden, InvalidInput, TaskNotReady
from engine.models import Case, WorkItem
from engine.runtime import work_keys
from engine.runtime.case_runner import lock_case_of_item

_ITEMS: Table = WorkItem.__table__  # type: ignore[assignment]
# candidates are read only when the actor's right to the task depends on them, and the
# task's input data (often the whole case data) only by whoever asks for it
_ITEM = (select(WorkItem).where(WorkItem.id == bindparam("id"))
         .options(lazyload(WorkItem.candidates), defer(WorkItem.input_data))
         .execution_options(populate_existing=True))
_CLOSE = (update(_ITEMS).where(_ITEMS.c.id == bindparam("b_id"), _ITEMS.c.state == "open")
          .values(state=bindparam("state"), completed_at=bindparam("completed_at"),
                  completed_by=bindparam("completed_by"), lock_owner=bindparam("lock_owner")))


def complete(rt: Any, session: Session, item_id: str, data: Any, actor: Actor,
             *, external_worker: str | None = None, on_behalf_of: str | None = None) -> Case:
    """Validate DATA, finish the task and run the case on until it waits again."""
    case = lock_case_of_item(session, item_id)
    # read under the case lock: another command may have finished the task meanwhile
    item = session.execute(_ITEM, {"id": item_id}).scalar_one()
    if item.state != "open":
        if item.completed_by:
            raise TaskNotReady.of("task '%(title)s' is already %(status)s by %(user)s",
                                  title=item.title, status=item.state, user=item.completed_by)
        raise TaskNotReady.of("task '%(title)s' is already %(status)s", title=item.title,
                              status=item.state)
    if item.kind == "cooperation":
        raise Conflict("a cooperation request is answered through the cooperation API")
    if external_worker is None:
        if item.kind == "external":
            raise Conflict.of("external work is completed through the external-task API")
        actor = work_items.acting(session, item, actor, on_behalf_of)
        if not work_items.may_work_on(item, actor, on_behalf_of):
            raise Forbidden.of("%(user)s may not complete this task", user=actor.label)
    bundle = rt.specs.get(session, case.deployment_id)
    contract = contracts.for_task(bundle, item)
    what = "the task" if contract.schema is None else "the form"
    if not isinstance(data, dict):
        forms.check_data(data, "task data")
    _refuse_all(lambda: forms.check_data(data, "task data"),
                lambda: contracts.check(contract, data, what))
    task_choices.check(item, data)
    forms.validate(contract.schema, data)
    bundle_checks.run(case, item, data)

    def finish(live: Any, _case: Case) -> None:
        task = live.workflow.get_task_from_id(UUID(item_id))
        if task is None or task.state != TaskState.READY:
            raise TaskNotReady.of("task '%(title)s' is no longer ready", title=item.title)
        task.data.update(copy.deepcopy(data))
        task.run()
        # closed before the sync so it is not mistaken for a task that vanished
        closed = {"state": "completed", "completed_at": clock.now(),
                  "completed_by": actor.label, "lock_owner": None}
        result = session.connection().execute(_CLOSE, dict(closed, b_id=item_id))
        if result.rowcount != 1:
            raise TaskNotReady.of("task '%(title)s' is no longer open", title=item.title)
        work_keys.closed(session, [item_id])
        for name, value in closed.items():
            set_committed_value(item, name, value)
        live.completed_item = item

    before = {"state": "open", "assignee": item.assignee}
    return advance(rt, session, item.case_id, actor, "task.completed", finish,
                   task_id=item.id, element_id=item.element_id, data=data,
                   task_before=before, locked=case)


def _refuse_all(*checks: Callable[[], None]) -> None:
    """Run every check and refuse once, naming what each one found: a key the form does
    not declare is named even when another key holds text no database can store."""
    found: list[InvalidInput] = []
    for check in checks:
        try:
            check()
        except InvalidInput as error:
            found.append(error)
    if len(found) == 1:
        raise found[0]
    if found:
        fields = [f for error in found for f in error.fields]
        raise InvalidInput("; ".join(str(error) for error in found), fields)
