"""Who may work on a task: task-level candidates first, else the task's lane."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

from engine.models import Candidate, Case, WorkItem
from engine.runtime.diagrams import CompiledBundle, ElementMeta
from engine.runtime.serialization import dumps

_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$")
_EL = re.compile(r"[$#]\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")


def element_meta(bundle: CompiledBundle, task: Any) -> ElementMeta | None:
    """Metadata of the BPMN element behind TASK, looked up by process and element id."""
    name = element_id(task.task_spec)
    meta = bundle.elements.get(f"{task.workflow.spec.name}:{name}")
    if meta is not None:
        return meta
    suffix = f":{name}"
    for key, candidate in bundle.elements.items():
        if key.endswith(suffix):
            return candidate
    return None


# the lane (or candidate group) of the applicant's own steps: it names the case's
# applicant, never the group of every applicant account
APPLICANT_LANE = "applicant"
# the case data that names the applicant, for scripts and ${applicant_user} candidates;
# the engine sets it from the case, a form may not (engine.casework.contracts)
APPLICANT_KEY = "applicant_user"
# who works the applicant's steps of a case that is for nobody's account (started by the
# engine): the window clerks of the accepting office
NO_APPLICANT_ROLE = "window_clerk"


def _names(raw: str | None, data: dict[str, Any]) -> list[str]:
    if not raw:
        return []
    return [n for n in (resolve(part, data) for part in raw.split(",")) if n]


def element_id(spec: Any) -> str:
    """The BPMN id of a task spec (a multi-instance child is named 'x [child]')."""
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def resolve(value: str | None, data: dict[str, Any]) -> str | None:
    """A name, with any `${variable}` in it read from case data (None if one is missing)."""
    if not value:
        return None
    missing = False

    def substitute(match: re.Match[str]) -> str:
        nonlocal missing
        found = data.get(match.group(1))
        if found in (None, ""):
            missing = True
            return ""
        return str(found)

    text = _EL.sub(substitute, value.strip())
    return None if missing or not text else text


def due_at(raw: str | None, data: dict[str, Any], now: datetime) -> datetime | None:
    """Parse a due date: an ISO date/time, an ISO duration from now, or `${var}` of either."""
    text = resolve(raw, data)
    if not text:
        return None
    match = _DURATION.match(text)
    if match and any(match.groupdict().values()):
        parts = {k: int(v) for k, v in match.groupdict().items() if v}
        return now + timedelta(**parts)
    try:
        due = datetime.fromisoformat(text)
    except ValueError:
        return None
    return due if due.tzinfo else due.replace(tzinfo=now.tzinfo)


def new_work_item(case: Case, task: Any, bundle: CompiledBundle, now: datetime) -> WorkItem:
    """Build the work item (with its candidates) for a task that just became ready."""
    meta = element_meta(bundle, task)
    spec = task.task_spec
    data = task.data
    kind = "user"
    if meta is not None and meta.kind == "external":
        kind = "external"
    elif type(spec).__name__ in ("ManualTask", "NoneTask"):
        kind = "manual"
    groups: list[str] = []
    users: list[str] = []
    assignee = None
    properties: dict[str, Any] = dict((spec.extensions or {}).get("properties", {}) or {})
    form_schema = form_ui = None
    due_raw = None
    if meta is not None:
        groups = [g for g in (resolve(x, data) for x in meta.candidate_groups) if g]
        users = [u for u in (resolve(x, data) for x in meta.candidate_users) if u]
        assignee = resolve(meta.assignee, data)
        properties.update(meta.properties)
        form_schema = meta.form_schema or (f"inline:{meta.id}" if meta.form_inline else None)
        form_ui = meta.form_ui_schema
        due_raw = meta.due
    due_raw = due_raw or properties.get("due")
    # spiff diagrams name candidates with properties (comma lists, ${var} allowed)
    groups += _names(properties.get("candidateGroups"), data)
    users += _names(properties.get("candidateUsers"), data)
    if not groups and not users and not assignee and spec.lane:
        groups = [spec.lane]
    if APPLICANT_LANE in groups:
        groups = [g for g in groups if g != APPLICANT_LANE]
        if case.applicant:
            users.append(case.applicant)
        else:
            groups.append(NO_APPLICANT_ROLE)
    item = WorkItem(
        id=str(task.id), case_id=case.id, kind=kind, element_id=element_id(spec),
        process_id=task.workflow.spec.name, title=spec.bpmn_name or spec.name,
        lane=spec.lane, documentation=getattr(spec, "documentation", None),
        form_schema=form_schema, form_ui_schema=form_ui, state="open", assignee=assignee,
        topic=meta.topic if meta is not None else None,
        retries_left=None, created_at=now, due_at=due_at(due_raw, data, now),
        properties=properties, input_data=json.loads(dumps(data)),
    )
    item.candidates = (
        [Candidate(case_id=case.id, kind="group", name=g) for g in dict.fromkeys(groups)]
        + [Candidate(case_id=case.id, kind="user", name=u) for u in dict.fromkeys(users)]
    )
    return item
