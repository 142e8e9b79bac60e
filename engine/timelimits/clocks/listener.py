"""Drive the clocks from each stored step of a case (engine.runtime.case_events), by
the rules table."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from engine.models import WorkItem
from engine.models.clocks import CASE_SCOPE
from engine.runtime import case_events
from engine.timelimits.clocks import operations, rules
from engine.timelimits.clocks.level_job import ensure_level_job


def _task_data(event: case_events.StepEvent, item: WorkItem) -> dict[str, Any]:
    """The task's data after it completed (what the person submitted), else its input."""
    try:
        task = event.workflow.get_task_from_id(UUID(item.id))
    except Exception:  # noqa: BLE001 - a finished loop may have dropped the task
        return dict(item.input_data or {})
    return dict(task.data)


def _items_of(data: dict[str, Any]) -> list[str]:
    """The item codes the case handles, as the bundles plan them."""
    planned = data.get("applicable_items") or list(data.get("review_plan") or {})
    return [str(code) for code in planned if code]


# set on a live workflow once a step found its case without a running clock: clocks start
# only here, so later steps need not read them until a rule starts one (a rolled-back
# command's workflow leaves the cache, and the memo with it)
_NO_CLOCKS = "_onething_no_running_clocks"


@case_events.listen
def on_step(session: Session, event: case_events.StepEvent) -> None:
    """Apply the rules to the step's completed, cancelled and opened work items."""
    case, now = event.case, event.now
    done = event.completed
    if done is not None:
        data = _task_data(event, done)
        for action in rules.actions(rules.COMPLETED, done, data):
            if action == rules.START:
                operations.start(session, case, _items_of(data), now)
                ensure_level_job(session, now)
                event.workflow.__dict__.pop(_NO_CLOCKS, None)
            elif action == rules.RESUME:
                operations.resume(session, case.id, done.id, now)
            elif action == rules.END_ITEM:
                operations.end(session, case.id, [str(data.get("item_code"))], now)
    for item_id in event.cancelled:
        operations.resume(session, case.id, item_id, now)
    for item in event.opened:
        data = dict(item.input_data or {})
        if rules.PAUSE in rules.actions(rules.OPENED, item, data):
            scopes = ([CASE_SCOPE, str(data.get("item_code"))]
                      if item.element_id in rules.ITEM_PAUSES else None)
            operations.pause(session, case.id, item.element_id, item.id, now, scopes=scopes)
    if event.status_changed and case.status in ("completed", "cancelled"):
        operations.end(session, case.id, None, now)
        return
    if event.workflow.__dict__.get(_NO_CLOCKS):
        return
    running = operations.clocks_of(session, case.id, running=True)
    if not running:
        event.workflow.__dict__[_NO_CLOCKS] = True
        return
    operations.recompute(session, running, now)
    _align_due(event.opened, running)


def _align_due(opened: list[WorkItem], running: list[Any]) -> None:
    """An item's task is due when the item's commitment clock says (in working days),
    not when the diagram's calendar-day estimate says."""
    by_scope = {clk.scope: clk for clk in running if clk.paused_since is None}
    for item in opened:
        code = (item.input_data or {}).get("item_code")
        clk = by_scope.get(str(code)) if code else None
        if clk is not None and item.kind in ("user", "manual"):
            item.due_at = clk.due_at
