"""The process diagram of one case: its version's BPMN XML and which elements are done,
current or still pending, for the bpmn-js viewer on the tracking and task pages."""

from __future__ import annotations

from typing import Any, Literal

from flask import Blueprint
from pydantic import Field
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import cases, permissions
from engine.core.actors import Actor
from engine.core.errors import NotFound
from engine.models import Case, CaseTask, DeploymentFile
from engine.runtime.diagrams.flavour import BPMN_NS
from engine.runtime.diagrams.safe_xml import parse_xml
from web import refs
from web.api.declare import Reply, operation
from web.context import actor, transaction

bp = Blueprint("case_diagram", __name__, url_prefix="/cases")

# a case is at an element whose task is ready, running or waiting for something
_CURRENT = frozenset(int(s) for s in (TaskState.READY, TaskState.STARTED, TaskState.WAITING))
_DONE = int(TaskState.COMPLETED)
_NODE_ENDINGS = ("Task", "task", "Event", "Gateway", "subProcess", "callActivity",
                 "transaction")


class CaseDiagram(Reply):
    """The case's BPMN XML with the state of each element drawn in it."""

    case: str = Field(description="the case number")
    status: str
    process: str
    file: str
    bpmn: str = Field(description="BPMN 2.0 XML of the case's version")
    states: dict[str, Literal["done", "current", "pending"]]
    done: list[str]
    current: list[str]
    pending: list[str]


def check_may_see(session: Session, case: Case, who: Actor) -> None:
    """Whoever may see the case (engine.casework.permissions)."""
    permissions.check_visible(session, case, who)


def _process_file(session: Session, case: Case) -> tuple[str, bytes]:
    """The BPMN file of the case's version that defines its process."""
    rows = session.execute(select(DeploymentFile.name, DeploymentFile.content).where(
        DeploymentFile.deployment_id == case.deployment_id,
        DeploymentFile.name.like("%.bpmn")).order_by(DeploymentFile.name)).all()
    marker = f'id="{case.process_id}"'.encode()
    for name, content in rows:
        if marker in bytes(content):
            return name, bytes(content)
    if rows:
        return rows[0][0], bytes(rows[0][1])
    raise NotFound(f"case {case.number} has no BPMN diagram")


def flow_nodes(name: str, xml: bytes) -> list[str]:
    """The ids of the activities, events and gateways drawn in a BPMN file."""
    root = parse_xml(name, xml).getroot()
    out = []
    for element in root.iter(f"{{{BPMN_NS}}}*"):
        local = element.tag.split("}", 1)[1]
        if local.endswith(_NODE_ENDINGS) and element.get("id"):
            out.append(str(element.get("id")))
    return out


def element_states(session: Session, case: Case, nodes: list[str]) -> dict[str, str]:
    """done / current / pending for each of NODES, from the case's task rows."""
    done: set[str] = set()
    current: set[str] = set()
    for spec_name, state in session.execute(
            select(CaseTask.spec_name, CaseTask.state).where(CaseTask.case_id == case.id)):
        if state in _CURRENT:
            current.add(spec_name)
        elif state == _DONE:
            done.add(spec_name)
    if case.status in ("completed", "cancelled"):
        current.clear()
    if case.status == "error" and case.error_element:
        current.add(case.error_element)
    return {node: ("current" if node in current else "done" if node in done else "pending")
            for node in nodes}


def diagram_of(session: Session, case: Case) -> dict[str, Any]:
    """The body of the diagram resource."""
    name, xml = _process_file(session, case)
    states = element_states(session, case, flow_nodes(name, xml))
    return {"case": case.number, "status": case.status, "process": case.process_id,
            "file": name, "bpmn": xml.decode("utf-8"), "states": states,
            "done": sorted(k for k, v in states.items() if v == "done"),
            "current": sorted(k for k, v in states.items() if v == "current"),
            "pending": sorted(k for k, v in states.items() if v == "pending")}


@bp.get("/<case_ref>/diagram")
@operation("caseDiagram", tag="cases", ok={200: CaseDiagram}, errors=("403", "404"))
def diagram(case_ref: str) -> dict[str, Any]:
    """The case's BPMN diagram with each element done, current or pending."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        check_may_see(session, case, actor())
        return diagram_of(session, case)
