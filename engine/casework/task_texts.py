"""Fill in each new work item's title and instruction with the case's values, and narrow
its checklists to the materials the case's situation needs.

Runs as an after-step listener, before the other listeners read the items: the title and
documentation templates are taken from the task's diagram element (never from the item,
whose text already holds the case's data) and rendered with the task's data
(engine.design.task_text); fields marked as the case's materials get their codes
(engine.casework.task_choices).
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.casework import task_choices
from engine.casework.materials import start_data
from engine.core.errors import InvalidInput
from engine.design import guides, task_text
from engine.models import Case, Deployment, DeploymentFile, WorkItem
from engine.runtime import case_events

log = logging.getLogger(__name__)

_CACHE_SIZE = 64


@dataclass(frozen=True)
class _Version:
    """What one bundle version gives its task texts: the guide, decisions and forms."""

    files: dict[str, bytes]
    guide: guides.Guide | None
    names: task_text.Names

    def form(self, name: str | None) -> dict[str, Any] | None:
        if not name or name not in self.files:
            return None
        try:
            found = json.loads(self.files[name])
        except ValueError:
            return None
        return found if isinstance(found, dict) else None


_versions: OrderedDict[str, _Version] = OrderedDict()


def _version(session: Session, deployment_id: int) -> _Version:
    """The guide, decisions and forms of one deployment, read once per content: a
    deployment's files never change, and the key is their hash, not the row's id, which
    another database (or a reloaded one) gives to other files."""
    deployment = session.get(Deployment, deployment_id)
    key = deployment.content_hash if deployment is not None else f"missing:{deployment_id}"
    found = _versions.get(key)
    if found is not None:
        _versions.move_to_end(key)
        return found
    rows = session.execute(select(DeploymentFile.name, DeploymentFile.content).where(
        DeploymentFile.deployment_id == deployment_id,
        or_(DeploymentFile.name == guides.GUIDE_FILE, DeploymentFile.name.like("%.dmn"),
            DeploymentFile.name.like("%.json"))))
    files = {name: bytes(content) for name, content in rows}
    guide = None
    if guides.GUIDE_FILE in files:
        try:
            guide = guides.load_guide(files)
        except InvalidInput:
            log.warning("deployment %s: its guide does not load", deployment_id)
    found = _Version(files, guide, task_text.names_of(guide))
    _versions[key] = found
    while len(_versions) > _CACHE_SIZE:
        _versions.popitem(last=False)
    return found


def needed_materials(session: Session, case: Case, version: _Version) -> list[str]:
    """The codes of the materials CASE's situation calls for (every one when undecidable)."""
    guide = version.guide
    if guide is None:
        return []
    answers = start_data(session, case).get("answers")
    if isinstance(answers, dict):
        try:
            return [m.id for m in guides.evaluate(version.files, answers).materials]
        except InvalidInput as err:
            log.info("case %s: situation not decidable (%s); offering every material",
                     case.id, err.message)
    return [m.id for m in guides.merged_materials(guide, tuple(i.code for i in guide.items))]


def _spec_of(workflow: Any, item: WorkItem) -> Any:
    try:
        task = workflow.get_task_from_id(UUID(item.id))
    except (ValueError, KeyError):
        return None
    return task.task_spec if task is not None else None


def fill_in(session: Session, case: Case, item: WorkItem, spec: Any) -> None:
    """Render ITEM's title and documentation from SPEC and store its narrowed choices."""
    title = getattr(spec, "bpmn_name", None)
    documentation = getattr(spec, "documentation", None)
    marked: list[str] = []
    version: _Version | None = None
    if item.form_schema:
        version = _version(session, case.deployment_id)
        schema = version.form(item.form_schema)
        marked = task_choices.marked_fields(schema)
    if not (task_text.is_template(title) or task_text.is_template(documentation) or marked):
        return
    version = version or _version(session, case.deployment_id)
    data: Mapping[str, Any] = item.input_data or {}
    if task_text.is_template(title):
        item.title = task_text.render_text(str(title), data, version.names,
                                           limit=task_text.MAX_TITLE)
    if task_text.is_template(documentation):
        item.documentation = task_text.render_text(str(documentation), data, version.names)
    if marked:
        choices = task_choices.offered(version.form(item.form_schema),
                                       needed_materials(session, case, version))
        item.properties = {**(item.properties or {}), task_choices.MARKER: choices}


@case_events.listen
def fill_in_opened(session: Session, event: case_events.StepEvent) -> None:
    """Fill in the work items this step made (reopened ones keep their text)."""
    for item in event.opened:
        if item.kind not in ("user", "manual") or item.created_at != event.now:
            continue
        spec = _spec_of(event.workflow, item)
        if spec is not None:
            fill_in(session, event.case, item, spec)
