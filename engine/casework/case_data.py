"""The data of a case as staff may read it: what its forms and decisions declare, and no
more (not the routing table, not who works which task, not the engine's own keys)."""

from __future__ import annotations

import json
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.casework import contracts, forms, permissions
from engine.casework.application_view import shown_value
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
    return {name: title for name, (title, _sub) in _declared(bundle, guide).items()}


def _declared(bundle: CompiledBundle,
              guide: Any | None) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each declared variable's title and the schema that declares it (empty for decision
    outputs, which are titled by their label in the decision table)."""
    titles: dict[str, tuple[str, dict[str, Any]]] = {}
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
            sub = sub if isinstance(sub, dict) else {}
            title = sub.get("title")
            titles.setdefault(name, (str(title) if title else name, sub))
    labels = bundle.dataflow.decided_labels
    for name in bundle.dataflow.decided:
        titles.setdefault(name, (labels.get(name) or name, {}))
    hidden = bundle.dataflow.protected | ENGINE_OWNED
    return {name: found for name, found in sorted(titles.items()) if name not in hidden}


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


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _coded(guide: Any | None, lang: str) -> dict[str, str]:
    """The bundle's material codes and item codes, by the names the guide gives them."""
    if guide is None:
        return {}
    out = {m.id: m.name.get(lang) or m.id for m in guide.materials}
    out.update({i.code: f"{i.name.get(lang) or i.code}（{i.code}）" for i in guide.items})
    return out


def _named(value: Any, coded: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_named(v, coded) for v in value]
    return coded.get(value, value) if isinstance(value, str) else value


def readable(rt: Engine, session: Session, case: Case, actor: Actor,
             lang: str = "zh") -> list[dict[str, Any]]:
    """The declared data of CASE as a person reads it: the fields that hold a value, each
    choice by its title and each material or item code by its name (in LANG), lists
    without their empty entries (a decision table's rows that matched nothing)."""
    permissions.check_staff_visible(session, case, actor)
    bundle = rt.specs.get(session, case.deployment_id)
    guide = guides.guide_of_version(rt.guides, case.deployment_id, bundle.files)
    data = current(rt, session, case)
    coded = _coded(guide, lang)
    rows = []
    for name, (title, sub) in _declared(bundle, guide).items():
        value = data.get(name)
        if isinstance(value, list):
            value = [v for v in value if not _blank(v)]
        if _blank(value):
            continue
        rows.append({"name": name, "title": title,
                     "value": _named(shown_value(value, sub), coded)})
    return rows
