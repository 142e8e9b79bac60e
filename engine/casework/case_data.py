"""The data of a case as staff may read it: what its forms and decisions declare, and no
more (not the routing table, not who works which task, not the engine's own keys)."""

from __future__ import annotations

import json
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.casework import contracts, forms, permissions
from engine.core.actors import Actor
from engine.design import guides
from engine.models import Case
from engine.runtime.case_runner import open_live
from engine.runtime.diagrams import CompiledBundle
from engine.runtime.diagrams.dataflow import ENGINE_OWNED
from engine.runtime.diagrams.form_fields import declared_names
from engine.runtime.engine import Engine
from engine.runtime.serialization import dumps


def declared(bundle: CompiledBundle, guide: Any | None) -> dict[str, str]:
    """The variables a bundle declares (form fields and decision outputs), with a title."""
    titles: dict[str, str] = {}
    schemas = [forms.schema_for(bundle, meta.form_schema or (
        f"inline:{meta.id}" if meta.form_inline else None)) for meta in bundle.elements.values()]
    for process_id in bundle.process_ids:
        schemas.append(contracts.start_form(bundle, process_id, guide))
    for schema in schemas:
        if not schema:
            continue
        props = schema.get("properties") or {}
        for name in declared_names(schema):
            sub = props.get(name)
            title = sub.get("title") if isinstance(sub, dict) else None
            titles.setdefault(name, str(title) if title else name)
    for name in bundle.dataflow.decided:
        titles.setdefault(name, name)
    hidden = bundle.dataflow.protected | ENGINE_OWNED
    return {name: title for name, title in sorted(titles.items()) if name not in hidden}


def current(rt: Engine, session: Session, case: Case) -> dict[str, Any]:
    """The case's data now: the workflow's, over the latest finished top-level step's."""
    live = open_live(rt, session, case)
    try:
        wf = live.workflow
        done = [t for t in wf.tasks.values() if t.state == TaskState.COMPLETED]
        latest = max(done, key=lambda t: t.last_state_change, default=None)
        data = dict(latest.data) if latest is not None else {}
        data.update(wf.data)
    finally:
        rt.hold(session, live)
    return dict(json.loads(dumps(data)))


def view(rt: Engine, session: Session, case: Case, actor: Actor) -> list[dict[str, Any]]:
    """The declared data of CASE for staff who may see it: name, title and value."""
    permissions.check_staff_visible(session, case, actor)
    bundle = rt.specs.get(session, case.deployment_id)
    guide = guides.guide_of_version(rt.guides, case.deployment_id, bundle.files)
    names = declared(bundle, guide)
    data = current(rt, session, case)
    return [{"name": name, "title": title, "value": data[name]}
            for name, title in names.items() if name in data]
