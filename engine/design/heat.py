"""Where the cases of one version sit now, and how long work stays at each element."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.design.studio import files_of, get_version, is_bpmn
from engine.design.version_diff import Element, elements
from engine.models import Case, CaseTask, WorkItem

# a case "sits" at a task or catch event whose task is ready, running or waiting
_SITTING = (TaskState.READY, TaskState.STARTED, TaskState.WAITING)
_HOLDING_TYPES = frozenset({"task", "subProcess", "callActivity", "transaction",
                            "intermediateCatchEvent", "adHocSubProcess"})


def _holds_cases(element: Element) -> bool:
    """Whether a case can wait at ELEMENT (tasks, sub-processes, catch events)."""
    return element.type.endswith("Task") or element.type in _HOLDING_TYPES


def version_elements(files: dict[str, bytes]) -> dict[str, Element]:
    """Every element with an id in the version's BPMN files."""
    found: dict[str, Element] = {}
    for name in sorted(files):
        if is_bpmn(name):
            found.update(elements(name, files[name]))
    return found


def heat(session: Session, deployment_id: int) -> dict[str, Any]:
    """Per element of a version: cases there now, cases stopped there by an error, and the
    average time a work item stayed there (from its opening to its completion)."""
    dep = get_version(session, deployment_id)
    known = version_elements(files_of(dep))
    sitting: dict[str, int] = {}
    rows = session.execute(
        select(CaseTask.spec_name, func.count(func.distinct(CaseTask.case_id)))
        .join(Case, Case.id == CaseTask.case_id)
        .where(Case.deployment_id == dep.id, Case.status == "running",
               CaseTask.state.in_([int(s) for s in _SITTING]))
        .group_by(CaseTask.spec_name))
    for spec_name, count in rows:
        element = known.get(spec_name)
        if element is not None and _holds_cases(element):
            sitting[spec_name] = count
    errors: dict[str, int] = dict(session.execute(  # type: ignore[arg-type]
        select(Case.error_element, func.count())
        .where(Case.deployment_id == dep.id, Case.status == "error",
               Case.error_element.is_not(None))
        .group_by(Case.error_element)).all())
    spent: dict[str, list[float]] = defaultdict(list)
    for element_id, opened, done in session.execute(
            select(WorkItem.element_id, WorkItem.created_at, WorkItem.completed_at)
            .join(Case, Case.id == WorkItem.case_id)
            .where(Case.deployment_id == dep.id, WorkItem.state == "completed",
                   WorkItem.completed_at.is_not(None))):
        if done is not None:
            spent[element_id].append((done - opened).total_seconds())
    out = []
    for element_id in sorted(set(sitting) | set(errors) | set(spent)):
        element = known.get(element_id)
        times = spent.get(element_id, [])
        out.append({"element": element_id,
                    "name": element.name if element else None,
                    "type": element.type if element else None,
                    "cases": sitting.get(element_id, 0),
                    "errors": errors.get(element_id, 0),
                    "completed": len(times),
                    "average_seconds": round(sum(times) / len(times), 1) if times else None})
    return {"id": dep.id, "bundle": dep.bundle_key, "version": dep.version,
            "running": _running(session, dep.id),
            "elements": out}


def _running(session: Session, deployment_id: int) -> int:
    """How many cases of the version run now."""
    return session.scalar(select(func.count()).select_from(Case).where(
        Case.deployment_id == deployment_id, Case.status == "running")) or 0
